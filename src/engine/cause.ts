/**
 * Why a socket went away, in words a user can act on: the connection refused, the name not
 * found, TLS, no pong, or the server's close code and text. Nodes translate `kind`; `detail`
 * is the technical rest (never credentials: the caller redacts server text).
 */

export type CauseKind = 'refused' | 'dns' | 'tls' | 'timeout' | 'http' | 'too-large' | 'dead' | 'closed' | 'error';

export interface DisconnectCause {
  kind: CauseKind;
  detail: string;
}

/** OpenSSL / Node certificate failures that carry no ERR_TLS prefix. */
const CERT_CODES = /^(CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_SSL|ERR_TLS|HOSTNAME_MISMATCH|ERR_TLS_CERT)/;

type SystemError = Error & { code?: string; hostname?: string };

/** What a socket `error` event says, classified; undefined for no error. */
export function causeOfError(err: SystemError | undefined): DisconnectCause | undefined {
  if (!err) return undefined;
  const code = err.code ?? '';
  if (code === 'ECONNREFUSED') return { kind: 'refused', detail: err.message };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { kind: 'dns', detail: err.hostname ?? err.message };
  if (CERT_CODES.test(code) || /certificate|SSL|TLS/i.test(err.message)) return { kind: 'tls', detail: code || err.message };
  if (code === 'ETIMEDOUT' || /handshake has timed out/i.test(err.message)) return { kind: 'timeout', detail: err.message };
  if (/^Unexpected server response/.test(err.message)) return { kind: 'http', detail: err.message.replace(/^Unexpected server response:\s*/, '') };
  if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') return { kind: 'too-large', detail: err.message };
  return { kind: 'error', detail: code ? `${code} ${err.message}` : err.message };
}

/** The cause of a close: the error that preceded it, else the code and the server's text. */
export function causeOfClose(err: SystemError | undefined, code: number, reason: string): DisconnectCause {
  return causeOfError(err) ?? { kind: 'closed', detail: reason ? `${code} ${reason}` : String(code) };
}

/** English one-liner of a cause, for the engine's own `detail` strings and logs without a catalog. */
export function describeCause(cause: DisconnectCause): string {
  return `${cause.kind}: ${cause.detail}`;
}
