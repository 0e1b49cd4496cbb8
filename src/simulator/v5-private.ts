/**
 * V5 private (`/v5/private`): auth, private ping, and the wallet, order, execution and position
 * streams, each all-in-one (`order`) or categorised (`order.spot`, `order.linear`, …).
 * Sources: docs/v5/websocket/wss-authentication.mdx (replies, pong), docs/v5/websocket/private/*.mdx.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { AccountEvent } from './account';
import type { Dialect, DialectContext } from './dialect';
import type { Session } from './session';
import { asOpFrame, handleOpAuth, handleOpSubscription, replyDecodeError, v5Envelope, type OpFrame } from './v5-common';
import { executionItem, orderItem, positionItem, walletItem } from './v5-items';

/** The families with an all-in-one topic and categorised ones (order.mdx, execution.mdx, position.mdx). */
const FAMILIES: Record<string, readonly string[]> = {
  order: ['spot', 'linear', 'inverse', 'option'],
  execution: ['spot', 'linear', 'inverse', 'option'],
  position: ['linear', 'inverse', 'option'],
};

export const V5_PRIVATE_TOPICS: readonly string[] = [
  'wallet',
  ...Object.entries(FAMILIES).flatMap(([family, cats]) => [family, ...cats.map((c) => `${family}.${c}`)]),
];

const isAllInOne = (t: string): boolean => t in FAMILIES;
const isCategorised = (t: string): boolean => t.includes('.') && t.split('.')[0] in FAMILIES;

/**
 * Subscribing before auth: Bybit refuses private topics on an unauthenticated socket; the
 * exact text is not in the docs, this is what the simulator sends.
 */
export const V5_NOT_AUTHORIZED = 'Request not authorized';

/** The docs forbid mixing the two kinds in one request but print no error; this is the simulator's text. */
export const V5_MIXED_TOPICS = 'error:all-in-one and categorised topics cannot be in the same subscription request';

/** Bybit message ids look like a short hex prefix glued to a UUID. */
function messageId(): string {
  return `${randomBytes(7).toString('hex')}${randomUUID().slice(8)}`;
}

/**
 * The private reply as the Connect page prints it: `{success, ret_msg, op, conn_id}` with no
 * `req_id` (the request in the same example sent one); `echoPrivateReqId` adds it back.
 */
function privateEnvelope(ctx: DialectContext): (session: Session, success: boolean, retMsg: string, req: OpFrame | undefined, op?: string) => Record<string, unknown> {
  return (session, success, retMsg, req, op) => {
    const out: Record<string, unknown> = { success, ret_msg: retMsg };
    const opName = op ?? (typeof req?.op === 'string' ? req.op : undefined);
    if (opName !== undefined) out.op = opName;
    out.conn_id = session.connId;
    if (ctx.wire.echoPrivateReqId && req && req.req_id !== undefined) out.req_id = req.req_id;
    return out;
  };
}

export class V5PrivateDialect implements Dialect {
  readonly name = 'v5-private';

  constructor(private readonly ctx: DialectContext) {}

  onFrame(session: Session, _text: string, frame: unknown, decodeError: string | undefined): void {
    if (decodeError !== undefined) return replyDecodeError(session, decodeError);
    const req = asOpFrame(frame);
    const op = req?.op;
    if (req && op === 'ping') {
      // The private pong carries the server time in args (Connect page), a clock for the client.
      const pong: Record<string, unknown> = {};
      if (req.req_id !== undefined) pong.req_id = req.req_id;
      Object.assign(pong, { op: 'pong', args: [String(this.ctx.now())], conn_id: session.connId });
      session.sendJson(pong);
    } else if (req && op === 'auth') {
      handleOpAuth(this.ctx, session, req, !this.ctx.wire.echoPrivateReqId);
    } else if (req && (op === 'subscribe' || op === 'unsubscribe')) {
      this.subscription(session, req, op);
    } else {
      session.sendJson(v5Envelope(session, false, 'error:invalid op', req));
    }
  }

  private subscription(session: Session, req: OpFrame, op: 'subscribe' | 'unsubscribe'): void {
    const envelope = privateEnvelope(this.ctx);
    if (op === 'subscribe' && session.authKey === undefined) {
      return void session.sendJson(envelope(session, false, V5_NOT_AUTHORIZED, req, op));
    }
    const args = Array.isArray(req.args) ? req.args.filter((a): a is string => typeof a === 'string') : [];
    if (op === 'subscribe' && args.some(isAllInOne) && args.some(isCategorised)) {
      return void session.sendJson(envelope(session, false, V5_MIXED_TOPICS, req, op));
    }
    handleOpSubscription(this.ctx, session, req, op, (t) => V5_PRIVATE_TOPICS.includes(t), envelope, undefined, { successMsg: '' });
  }

  onAccountEvent(session: Session, ev: AccountEvent): void {
    if (ev.kind === 'wallet') {
      if (session.topics.has('wallet')) session.sendJson({ id: messageId(), topic: 'wallet', creationTime: ev.time, data: [walletItem(ev)] });
      return;
    }
    const category = ev.kind === 'position' ? ev.view.position.category : ev.order.category;
    for (const held of [ev.kind, `${ev.kind}.${category}`]) {
      if (!session.topics.has(held)) continue;
      // The docs do not print a categorised push; by default its topic reads as subscribed.
      const topic = this.ctx.wire.categorisedPushTopic === 'all-in-one' ? ev.kind : held;
      const data = [this.item(ev)];
      const frame = ev.kind === 'execution'
        ? { topic, id: messageId(), creationTime: ev.time, data }
        : { id: messageId(), topic, creationTime: ev.time, data };
      session.sendJson(frame);
    }
  }

  private item(ev: Exclude<AccountEvent, { kind: 'wallet' }>): Record<string, unknown> {
    if (ev.kind === 'order') return orderItem(ev.order);
    if (ev.kind === 'execution') return executionItem(ev, this.ctx.market);
    return positionItem(ev.view, this.ctx.market);
  }
}
