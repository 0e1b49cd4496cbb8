/**
 * Bybit's per-op order limits, kept on our side so requests wait briefly instead of drawing
 * `10006 Too many visits!`. docs/v5/rate-limit/rate-limit.mdx, "Trade" (UTA2.0 Pro): a rolling
 * one-second window per UID; create and cancel 20/s on spot, 10/s otherwise; amend 10/s;
 * inverse and linear share one cell of the table, option and spot have their own. A reply's
 * `X-Bapi-Limit` (an upgraded or lowered limit) replaces the default for its bucket.
 */
import type { TradeOp } from '../dialects/v5-trade';

const WINDOW_MS = 1000;
const DEFAULTS: Record<TradeOp, { spot: number; other: number }> = {
  'order.create': { spot: 20, other: 10 },
  'order.amend': { spot: 10, other: 10 },
  'order.cancel': { spot: 20, other: 10 },
};

/** A request counted in its bucket; `at` moves to the reply's arrival, when the server has surely counted it. */
export interface RateSlot {
  at: number;
  answered: boolean;
}

export function rateBucket(op: TradeOp, category: unknown): string {
  const group = category === 'spot' || category === 'option' ? category : 'derivatives';
  return `${op}|${group}`;
}

export class TradeRateLimiter {
  private readonly slots = new Map<string, RateSlot[]>();
  private readonly learned = new Map<string, number>();
  private readonly blockedUntil = new Map<string, number>();

  limitOf(bucket: string): number {
    const known = this.learned.get(bucket);
    if (known !== undefined) return known;
    const [op, group] = bucket.split('|') as [TradeOp, string];
    const d = DEFAULTS[op];
    return group === 'spot' ? d.spot : d.other;
  }

  /**
   * Ms until one more request of the bucket may go (0: now). An unanswered request counts as
   * sent now: the server may count it as late as its arrival, which we cannot see.
   */
  delay(bucket: string, now: number): number {
    const blocked = (this.blockedUntil.get(bucket) ?? 0) - now;
    if (blocked > 0) return blocked;
    const live = (this.slots.get(bucket) ?? []).filter((s) => !s.answered || s.at > now - WINDOW_MS);
    this.slots.set(bucket, live);
    if (live.length < this.limitOf(bucket)) return 0;
    const oldest = Math.min(...live.map((s) => (s.answered ? s.at : now)));
    return Math.max(1, oldest + WINDOW_MS - now);
  }

  /** Counts a request being sent now. */
  take(bucket: string, now: number): RateSlot {
    const slot: RateSlot = { at: now, answered: false };
    const list = this.slots.get(bucket) ?? [];
    list.push(slot);
    this.slots.set(bucket, list);
    return slot;
  }

  /** The request's reply (or its end) came: its window runs from now; the header teaches the limit. */
  answered(bucket: string, slot: RateSlot, now: number, header: Record<string, string> = {}): void {
    slot.at = now;
    slot.answered = true;
    const limit = Number(header['X-Bapi-Limit']);
    if (Number.isInteger(limit) && limit > 0) this.learned.set(bucket, limit);
    // No requests left: wait a whole window from now, the server's reset time is on its clock.
    if (header['X-Bapi-Limit-Status'] === '0') this.blockedUntil.set(bucket, now + WINDOW_MS);
  }
}
