/**
 * What a subscribe/unsubscribe reply means for each key of the request it answers. Dialects
 * read replies into an AckReply; this turns one into a verdict per key, so the engine never
 * reads server text.
 */
import type { AckReply } from './types';

export interface AckOutcome {
  accepted: string[];
  refused: string[];
  /** The server's reason for the refusals ('' when it gave none). */
  reason: string;
  /** Not subscribed through no fault of their own: to be sent again. */
  resend: string[];
  /** Still waiting for a reply of their own. */
  awaited: string[];
}

/** "already subscribed" is no failure: the server holds the topic, which is what was asked. */
export function isAlreadySubscribed(reason: string): boolean {
  return /already subscribed/i.test(reason);
}

/** The verdict on each of a request's keys. */
export function settleAck(reply: AckReply, keys: readonly string[]): AckOutcome {
  const accepted = new Set(reply.accepted);
  const refused = new Set(reply.refused);
  // A reply blaming a key this request does not hold cannot be read key by key: it refuses the request.
  const rest = reply.rest === 'resend' && !keys.some((k) => refused.has(k)) ? 'refused' : reply.rest;
  const out: AckOutcome = { accepted: [], refused: [], reason: reply.reason, resend: [], awaited: [] };
  for (const key of keys) {
    out[accepted.has(key) ? 'accepted' : refused.has(key) ? 'refused' : rest].push(key);
  }
  return out;
}

/** The keys a reply names, accepted or refused: how a reply without req_id finds its request. */
export function namedKeys(reply: AckReply): string[] {
  return reply.refused.length ? [...reply.accepted, ...reply.refused] : reply.accepted;
}
