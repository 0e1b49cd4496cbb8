/**
 * Per-account, per-op rate limits of the Trade API (rate-limit/rate-limit.mdx: a rolling
 * one-second window per UID; defaults from its "Trade" table, spot apart from the rest) and the
 * "leave the next request unanswered" switch tests use for client timeouts.
 */

/** [spot, linear/inverse/option] requests per window, from rate-limit.mdx (UTA2.0 Pro). */
const DEFAULT_LIMITS: Record<string, [number, number]> = {
  'order.create': [20, 10],
  'order.amend': [10, 10],
  'order.cancel': [20, 10],
  'order.create-batch': [20, 10],
  'order.amend-batch': [20, 10],
  'order.cancel-batch': [20, 10],
};

export interface LimitStatus {
  ok: boolean;
  limit: number;
  remaining: number;
  /** when the window frees a slot if exceeded, else now (guideline.mdx X-Bapi-Limit-Reset-Timestamp) */
  resetAt: number;
}

export interface LimitSettings {
  /** one op, or every op when absent */
  op?: string;
  /** requests per window; null restores the documented defaults */
  limit?: number | null;
  windowMs?: number;
}

export class TradeLimits {
  windowMs = 1000;
  private readonly overrides = new Map<string, number>();
  private readonly hits = new Map<string, number[]>();
  private silentLeft = 0;
  private silentExecute = false;

  limitFor(op: string, category: unknown): number {
    const override = this.overrides.get(op) ?? this.overrides.get('*');
    if (override !== undefined) return override;
    const [spot, other] = DEFAULT_LIMITS[op] ?? [10, 10];
    return category === 'spot' ? spot : other;
  }

  /** Counts `cost` requests of op for this account unless that would exceed the limit. */
  take(key: string, op: string, category: unknown, now: number, cost = 1): LimitStatus {
    const limit = this.limitFor(op, category);
    // rate-limit.mdx's Trade table: inverse and linear share one cell; option and spot have their own.
    const group = category === 'spot' || category === 'option' ? category : 'derivatives';
    const bucket = `${key}\n${op}\n${group}`;
    const times = (this.hits.get(bucket) ?? []).filter((t) => t > now - this.windowMs);
    this.hits.set(bucket, times);
    if (times.length + cost > limit) {
      return { ok: false, limit, remaining: Math.max(0, limit - times.length), resetAt: (times[0] ?? now) + this.windowMs };
    }
    for (let i = 0; i < cost; i++) times.push(now);
    return { ok: true, limit, remaining: limit - times.length, resetAt: now };
  }

  set(settings: LimitSettings): void {
    if (settings.windowMs !== undefined) this.windowMs = settings.windowMs;
    const op = settings.op ?? '*';
    if (settings.limit === null) {
      if (op === '*') this.overrides.clear();
      else this.overrides.delete(op);
    } else if (settings.limit !== undefined) {
      this.overrides.set(op, settings.limit);
    }
    this.hits.clear();
  }

  /** The next n order requests get no reply; with execute they are still carried out. */
  silenceNext(n: number, execute = false): void {
    this.silentLeft = Math.max(0, Math.floor(n));
    this.silentExecute = execute;
  }

  /** Consumes one silenced request: undefined when none is armed. */
  takeSilence(): { execute: boolean } | undefined {
    if (this.silentLeft <= 0) return undefined;
    this.silentLeft--;
    return { execute: this.silentExecute };
  }
}
