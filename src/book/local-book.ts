/**
 * A local order book rebuilt from snapshot + delta frames. Each side is an array kept sorted
 * best-first; a level is found by binary search on its numeric price (so "30240.00" and
 * "30240" are one level), so a delta costs O(log n) to find plus one splice, never a re-sort.
 */
import type { BookFrame } from '../dialects/types';

/** What applying a frame did; anything but 'ok' means the book must be rebuilt from a fresh snapshot. */
export type ApplyResult = 'ok' | 'no-snapshot' | 'gap' | 'crossed' | 'bad-level';

interface Side {
  prices: number[];
  qtys: number[];
  /** +1 for asks (ascending), -1 for bids (descending): best first on both sides. */
  dir: 1 | -1;
}

export interface BookView {
  symbol: string;
  bids: [number, number][];
  asks: [number, number][];
  updateId: number | null;
  time: number;
}

function newSide(dir: 1 | -1): Side {
  return { prices: [], qtys: [], dir };
}

/** Index of price in side, or -(insertion point) - 1 when absent. */
function search(side: Side, price: number): number {
  const { prices, dir } = side;
  let lo = 0;
  let hi = prices.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const diff = (prices[mid] - price) * dir;
    if (diff < 0) lo = mid + 1;
    else if (diff > 0) hi = mid - 1;
    else return mid;
  }
  return -lo - 1;
}

/** Applies one [price, qty] level; false when it cannot be read. */
function setLevel(side: Side, level: unknown): boolean {
  if (!Array.isArray(level)) return false;
  const price = Number(level[0]);
  const qty = Number(level[1]);
  if (!Number.isFinite(price) || !Number.isFinite(qty) || qty < 0 || price <= 0) return false;
  const at = search(side, price);
  if (qty === 0) {
    if (at >= 0) {
      side.prices.splice(at, 1);
      side.qtys.splice(at, 1);
    }
  } else if (at >= 0) {
    side.qtys[at] = qty;
  } else {
    const ins = -at - 1;
    side.prices.splice(ins, 0, price);
    side.qtys.splice(ins, 0, qty);
  }
  return true;
}

function trim(side: Side, depth: number): void {
  if (side.prices.length > depth) {
    side.prices.length = depth;
    side.qtys.length = depth;
  }
}

function top(side: Side, n: number): [number, number][] {
  const count = Math.min(n, side.prices.length);
  const out: [number, number][] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = [side.prices[i], side.qtys[i]];
  return out;
}

export class LocalBook {
  private bids = newSide(-1);
  private asks = newSide(1);
  private valid = false;
  symbol = '';
  updateId: number | null = null;
  time = 0;

  /** @param depth levels the stream carries per side; deeper levels are dropped. */
  constructor(readonly depth: number) {}

  get isValid(): boolean {
    return this.valid;
  }

  /** Forgets everything; the next frame must be a snapshot. */
  reset(): void {
    this.bids = newSide(-1);
    this.asks = newSide(1);
    this.valid = false;
    this.updateId = null;
  }

  apply(frame: BookFrame): ApplyResult {
    if (frame.kind === 'snapshot') {
      // A snapshot replaces the book, including one with u = 1 after a server restart.
      this.bids = newSide(-1);
      this.asks = newSide(1);
    } else {
      if (!this.valid) return this.fail('no-snapshot');
      if (this.updateId !== null && frame.updateId !== null && frame.updateId !== this.updateId + 1) return this.fail('gap');
    }
    for (const level of frame.bids) if (!setLevel(this.bids, level)) return this.fail('bad-level');
    for (const level of frame.asks) if (!setLevel(this.asks, level)) return this.fail('bad-level');
    trim(this.bids, this.depth);
    trim(this.asks, this.depth);
    if (this.bids.prices.length > 0 && this.asks.prices.length > 0 && this.bids.prices[0] >= this.asks.prices[0]) {
      return this.fail('crossed');
    }
    this.valid = true;
    this.symbol = frame.symbol || this.symbol;
    this.updateId = frame.updateId;
    this.time = frame.time;
    return 'ok';
  }

  /** The best `n` levels per side, best first. */
  view(n: number): BookView {
    return { symbol: this.symbol, bids: top(this.bids, n), asks: top(this.asks, n), updateId: this.updateId, time: this.time };
  }

  get bestBid(): [number, number] | undefined {
    return this.bids.prices.length ? [this.bids.prices[0], this.bids.qtys[0]] : undefined;
  }

  get bestAsk(): [number, number] | undefined {
    return this.asks.prices.length ? [this.asks.prices[0], this.asks.qtys[0]] : undefined;
  }

  get levelCount(): { bids: number; asks: number } {
    return { bids: this.bids.prices.length, asks: this.asks.prices.length };
  }

  private fail(result: ApplyResult): ApplyResult {
    this.reset();
    return result;
  }
}
