/**
 * A local order book rebuilt from snapshot + delta frames.
 *
 * Each side is a pair of parallel arrays (prices, quantities) sorted worst-first, so the best
 * level is the last element. Real books churn near the top, so most inserts and deletes touch
 * the end of the arrays and move almost nothing; a level is found by binary search on its
 * numeric price ("30240.00" and "30240" parse to the same number, hence the same level).
 * A delta level therefore costs O(log n) plus a short shift, never a re-sort.
 */
import type { BookFrame } from '../dialects/types';

/** What applying a frame did; anything but 'ok' drops the book until a fresh snapshot. */
export type ApplyResult = 'ok' | 'no-snapshot' | 'gap' | 'crossed' | 'bad-level';

export type Level = [price: number, qty: number];

/** The best levels of both sides, best first, as numbers. */
export interface BookView {
  symbol: string;
  bids: Level[];
  asks: Level[];
  updateId: number | null;
  time: number;
}

/** Reads one wire level; undefined when it is not a [price > 0, qty >= 0] pair. */
function readLevel(level: unknown): Level | undefined {
  if (!Array.isArray(level) || level.length < 2) return undefined;
  const price = toNumber(level[0]);
  const qty = toNumber(level[1]);
  if (!(price > 0) || !(qty >= 0) || price === Infinity || qty === Infinity) return undefined;
  return [price, qty];
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return NaN;
}

class BookSide {
  /** Sorted worst → best: ascending prices for bids, descending for asks. */
  private prices: number[] = [];
  private qtys: number[] = [];
  /** +1 for bids, -1 for asks: `(a - b) * dir < 0` means a is worse than b. */
  private readonly dir: 1 | -1;

  constructor(isBid: boolean) {
    this.dir = isBid ? 1 : -1;
  }

  get size(): number {
    return this.prices.length;
  }

  get bestPrice(): number | undefined {
    return this.prices.length ? this.prices[this.prices.length - 1] : undefined;
  }

  clear(): void {
    this.prices = [];
    this.qtys = [];
  }

  /** Replaces the side with a snapshot's levels, keeping the best `depth`. */
  load(levels: Level[], depth: number): void {
    const dir = this.dir;
    // Stable sort: should a price repeat, its last occurrence wins, as it would applied in order.
    const sorted = levels.slice().sort((a, b) => (a[0] - b[0]) * dir);
    const prices: number[] = [];
    const qtys: number[] = [];
    for (const [price, qty] of sorted) {
      const last = prices.length - 1;
      if (last >= 0 && prices[last] === price) qtys[last] = qty;
      else {
        prices.push(price);
        qtys.push(qty);
      }
    }
    // Zero quantities mean "no level": drop them only now, after repeats were resolved.
    this.prices = [];
    this.qtys = [];
    for (let i = 0; i < prices.length; i++) {
      if (qtys[i] > 0) {
        this.prices.push(prices[i]);
        this.qtys.push(qtys[i]);
      }
    }
    this.trim(depth);
  }

  /** Applies one level of a delta: qty 0 deletes, a new price inserts, a known one updates. */
  set(price: number, qty: number): void {
    const at = this.search(price);
    if (at >= 0) {
      if (qty > 0) this.qtys[at] = qty;
      else if (at === this.prices.length - 1) {
        this.prices.pop();
        this.qtys.pop();
      } else {
        this.prices.splice(at, 1);
        this.qtys.splice(at, 1);
      }
    } else if (qty > 0) {
      const ins = ~at;
      if (ins === this.prices.length) {
        this.prices.push(price);
        this.qtys.push(qty);
      } else {
        this.prices.splice(ins, 0, price);
        this.qtys.splice(ins, 0, qty);
      }
    }
    // Deleting a price the book does not hold is harmless: it may have left our window already.
  }

  /** Drops the worst levels beyond `depth`. */
  trim(depth: number): void {
    const excess = this.prices.length - depth;
    if (excess > 0) {
      this.prices.splice(0, excess);
      this.qtys.splice(0, excess);
    }
  }

  /** The best `n` levels, best first. */
  top(n: number): Level[] {
    const len = this.prices.length;
    const count = Math.min(Math.max(0, Math.floor(n)), len);
    const out: Level[] = new Array(count);
    for (let i = 0; i < count; i++) out[i] = [this.prices[len - 1 - i], this.qtys[len - 1 - i]];
    return out;
  }

  /** Index of `price`, or ~(insertion point) when absent. */
  private search(price: number): number {
    const { prices, dir } = this;
    let lo = 0;
    let hi = prices.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const diff = (prices[mid] - price) * dir;
      if (diff < 0) lo = mid + 1;
      else if (diff > 0) hi = mid - 1;
      else return mid;
    }
    return ~lo;
  }
}

export class LocalBook {
  private readonly bids = new BookSide(true);
  private readonly asks = new BookSide(false);
  private valid = false;
  symbol = '';
  updateId: number | null = null;
  time = 0;

  /** @param depth levels the stream carries per side; deeper levels are dropped. */
  constructor(readonly depth: number) {}

  /** True once a snapshot was applied and nothing has gone wrong since. */
  get isValid(): boolean {
    return this.valid;
  }

  /** Forgets everything; the next frame must be a snapshot. */
  reset(): void {
    this.bids.clear();
    this.asks.clear();
    this.valid = false;
    this.updateId = null;
  }

  /**
   * Applies a frame. A snapshot replaces the book (one with u = 1 after a server restart too).
   * A delta must follow the previous update id by exactly one. On any failure the book is
   * dropped, so a crossed, gapped or corrupted book is never visible.
   */
  apply(frame: BookFrame): ApplyResult {
    const bids: Level[] = [];
    const asks: Level[] = [];
    // Read every level first: a frame with one unreadable level is not applied in part.
    for (const raw of frame.bids) {
      const level = readLevel(raw);
      if (!level) return this.fail('bad-level');
      bids.push(level);
    }
    for (const raw of frame.asks) {
      const level = readLevel(raw);
      if (!level) return this.fail('bad-level');
      asks.push(level);
    }
    if (frame.kind === 'snapshot') {
      this.bids.load(bids, this.depth);
      this.asks.load(asks, this.depth);
    } else {
      if (!this.valid) return this.fail('no-snapshot');
      // A delta we cannot place in sequence is as bad as a missing one.
      if (this.updateId !== null && (frame.updateId === null || frame.updateId !== this.updateId + 1)) return this.fail('gap');
      for (const [price, qty] of bids) this.bids.set(price, qty);
      for (const [price, qty] of asks) this.asks.set(price, qty);
      this.bids.trim(this.depth);
      this.asks.trim(this.depth);
    }
    const bestBid = this.bids.bestPrice;
    const bestAsk = this.asks.bestPrice;
    if (bestBid !== undefined && bestAsk !== undefined && bestBid >= bestAsk) return this.fail('crossed');
    this.valid = true;
    this.symbol = frame.symbol || this.symbol;
    this.updateId = frame.updateId;
    this.time = frame.time;
    return 'ok';
  }

  /** The best `n` levels per side, best first. */
  view(n: number): BookView {
    return { symbol: this.symbol, bids: this.bids.top(n), asks: this.asks.top(n), updateId: this.updateId, time: this.time };
  }

  get bestBid(): Level | undefined {
    return this.bids.top(1)[0];
  }

  get bestAsk(): Level | undefined {
    return this.asks.top(1)[0];
  }

  get levelCount(): { bids: number; asks: number } {
    return { bids: this.bids.size, asks: this.asks.size };
  }

  private fail(result: ApplyResult): ApplyResult {
    this.reset();
    return result;
  }
}
