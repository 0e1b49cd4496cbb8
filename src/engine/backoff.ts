/**
 * Reconnect delays: capped exponential backoff with jitter, so that many clients dropped at
 * once do not come back in lock-step (Bybit counts new connections per IP).
 */
export interface BackoffOptions {
  /** First delay, ms (default 500). */
  baseMs?: number;
  /** Largest delay, ms (default 30 000). */
  capMs?: number;
  /** Fraction of the delay that is randomised, 0..1 (default 0.2: ±20%). */
  jitter?: number;
  random?: () => number;
}

export class Backoff {
  private attempt = 0;
  private readonly baseMs: number;
  private readonly capMs: number;
  private readonly jitter: number;
  private readonly random: () => number;

  constructor(opts: BackoffOptions = {}) {
    this.baseMs = opts.baseMs ?? 500;
    this.capMs = opts.capMs ?? 30_000;
    this.jitter = opts.jitter ?? 0.2;
    this.random = opts.random ?? Math.random;
  }

  /** The delay before the next attempt; each call doubles the next one up to the cap. */
  next(): number {
    const raw = Math.min(this.capMs, this.baseMs * 2 ** this.attempt);
    if (raw < this.capMs) this.attempt++;
    const spread = raw * this.jitter;
    return Math.max(0, Math.round(raw - spread + this.random() * 2 * spread));
  }

  /** After a connection stayed healthy: start again from the first step. */
  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
