/**
 * Spot v1 private (`/spot/ws`): auth alone subscribes every private stream; pushes are
 * JSON arrays of events keyed by `e`.
 */
import type { AccountEvent } from './account';
import { verifyAuth } from './auth';
import type { Dialect, DialectContext } from './dialect';
import type { Session } from './session';
import { accountItem, isStopEvent, orderItem, stopItem, ticketItem } from './spot-items';
import { V1_ERRORS } from './spot-v1';

/** What a v1 socket holds after auth (spot only). */
export const V1_PRIVATE_TOPICS = ['outboundAccountInfo', 'executionReport', 'stop_executionReport', 'ticketInfo'];

export class SpotV1PrivateDialect implements Dialect {
  readonly name = 'spot-v1-private';

  constructor(private readonly ctx: DialectContext) {}

  onFrame(session: Session, _text: string, frame: unknown, decodeError: string | undefined): void {
    if (decodeError !== undefined) {
      return void session.sendJson({ code: V1_ERRORS.request, desc: `Failed to decode incoming data: ${decodeError}` });
    }
    const req = frame !== null && typeof frame === 'object' && !Array.isArray(frame) ? (frame as Record<string, unknown>) : undefined;
    if (req && ('ping' in req || req.op === 'ping')) return void session.sendJson({ pong: this.ctx.now() });
    if (req && req.op === 'auth') return this.auth(session, req.args);
    session.sendJson({ code: V1_ERRORS.request, desc: 'Invalid request' });
  }

  /**
   * v1 pushes are arrays of events, except executionReport, which the docs print as a bare
   * object (wire option v1ExecutionReport: 'array' wraps it like the others).
   */
  onAccountEvent(session: Session, ev: AccountEvent): void {
    if (session.topics.size === 0 || ev.kind === 'position' || (ev.kind !== 'wallet' && ev.order.category !== 'spot')) return;
    if (ev.kind === 'order' && !isStopEvent(ev.order)) {
      const item = orderItem('executionReport', ev.order, ev.time);
      return void session.sendJson(this.ctx.wire.v1ExecutionReport === 'array' ? [item] : item);
    }
    const item = ev.kind === 'wallet' ? accountItem(ev) : ev.kind === 'order' ? stopItem('stop_executionReport', ev.order, ev.time) : ticketItem(ev);
    session.sendJson([item]);
  }

  private auth(session: Session, args: unknown): void {
    const result = this.ctx.faults.authRejection === undefined ? verifyAuth(this.ctx.credentials, args, this.ctx.now()) : undefined;
    if (!result?.ok) return void session.sendJson({ auth: 'fail' });
    session.authKey = result.key;
    session.sendJson({ auth: 'success', userId: this.ctx.accounts.userId(result.key) });
    const added = V1_PRIVATE_TOPICS.filter((t) => !session.topics.has(t));
    for (const t of added) session.topics.add(t);
    if (added.length) this.ctx.subscribed(session, added);
  }
}
