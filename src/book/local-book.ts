/**
 * A local order book rebuilt from snapshot + delta frames.
 *
 * Each side is a sorted run of prices (and their quantities) inside a larger Float64Array,
 * with free room at both ends. A level is found by binary search on its numeric price
 * ("30240.00" and "30240" parse to the same number, hence the same level); an insert or a
 * delete moves whichever part of the run is shorter. Live books churn near the top and refill
 * or trim at the far end, so both ends are cheap: a delta level costs O(log n) plus a short
 * move, never a re-sort; levels are parsed into reused buffers, not allocated one by one.
 */
import type { BookFrame } from './frame';
import { parseDecimal } from './decimal';

/**
 * What applying a frame did; anything but 'ok' drops the book until a fresh snapshot.
 * 'gap': a delta's `u` skipped ahead; 'not-rising': it did not rise at all (or is missing).
 */
export type ApplyResult = 'ok' | 'no-snapshot' | 'gap' | 'not-rising' | 'crossed' | 'bad-level';

export type Level = [price: number, qty: number];

/** The best levels of both sides, best first, as numbers. */
export interface BookView {
  symbol: string;
  bids: Level[];
  asks: Level[];
  updateId: number | null;
  time: number | null;
  seq: number | null;
  matchTime: number | null;
}

/** A wire number: a decimal string (or a number); NaN for anything else. */
function toNumber(value: unknown): number {
  if (typeof value === 'string') return parseDecimal(value);
  return typeof value === 'number' ? value : NaN;
}

/**
 * Parses a frame side's levels into `out` as price, qty pairs; false when one is not a
 * [price > 0, qty >= 0] pair of finite numbers. Reading everything first keeps a frame with
 * one bad level from being applied in part.
 */
function readLevels(levels: readonly unknown[], out: Scratch): boolean {
  out.reserve(levels.length * 2);
  const buf = out.buf;
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i];
    if (!Array.isArray(level) || level.length < 2) return false;
    const price = toNumber(level[0]);
    const qty = toNumber(level[1]);
    if (!(price > 0 && price < Infinity && qty >= 0 && qty < Infinity)) return false;
    buf[2 * i] = price;
    buf[2 * i + 1] = qty;
  }
  out.length = levels.length;
  return true;
}

/** A reusable buffer of price, qty pairs. */
class Scratch {
  buf = new Float64Array(64);
  length = 0;

  reserve(size: number): void {
    if (this.buf.length < size) this.buf = new Float64Array(Math.max(size, this.buf.length * 2));
  }
}

class BookSide {
  /** Prices and quantities live in [head, tail), sorted worst → best (best at tail - 1). */
  private prices = new Float64Array(32);
  private qtys = new Float64Array(32);
  private head = 16;
  private tail = 16;
  /** +1 for bids (ascending prices), -1 for asks (descending): `(a - b) * dir < 0` means a is worse. */
  private readonly dir: 1 | -1;

  constructor(isBid: boolean) {
    this.dir = isBid ? 1 : -1;
  }

  get size(): number {
    return this.tail - this.head;
  }

  get bestPrice(): number | undefined {
    return this.tail > this.head ? this.prices[this.tail - 1] : undefined;
  }

  clear(): void {
    this.head = this.tail = this.prices.length >> 1;
  }

  /** Replaces the side with a snapshot's levels, keeping the best `depth`. */
  load(levels: Scratch, depth: number): void {
    const dir = this.dir;
    const pairs: Level[] = new Array(levels.length);
    for (let i = 0; i < levels.length; i++) pairs[i] = [levels.buf[2 * i], levels.buf[2 * i + 1]];
    // Stable sort: should a price repeat, its last occurrence wins, as it would applied in order.
    pairs.sort((a, b) => (a[0] - b[0]) * dir);
    const kept: Level[] = [];
    for (const pair of pairs) {
      const last = kept.length - 1;
      if (last >= 0 && kept[last][0] === pair[0]) kept[last] = pair;
      else kept.push(pair);
    }
    // Zero quantities mean "no level": drop them only now, after repeats were resolved.
    const live = kept.filter((l) => l[1] > 0);
    const capacity = Math.max(32, live.length * 2);
    this.prices = new Float64Array(capacity);
    this.qtys = new Float64Array(capacity);
    this.head = this.tail = (capacity - live.length) >> 1;
    for (const [price, qty] of live) {
      this.prices[this.tail] = price;
      this.qtys[this.tail++] = qty;
    }
    this.trim(depth);
  }

  /** Applies one level of a delta: qty 0 deletes, a new price inserts, a known one updates. */
  set(price: number, qty: number): void {
    const at = this.search(price);
    if (at >= 0) {
      if (qty > 0) this.qtys[at] = qty;
      else this.remove(at);
    } else if (qty > 0) {
      this.insert(~at, price, qty);
    }
    // Deleting a price the book does not hold is harmless: it may have left our window already.
  }

  /** Drops the worst levels beyond `depth`: they sit at the head, so this moves nothing. */
  trim(depth: number): void {
    if (this.size > depth) this.head = this.tail - depth;
  }

  /** The best `n` levels, best first. */
  top(n: number): Level[] {
    const count = Math.min(Math.max(0, Math.floor(n)), this.size);
    const out: Level[] = new Array(count);
    for (let i = 0, j = this.tail - 1; i < count; i++, j--) out[i] = [this.prices[j], this.qtys[j]];
    return out;
  }

  /** Absolute index of `price`, or ~(absolute insertion point) when absent. */
  private search(price: number): number {
    const { prices, dir } = this;
    let lo = this.head;
    let hi = this.tail - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const diff = (prices[mid] - price) * dir;
      if (diff < 0) lo = mid + 1;
      else if (diff > 0) hi = mid - 1;
      else return mid;
    }
    return ~lo;
  }

  /** Inserts at absolute index `at`, moving the shorter part of the run outward by one. */
  private insert(at: number, price: number, qty: number): void {
    if (at - this.head < this.tail - at) {
      if (this.head === 0) return this.insert(at + this.recenter(), price, qty);
      this.prices.copyWithin(this.head - 1, this.head, at);
      this.qtys.copyWithin(this.head - 1, this.head, at);
      this.head--;
      at--;
    } else {
      if (this.tail === this.prices.length) return this.insert(at + this.recenter(), price, qty);
      this.prices.copyWithin(at + 1, at, this.tail);
      this.qtys.copyWithin(at + 1, at, this.tail);
      this.tail++;
    }
    this.prices[at] = price;
    this.qtys[at] = qty;
  }

  /** Removes absolute index `at`, closing the gap from the shorter side. */
  private remove(at: number): void {
    if (at - this.head < this.tail - 1 - at) {
      this.prices.copyWithin(this.head + 1, this.head, at);
      this.qtys.copyWithin(this.head + 1, this.head, at);
      this.head++;
    } else {
      this.prices.copyWithin(at, at + 1, this.tail);
      this.qtys.copyWithin(at, at + 1, this.tail);
      this.tail--;
    }
  }

  /** Centres the run with room on both sides (growing the buffers when half full); returns the shift. */
  private recenter(): number {
    const size = this.size;
    const capacity = size * 2 + 2 > this.prices.length ? this.prices.length * 2 : this.prices.length;
    const oldHead = this.head;
    this.reallocate(capacity);
    return this.head - oldHead;
  }

  /** Moves the run into fresh buffers of `capacity`, centred. */
  private reallocate(capacity: number): void {
    const size = this.size;
    const head = (capacity - size) >> 1;
    const prices = new Float64Array(capacity);
    const qtys = new Float64Array(capacity);
    prices.set(this.prices.subarray(this.head, this.tail), head);
    qtys.set(this.qtys.subarray(this.head, this.tail), head);
    this.prices = prices;
    this.qtys = qtys;
    this.head = head;
    this.tail = head + size;
  }
}

export class LocalBook {
  private readonly bids = new BookSide(true);
  private readonly asks = new BookSide(false);
  private readonly bidScratch = new Scratch();
  private readonly askScratch = new Scratch();
  private valid = false;
  symbol = '';
  updateId: number | null = null;
  time: number | null = 0;
  seq: number | null = null;
  matchTime: number | null = null;
  /**
   * Whether a delta may skip update ids. Bybit's orderbook page no longer promises that `u` rises
   * by exactly 1, so the engine allows skips on a topic whose books keep breaking only on them;
   * a `u` that does not rise still drops the book. Survives reset().
   */
  skipsAllowed = false;

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
   * A delta's update id must rise, by exactly one unless skipsAllowed. On any failure the book
   * is dropped, so a crossed, gapped or corrupted book is never visible.
   */
  apply(frame: BookFrame): ApplyResult {
    const bids = this.bidScratch;
    const asks = this.askScratch;
    if (!readLevels(frame.bids, bids) || !readLevels(frame.asks, asks)) return this.fail('bad-level');
    if (frame.kind === 'snapshot') {
      this.bids.load(bids, this.depth);
      this.asks.load(asks, this.depth);
    } else {
      if (!this.valid) return this.fail('no-snapshot');
      const placed = this.place(frame.updateId);
      if (placed !== 'ok') return this.fail(placed);
      for (let i = 0; i < bids.length; i++) this.bids.set(bids.buf[2 * i], bids.buf[2 * i + 1]);
      for (let i = 0; i < asks.length; i++) this.asks.set(asks.buf[2 * i], asks.buf[2 * i + 1]);
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
    this.seq = frame.seq ?? null;
    this.matchTime = frame.matchTime ?? null;
    return 'ok';
  }

  /** The best `n` levels per side, best first. */
  view(n: number): BookView {
    return { symbol: this.symbol, bids: this.bids.top(n), asks: this.asks.top(n), updateId: this.updateId, time: this.time, seq: this.seq, matchTime: this.matchTime };
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

  /** Where a delta's update id stands after ours: next (or a skip, when allowed), skipped ahead, or not after it. */
  private place(u: number | null): ApplyResult {
    const last = this.updateId;
    if (last === null) return 'ok';
    // A delta we cannot place after ours (repeated, older, without an id) is as bad as a missing one.
    if (u === null || !(u > last)) return 'not-rising';
    return u === last + 1 || this.skipsAllowed ? 'ok' : 'gap';
  }

  private fail(result: ApplyResult): ApplyResult {
    this.reset();
    return result;
  }
}
