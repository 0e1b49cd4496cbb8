/**
 * A local order book rebuilt from snapshot + delta frames.
 *
 * Each side is a sorted run of prices (and their quantities) inside a larger Float64Array,
 * with free room at both ends. A level is found by binary search on its numeric price
 * ("30240.00" and "30240" parse to the same number, hence the same level); an insert or a
 * delete moves whichever part of the run is shorter. Live books churn near the top and refill
 * or trim at the far end, so both ends are cheap: a delta level costs O(log n) plus a short
 * move, never a re-sort; levels are parsed into reused buffers, not allocated one by one.
 *
 * A view hands out level tuples that are frozen and kept until their level changes, so an
 * emit allocates one array per side, not one per level. The hot paths pass doubles through
 * Float64Arrays rather than as call arguments or return values, which V8 boxes on the heap
 * whenever a call is not inlined.
 */
import type { BookFrame } from './frame';
import { parseDecimalInto } from './decimal';

/**
 * What applying a frame did; anything but 'ok' drops the book until a fresh snapshot.
 * 'gap': a delta's `u` skipped ahead; 'not-rising': it did not rise at all (or is missing).
 */
export type ApplyResult = 'ok' | 'no-snapshot' | 'gap' | 'not-rising' | 'crossed' | 'bad-level';

/** Read-only: levels handed out are frozen and shared between views (see `level`). */
export type Level = readonly [price: number, qty: number];

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

/** A wire number (a decimal string or a number) into out[at]; NaN for anything else. */
function readNumber(value: unknown, out: Float64Array, at: number): void {
  if (typeof value === 'string') parseDecimalInto(value, out, at);
  else out[at] = typeof value === 'number' ? value : NaN;
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
    readNumber(level[0], buf, 2 * i);
    readNumber(level[1], buf, 2 * i + 1);
    const price = buf[2 * i];
    const qty = buf[2 * i + 1];
    if (!(price > 0 && price < Infinity && qty >= 0 && qty < Infinity)) return false;
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

/**
 * A level as handed out: frozen, so one tuple can serve every view until its level changes
 * (a view costs one array per side, not one per level) and no consumer can alter another's.
 */
function level(price: number, qty: number): Level {
  return Object.freeze([price, qty]) as Level;
}

class BookSide {
  /** Prices and quantities live in [head, tail), sorted worst → best (best at tail - 1). */
  private prices = new Float64Array(32);
  private qtys = new Float64Array(32);
  /**
   * The tuple last handed out for the level at each index, or null once that level changed:
   * moved, inserted and removed along with prices and quantities, so untouched levels keep theirs.
   */
  private tuples: (Level | null)[] = nulls(32);
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

  /** True when both sides hold levels and the best bid is not below the best ask. */
  static crossed(bids: BookSide, asks: BookSide): boolean {
    return bids.tail > bids.head && asks.tail > asks.head && bids.prices[bids.tail - 1] >= asks.prices[asks.tail - 1];
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
    this.tuples = nulls(capacity);
    this.head = this.tail = (capacity - live.length) >> 1;
    for (const [price, qty] of live) {
      this.prices[this.tail] = price;
      this.qtys[this.tail++] = qty;
    }
    this.trim(depth);
  }

  /**
   * Applies a delta's levels in order: qty 0 deletes, a new price inserts, a known one updates.
   * Deleting a price the book does not hold is harmless: it may have left our window already.
   */
  applyDelta(levels: Scratch): void {
    const buf = levels.buf;
    const dir = this.dir;
    for (let k = 0; k < levels.length; k++) {
      const price = buf[2 * k];
      const qty = buf[2 * k + 1];
      // Binary search for the price in [head, tail); written out here to keep doubles unboxed.
      const prices = this.prices;
      let lo = this.head;
      let hi = this.tail - 1;
      let found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const diff = (prices[mid] - price) * dir;
        if (diff < 0) lo = mid + 1;
        else if (diff > 0) hi = mid - 1;
        else {
          found = mid;
          break;
        }
      }
      if (found >= 0) {
        if (qty <= 0) this.remove(found);
        else if (this.qtys[found] !== qty) {
          this.qtys[found] = qty;
          this.tuples[found] = null;
        }
      } else if (qty > 0) {
        const at = this.openGap(lo);
        this.prices[at] = price;
        this.qtys[at] = qty;
      }
    }
  }

  /** Drops the worst levels beyond `depth`: they sit at the head, so this moves nothing. */
  trim(depth: number): void {
    if (this.size <= depth) return;
    const head = this.tail - depth;
    this.tuples.fill(null, this.head, head); // let the dropped tuples go
    this.head = head;
  }

  /** The best `n` levels, best first: a new array of the (shared, frozen) level tuples. */
  top(n: number): Level[] {
    const count = Math.min(Math.max(0, Math.floor(n)), this.size);
    const out: Level[] = new Array(count);
    const tuples = this.tuples;
    for (let i = 0, j = this.tail - 1; i < count; i++, j--) out[i] = tuples[j] ?? (tuples[j] = level(this.prices[j], this.qtys[j]));
    return out;
  }

  /**
   * Makes room for a level before absolute index `at` (the insertion point), moving the shorter
   * part of the run outward by one; returns the index the new level goes to.
   */
  private openGap(at: number): number {
    if (at - this.head < this.tail - at) {
      if (this.head === 0) return this.openGap(at + this.recenter());
      this.move(this.head - 1, this.head, at);
      this.head--;
      at--;
    } else {
      if (this.tail === this.prices.length) return this.openGap(at + this.recenter());
      this.move(at + 1, at, this.tail);
      this.tail++;
    }
    this.tuples[at] = null;
    return at;
  }

  /** Removes absolute index `at`, closing the gap from the shorter side. */
  private remove(at: number): void {
    if (at - this.head < this.tail - 1 - at) {
      this.move(this.head + 1, this.head, at);
      this.tuples[this.head++] = null;
    } else {
      this.move(at, at + 1, this.tail);
      this.tuples[--this.tail] = null;
    }
  }

  /** copyWithin(target, start, end) on prices, quantities and tuples alike. */
  private move(target: number, start: number, end: number): void {
    this.prices.copyWithin(target, start, end);
    this.qtys.copyWithin(target, start, end);
    // A plain loop: Array.prototype.copyWithin takes a slow generic path on JS arrays.
    const tuples = this.tuples;
    if (target < start) for (let i = start; i < end; i++) tuples[i - start + target] = tuples[i];
    else for (let i = end - 1; i >= start; i--) tuples[i - start + target] = tuples[i];
  }

  /**
   * Centres the run with room on both sides, in place, or in buffers twice the size once the run
   * fills half of them; returns the shift. A book drifting one way comes here now and then.
   */
  private recenter(): number {
    const size = this.size;
    const grow = size * 2 + 2 > this.prices.length;
    const capacity = grow ? this.prices.length * 2 : this.prices.length;
    const head = (capacity - size) >> 1;
    const shift = head - this.head;
    if (grow) {
      const prices = new Float64Array(capacity);
      const qtys = new Float64Array(capacity);
      const tuples = nulls(capacity);
      prices.set(this.prices.subarray(this.head, this.tail), head);
      qtys.set(this.qtys.subarray(this.head, this.tail), head);
      for (let i = 0; i < size; i++) tuples[head + i] = this.tuples[this.head + i];
      this.prices = prices;
      this.qtys = qtys;
      this.tuples = tuples;
    } else {
      this.move(head, this.head, this.tail);
    }
    this.head = head;
    this.tail = head + size;
    return shift;
  }
}

/** An array of nulls built by push, so V8 keeps it packed (no hole checks on reads). */
function nulls(length: number): (Level | null)[] {
  const out: (Level | null)[] = [];
  for (let i = 0; i < length; i++) out.push(null);
  return out;
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
      this.bids.applyDelta(bids);
      this.asks.applyDelta(asks);
      this.bids.trim(this.depth);
      this.asks.trim(this.depth);
    }
    if (BookSide.crossed(this.bids, this.asks)) return this.fail('crossed');
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
