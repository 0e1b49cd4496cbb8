/** Spot v3 private (`/spot/private/v3`): auth, then outboundAccountInfo / order / stopOrder / ticketInfo. */
import type { AccountEvent } from './account';
import type { Dialect, DialectContext } from './dialect';
import type { Session } from './session';
import { accountItem, isStopEvent, orderItem, stopItem, ticketItem } from './spot-items';
import { handleV3Subscription, v3Envelope, v3Pong } from './spot-v3';
import { asOpFrame, handleOpAuth } from './v5-common';
import { V5_NOT_AUTHORIZED } from './v5-private';

/** Spot only: orders of other categories (V5 accounts) never reach a v3 socket. */
export const V3_PRIVATE_TOPICS = ['outboundAccountInfo', 'order', 'stopOrder', 'ticketInfo'];

export class SpotV3PrivateDialect implements Dialect {
  readonly name = 'spot-v3-private';

  constructor(private readonly ctx: DialectContext) {}

  onFrame(session: Session, _text: string, frame: unknown, decodeError: string | undefined): void {
    if (decodeError !== undefined) {
      return void session.sendJson(v3Envelope(session, false, `Failed to decode incoming data: ${decodeError}`, undefined));
    }
    const req = asOpFrame(frame);
    const op = req?.op;
    if (req && op === 'ping') session.sendJson(v3Pong(session, req, this.ctx.now()));
    else if (req && op === 'auth') handleOpAuth(this.ctx, session, req);
    else if (req && (op === 'subscribe' || op === 'unsubscribe')) {
      if (op === 'subscribe' && session.authKey === undefined) {
        return void session.sendJson(v3Envelope(session, false, V5_NOT_AUTHORIZED, req, op));
      }
      handleV3Subscription(this.ctx, session, req, op, (t) => V3_PRIVATE_TOPICS.includes(t));
    } else session.sendJson(v3Envelope(session, false, 'error:invalid op', req));
  }

  onAccountEvent(session: Session, ev: AccountEvent): void {
    let topic: string;
    let item: Record<string, unknown>;
    if (ev.kind === 'position' || (ev.kind !== 'wallet' && ev.order.category !== 'spot')) return;
    if (ev.kind === 'wallet') [topic, item] = ['outboundAccountInfo', accountItem(ev)];
    else if (ev.kind === 'order' && isStopEvent(ev.order)) [topic, item] = ['stopOrder', stopItem('stopOrder', ev.order, ev.time)];
    else if (ev.kind === 'order') [topic, item] = ['order', orderItem('order', ev.order, ev.time)];
    else [topic, item] = ['ticketInfo', ticketItem(ev)];
    if (!session.topics.has(topic)) return;
    session.sendJson({ type: 'snapshot', topic, ts: String(ev.time), data: [item] });
  }

}
