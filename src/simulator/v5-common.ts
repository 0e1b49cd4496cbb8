/** The V5 reply envelope and request handling shared by the public and private sockets. */
import { verifyAuth } from './auth';
import type { DialectContext } from './dialect';
import type { Session } from './session';
import { MAX_ARGS, applySubscription, type SubscribeLimits } from './topics';

export interface OpFrame {
  op?: unknown;
  req_id?: unknown;
  args?: unknown;
}

export function asOpFrame(frame: unknown): OpFrame | undefined {
  return frame !== null && typeof frame === 'object' && !Array.isArray(frame) ? (frame as OpFrame) : undefined;
}

/** `{success, ret_msg, conn_id, req_id?, op?}` in Bybit's key order; req_id only when the client sent one. */
export function v5Envelope(session: Session, success: boolean, retMsg: string, req: OpFrame | undefined, op?: string): Record<string, unknown> {
  const out: Record<string, unknown> = { success, ret_msg: retMsg, conn_id: session.connId };
  if (req && req.req_id !== undefined) out.req_id = req.req_id;
  const opName = op ?? (typeof req?.op === 'string' ? req.op : undefined);
  if (opName !== undefined) out.op = opName;
  return out;
}

/** A frame that is not JSON: Bybit answers and keeps the socket open. */
export function replyDecodeError(session: Session, decodeError: string): void {
  session.sendJson(v5Envelope(session, false, `Failed to decode incoming data: ${decodeError}`, undefined));
}

/** The reply envelope of a dialect's `op` frames (V5 and v3 differ only in key order). */
export type OpEnvelope = (session: Session, success: boolean, retMsg: string, req: OpFrame | undefined, op?: string) => Record<string, unknown>;

/**
 * subscribe / unsubscribe for the `op` dialects (V5, spot v3), replying in `envelope`'s shape.
 * `valid` says which topics exist; `after` runs once the reply is out, for the topics that
 * were added (e.g. to send an initial snapshot).
 */
export function handleOpSubscription(
  ctx: DialectContext,
  session: Session,
  req: OpFrame,
  op: 'subscribe' | 'unsubscribe',
  valid: (topic: string) => boolean,
  envelope: OpEnvelope,
  after?: (topics: string[]) => void,
  opts: { successMsg?: string; limits?: SubscribeLimits } = {},
): void {
  const outcome = applySubscription(session.topics, op, req.args, valid, () => ctx.faults.takeRejection(Array.isArray(req.args) ? req.args : []), opts.limits ?? { maxArgs: MAX_ARGS });
  if (outcome.error !== undefined) {
    session.sendJson(envelope(session, false, outcome.error, req, op));
    return;
  }
  if (outcome.already.length > 0) {
    session.sendJson(envelope(session, false, `error:already subscribed,topic:${outcome.already.join(',')}`, req, op));
  } else {
    session.sendJson(envelope(session, true, opts.successMsg ?? op, req, op));
  }
  if (outcome.changed.length === 0) return;
  if (op === 'subscribe') {
    ctx.subscribed(session, outcome.changed);
    after?.(outcome.changed);
  } else {
    ctx.unsubscribed(session, outcome.changed);
  }
}

/**
 * `{"op":"auth","args":[key, expires, sig]}` on V5 and spot v3 private sockets. Success
 * echoes req_id unless `omitReqId` (the V5 Connect page's success sample has none although
 * its request sent one); failures never do. Returns whether auth succeeded.
 */
export function handleOpAuth(ctx: DialectContext, session: Session, req: OpFrame, omitReqId = false): boolean {
  const reply = (success: boolean, retMsg: string): void => {
    const out: Record<string, unknown> = { success, ret_msg: retMsg, op: 'auth', conn_id: session.connId };
    if (success && !omitReqId && req.req_id !== undefined) out.req_id = req.req_id;
    session.sendJson(out);
  };
  const forced = ctx.faults.authRejection;
  if (forced !== undefined) {
    reply(false, forced || 'Params Error');
    return false;
  }
  const result = verifyAuth(ctx.credentials, req.args, ctx.now());
  if (!result.ok) {
    reply(false, result.reason === 'expired' ? 'error:request expired' : 'Params Error');
    return false;
  }
  session.authKey = result.key;
  reply(true, '');
  return true;
}
