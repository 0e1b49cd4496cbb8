/**
 * What private sockets need besides the wire: the auth signature, the rule on where
 * credentials may travel, and keeping them out of every text a user may see.
 */
import { createHmac } from 'node:crypto';
import { EngineError } from './errors';

export interface Credentials {
  apiKey: string;
  apiSecret: string;
}

/** The V5 / spot auth signature: hex HMAC-SHA256 of "GET/realtime" + expires, keyed by the secret. */
export function signAuth(apiSecret: string, expires: number): string {
  return createHmac('sha256', apiSecret).update(`GET/realtime${expires}`).digest('hex');
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Checks a URL before any socket is opened: a clear error beats a crash deep in `ws`. */
export function checkEndpointUrl(url: string | undefined, isPrivate: boolean): EngineError | undefined {
  if (!url) return new EngineError('bad-url', 'no URL configured');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return new EngineError('bad-url', `"${url}" is not a URL`);
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    return new EngineError('bad-url', `"${url}" must start with ws:// or wss://`);
  }
  if (isPrivate && parsed.protocol === 'ws:' && !LOOPBACK.has(parsed.hostname)) {
    return new EngineError('insecure', `credentials are only sent over wss:// or to this machine, not to ${parsed.host}`);
  }
  return undefined;
}

/** Server words may be shown to users: make sure they never carry the key or the secret. */
export function redact(text: string, credentials: Credentials | undefined): string {
  if (!credentials) return text;
  let out = text;
  for (const secret of [credentials.apiSecret, credentials.apiKey]) if (secret) out = out.split(secret).join('***');
  return out;
}
