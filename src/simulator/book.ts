/**
 * One authoritative order book per (symbol, depth). It generates its own changes around
 * the symbol's mid price and records them as deltas, so the wire layer only encodes.
 * Invariants kept after every step: best bid < mid < best ask, at most `depth` levels a side.
 */
import { formatUnits } from './decimal';
import type { Rng } from './rng';

export type Level = [price: string, qty: string];

export interface BookView {
  bids: Level[];
  asks: Level[];
  u: number;
}

/** The net change of one step: only prices whose quantity actually changed, qty 0 = deleted. */
export interface BookDelta {
  bids: Level[];
  asks: Level[];
  u: number;
}

export interface BookScale {
  priceDecimals: number;
  qtyDecimals: number;
  /** price distance (in price units) between neighbouring levels, times 1..3 */
  grid: number;
}

type Side = Map<number, number>;

export class SimBook {
  readonly bids: Side = new Map();
  readonly asks: Side = new Map();
  u: number;
  private skipNext = false;
  /**
   * While set, each update id moves on by 1 to 3 at random: orderbook.mdx no longer promises
   * consecutive `u` values (only orderbook.full does), so a client must not insist on +1.
   */
  skipU = false;

  constructor(
    readonly symbol: string,
    readonly depth: number,
    private readonly scale: BookScale,
    private readonly rng: Rng,
    mid: number,
  ) {
    this.u = rng.int(1_000_000, 9_000_000);
    this.fill(mid);
  }

  /** Replaces every level with a fresh book around `mid` (used for restarts). */
  regenerate(mid: number): void {
    this.bids.clear();
    this.asks.clear();
    this.fill(mid);
  }

  /** The next delta will skip one update id, as if a message was lost. */
  injectGap(): void {
    this.skipNext = true;
  }

  /** Advances the update id for an outgoing message, honouring an injected gap. */
  nextU(): number {
    this.u += this.skipNext ? 2 : this.skipU ? this.rng.int(1, 3) : 1;
    this.skipNext = false;
    return this.u;
  }

  /**
   * Moves the book toward `mid` and applies a few random changes. Returns the net delta
   * (with a fresh `u`), or null when nothing changed, so no empty message is sent.
   */
  step(mid: number): BookDelta | null {
    const touched = { bid: new Map<number, number>(), ask: new Map<number, number>() };
    const set = (isBid: boolean, price: number, qty: number): void => {
      const side = isBid ? this.bids : this.asks;
      const seen = isBid ? touched.bid : touched.ask;
      if (!seen.has(price)) seen.set(price, side.get(price) ?? 0);
      if (qty === 0) side.delete(price);
      else side.set(price, qty);
    };
    const grid = this.scale.grid;

    // Levels on the wrong side of the new mid go first: that is what keeps the book uncrossed.
    for (const p of [...this.bids.keys()]) if (p >= mid) set(true, p, 0);
    for (const p of [...this.asks.keys()]) if (p <= mid) set(false, p, 0);

    const ops = this.rng.int(1, 4);
    for (let i = 0; i < ops; i++) {
      const isBid = this.rng.chance(0.5);
      const side = isBid ? this.bids : this.asks;
      const op = this.rng.int(0, 2);
      if (op === 2 || side.size === 0) {
        const offset = grid * this.rng.int(1, 10);
        const price = isBid ? mid - offset : mid + offset;
        if (price > 0) set(isBid, price, this.randomQty());
      } else {
        const price = this.pickNearTop(isBid);
        if (op === 1 && side.size > 1) set(isBid, price, 0);
        else set(isBid, price, this.randomQty());
      }
    }

    // Refill thin sides from the far end, a few levels per step so deltas stay small.
    for (const isBid of [true, false]) {
      const side = isBid ? this.bids : this.asks;
      for (let added = 0; side.size < this.depth && added < 5; added++) {
        const worst = this.worst(isBid);
        const gap = grid * this.rng.int(1, 3);
        const price = worst === undefined ? (isBid ? mid - gap : mid + gap) : isBid ? worst - gap : worst + gap;
        if (price <= 0) break;
        set(isBid, price, this.randomQty());
      }
      // Inserts near the top can push the worst level out of the window: delete it explicitly.
      while (side.size > this.depth) set(isBid, this.worst(isBid)!, 0);
    }

    const bids = this.netChanges(touched.bid, this.bids, true);
    const asks = this.netChanges(touched.ask, this.asks, false);
    if (bids.length === 0 && asks.length === 0) return null;
    return { bids, asks, u: this.nextU() };
  }

  /**
   * A delta that would cross the book (a bid at or above the best ask). It is not applied
   * here: the authoritative book stays sane, only the receiver is tested. Consumes a `u`.
   */
  crossedDelta(): BookDelta {
    const bestAsk = this.best(false);
    const bestBid = this.best(true) ?? 0;
    const price = (bestAsk ?? bestBid + this.scale.grid) + this.scale.grid;
    return { bids: [[this.fmtPrice(price), this.fmtQty(this.randomQty())]], asks: [], u: this.nextU() };
  }

  view(): BookView {
    return { bids: this.levels(true), asks: this.levels(false), u: this.u };
  }

  /** Sorted levels, best first, as wire strings. */
  levels(isBid: boolean, limit = this.depth): Level[] {
    const side = isBid ? this.bids : this.asks;
    const prices = [...side.keys()].sort((a, b) => (isBid ? b - a : a - b)).slice(0, limit);
    return prices.map((p) => [this.fmtPrice(p), this.fmtQty(side.get(p)!)]);
  }

  best(isBid: boolean): number | undefined {
    let best: number | undefined;
    for (const p of (isBid ? this.bids : this.asks).keys()) {
      if (best === undefined || (isBid ? p > best : p < best)) best = p;
    }
    return best;
  }

  private worst(isBid: boolean): number | undefined {
    let worst: number | undefined;
    for (const p of (isBid ? this.bids : this.asks).keys()) {
      if (worst === undefined || (isBid ? p < worst : p > worst)) worst = p;
    }
    return worst;
  }

  private fill(mid: number): void {
    const grid = this.scale.grid;
    for (const isBid of [true, false]) {
      const side = isBid ? this.bids : this.asks;
      let price = isBid ? mid - grid * this.rng.int(1, 2) : mid + grid * this.rng.int(1, 2);
      while (side.size < this.depth && price > 0) {
        side.set(price, this.randomQty());
        const gap = grid * this.rng.int(1, 3);
        price = isBid ? price - gap : price + gap;
      }
    }
  }

  /** Updates and deletes favour the top ten levels, where real books churn. */
  private pickNearTop(isBid: boolean): number {
    // A bounded insertion pass instead of sorting the side: deep books step in O(depth).
    const top: number[] = [];
    const better = (a: number, b: number): boolean => (isBid ? a > b : a < b);
    for (const p of (isBid ? this.bids : this.asks).keys()) {
      if (top.length === 10 && !better(p, top[9])) continue;
      let i = Math.min(top.length, 9);
      top[i] = p;
      while (i > 0 && better(top[i], top[i - 1])) {
        [top[i], top[i - 1]] = [top[i - 1], top[i]];
        i--;
      }
    }
    return top[this.rng.int(0, top.length - 1)];
  }

  private netChanges(touched: Map<number, number>, side: Side, isBid: boolean): Level[] {
    const changed: [number, number][] = [];
    for (const [price, before] of touched) {
      const after = side.get(price) ?? 0;
      if (after !== before) changed.push([price, after]);
    }
    changed.sort((a, b) => (isBid ? b[0] - a[0] : a[0] - b[0]));
    return changed.map(([p, q]) => [this.fmtPrice(p), this.fmtQty(q)]);
  }

  private randomQty(): number {
    // 0.001 .. 5 of the base coin in the symbol's quantity precision
    const step = 10 ** Math.max(0, this.scale.qtyDecimals - 3);
    return this.rng.int(1, 5000) * step;
  }

  private fmtPrice(units: number): string {
    return formatUnits(units, this.scale.priceDecimals);
  }

  private fmtQty(units: number): string {
    return units === 0 ? '0' : formatUnits(units, this.scale.qtyDecimals);
  }
}
