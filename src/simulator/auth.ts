/**
 * API-key signature checks shared by every private dialect:
 * sig = hex(HMAC_SHA256(secret, "GET/realtime" + expires)), expires in ms, later than now.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface Credential {
  key: string;
  secret: string;
}

export type AuthResult = { ok: true; key: string } | { ok: false; reason: 'expired' | 'invalid' };

export function sign(secret: string, expires: number | string): string {
  return createHmac('sha256', secret).update(`GET/realtime${expires}`).digest('hex');
}

/** Checks `[key, expires, sig]` as sent in an auth frame (expires may be a number or a string). */
export function verifyAuth(credentials: readonly Credential[], args: unknown, now: number): AuthResult {
  if (!Array.isArray(args) || args.length < 3) return { ok: false, reason: 'invalid' };
  const [key, expiresRaw, sig] = args as unknown[];
  if (typeof key !== 'string' || typeof sig !== 'string') return { ok: false, reason: 'invalid' };
  if (typeof expiresRaw !== 'number' && !(typeof expiresRaw === 'string' && /^\d+$/.test(expiresRaw))) {
    return { ok: false, reason: 'invalid' };
  }
  const expires = Number(expiresRaw);
  if (!Number.isFinite(expires)) return { ok: false, reason: 'invalid' };
  if (expires <= now) return { ok: false, reason: 'expired' };
  const cred = credentials.find((c) => c.key === key);
  if (!cred) return { ok: false, reason: 'invalid' };
  // The client signed the text it sent, so sign exactly that text (string or number form).
  const expected = Buffer.from(sign(cred.secret, String(expiresRaw)), 'utf8');
  const given = Buffer.from(sig.toLowerCase(), 'utf8');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'invalid' };
  return { ok: true, key };
}
