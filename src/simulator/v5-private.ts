/** V5 private (`/v5/private`): auth, private ping, wallet/order/execution streams. */
import { randomBytes, randomUUID } from 'node:crypto';
import { divAmount, fmtAmount } from './amount';
import type { AccountEvent, Order } from './account';
import type { Dialect, DialectContext } from './dialect';
import type { Session } from './session';
import { asOpFrame, handleOpAuth, handleV5Subscription, replyDecodeError, v5Envelope } from './v5-common';

export const V5_PRIVATE_TOPICS = ['wallet', 'order', 'execution', 'position'];

/**
 * Subscribing before auth: Bybit refuses private topics on an unauthenticated socket; the
 * exact text is not in the docs, this is what the simulator sends.
 */
export const V5_NOT_AUTHORIZED = 'Request not authorized';

/** Bybit message ids look like a short hex prefix glued to a UUID. */
function messageId(): string {
  return `${randomBytes(7).toString('hex')}${randomUUID().slice(8)}`;
}

export class V5PrivateDialect implements Dialect {
  readonly name = 'v5-private';

  constructor(private readonly ctx: DialectContext) {}

  onFrame(session: Session, _text: string, frame: unknown, decodeError: string | undefined): void {
    if (decodeError !== undefined) return replyDecodeError(session, decodeError);
    const req = asOpFrame(frame);
    const op = req?.op;
    if (req && op === 'ping') {
      // The private socket answers in a different shape from the public one.
      const pong: Record<string, unknown> = {};
      if (req.req_id !== undefined) pong.req_id = req.req_id;
      Object.assign(pong, { op: 'pong', args: [String(this.ctx.now())], conn_id: session.connId });
      session.sendJson(pong);
    } else if (req && op === 'auth') {
      handleOpAuth(this.ctx, session, req);
    } else if (req && (op === 'subscribe' || op === 'unsubscribe')) {
      if (op === 'subscribe' && session.authKey === undefined) {
        session.sendJson(v5Envelope(session, false, V5_NOT_AUTHORIZED, req, op));
        return;
      }
      handleV5Subscription(this.ctx, session, req, op, (t) => V5_PRIVATE_TOPICS.includes(t));
    } else {
      session.sendJson(v5Envelope(session, false, 'error:invalid op', req));
    }
  }

  onAccountEvent(session: Session, ev: AccountEvent): void {
    if (!session.topics.has(ev.kind)) return;
    const frame = { id: messageId(), topic: ev.kind, creationTime: ev.time, data: [] as unknown[] };
    if (ev.kind === 'wallet') {
      frame.data.push({
        accountType: 'UNIFIED',
        totalEquity: fmtAmount(ev.totalUsd),
        coin: ev.changed.map((b) => ({
          coin: b.coin,
          equity: fmtAmount(b.walletBalance),
          walletBalance: fmtAmount(b.walletBalance),
          locked: fmtAmount(b.locked),
          usdValue: fmtAmount(b.usdValue),
        })),
      });
    } else if (ev.kind === 'order') {
      frame.data.push(orderItem(ev.order));
    } else {
      const o = ev.order;
      const f = ev.fill;
      frame.data.push({
        category: 'spot', symbol: o.symbol, orderId: o.orderId, orderLinkId: o.orderLinkId, side: o.side, execId: f.execId,
        execPrice: fmtAmount(f.price), execQty: fmtAmount(f.qty), execValue: fmtAmount(f.value), execFee: fmtAmount(f.fee),
        feeCurrency: f.feeCoin, isMaker: f.isMaker, execType: 'Trade', execTime: String(f.time), seq: f.seq,
      });
    }
    session.sendJson(frame);
  }
}

function orderItem(o: Readonly<Order>): Record<string, unknown> {
  const leaves = o.status === 'New' || o.status === 'PartiallyFilled' ? o.qty - o.cumQty : 0n;
  const fee: Record<string, string> = {};
  if (o.cumFee > 0n) fee[o.feeCoin] = fmtAmount(o.cumFee);
  return {
    category: 'spot', symbol: o.symbol, orderId: o.orderId, orderLinkId: o.orderLinkId, side: o.side,
    orderType: o.type, price: fmtAmount(o.price), qty: fmtAmount(o.qty), timeInForce: o.timeInForce, orderStatus: o.status,
    // Bybit leaves avgPrice empty until something has filled.
    avgPrice: o.cumQty > 0n ? fmtAmount(divAmount(o.cumValue, o.cumQty)) : '',
    leavesQty: fmtAmount(leaves), cumExecQty: fmtAmount(o.cumQty), cumExecValue: fmtAmount(o.cumValue),
    cumFeeDetail: fee, createdTime: String(o.createdTime), updatedTime: String(o.updatedTime),
  };
}
