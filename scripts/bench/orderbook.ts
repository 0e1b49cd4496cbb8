/**
 * Order-book cost per delta level: the local book (sorted sides, binary search) against a
 * naive book that keeps a Map per side and sorts it after every update, on the same seeded
 * workload of V5-style snapshot + deltas at 50, 200 and 1000 levels, in the same run.
 */
import { LocalBook } from '../../src/book/local-book';
import type { BookFrame } from '../../src/book/frame';
import type { Benchmark, BenchContext, BenchResult, Cell } from './types';

type Wire = [string, string][];

/** mulberry32: a small seeded generator so every run measures the same workload. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Workload {
  snapshot: BookFrame;
  deltas: BookFrame[];
  levels: number;
}

/**
 * A book of `depth` levels a side on a 0.01 grid around 30000, then deltas shaped like a live
 * book's: mostly quantity changes near the top, deletes and inserts there too, new best prices,
 * the worst level deleted when the side overflows and refills at the far end when it thins.
 */
export function workload(depth: number, count: number, seed: number): Workload {
  const next = rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  // Ticks sorted best first on each side: bids descending, asks ascending.
  const bids: number[] = [];
  const asks: number[] = [];
  const price = (ticks: number) => (ticks / 100).toFixed(2);
  const amount = () => (int(1, 50_000) / 1000).toFixed(3);
  for (let i = 0, p = 3_000_000 - 1; i < depth; i++, p -= int(1, 3)) bids.push(p);
  for (let i = 0, p = 3_000_001; i < depth; i++, p += int(1, 3)) asks.push(p);
  const wire = (side: number[]): Wire => side.map((p) => [price(p), amount()]);
  const snapshot: BookFrame = { kind: 'snapshot', symbol: 'BTCUSDT', bids: wire(bids), asks: wire(asks), updateId: 1, time: 0, raw: null };

  /** Index near the top: small indexes far more often, as on a live book. */
  const nearTop = (len: number) => Math.min(len - 1, Math.floor(-Math.log(1 - next()) * 4));
  const insertSorted = (side: number[], p: number, isBid: boolean): boolean => {
    let lo = 0;
    let hi = side.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (isBid ? side[mid] > p : side[mid] < p) lo = mid + 1;
      else hi = mid;
    }
    if (side[lo] === p) return false;
    side.splice(lo, 0, p);
    return true;
  };

  const deltas: BookFrame[] = [];
  let levels = 0;
  for (let u = 2; deltas.length < count; u++) {
    const changed = { bid: new Map<number, string>(), ask: new Map<number, string>() };
    const ops = int(1, 8);
    for (let i = 0; i < ops; i++) {
      const isBid = next() < 0.5;
      const side = isBid ? bids : asks;
      const out = isBid ? changed.bid : changed.ask;
      const r = next();
      if (r < 0.55 && side.length) {
        out.set(side[nearTop(side.length)], amount());
      } else if (r < 0.75 && side.length > 1) {
        const at = nearTop(side.length);
        out.set(side[at], '0');
        side.splice(at, 1);
      } else {
        // A new level near the top, sometimes a new best, never crossing the other side.
        const best = side[0];
        const other = (isBid ? asks : bids)[0];
        let p = isBid ? best + int(-20, 2) : best - int(-20, 2);
        if (isBid ? p >= other : p <= other) p = isBid ? other - 1 : other + 1;
        if (p > 0 && insertSorted(side, p, isBid)) out.set(p, amount());
      }
    }
    for (const isBid of [true, false]) {
      const side = isBid ? bids : asks;
      const out = isBid ? changed.bid : changed.ask;
      while (side.length > depth) out.set(side.pop()!, '0');
      while (side.length < depth) {
        const p = side[side.length - 1] + (isBid ? -int(1, 3) : int(1, 3));
        side.push(p);
        out.set(p, amount());
      }
    }
    const b: Wire = [...changed.bid].map(([p, q]) => [price(p), q]);
    const a: Wire = [...changed.ask].map(([p, q]) => [price(p), q]);
    levels += b.length + a.length;
    deltas.push({ kind: 'delta', symbol: 'BTCUSDT', bids: b, asks: a, updateId: u, time: u, raw: null });
  }
  return { snapshot, deltas, levels };
}

/** The baseline: a Map per side, re-sorted after every update (how naive clients keep a book). */
class NaiveBook {
  bids = new Map<number, number>();
  asks = new Map<number, number>();
  sortedBids: [number, number][] = [];
  sortedAsks: [number, number][] = [];

  constructor(private readonly depth: number) {}

  apply(frame: BookFrame): void {
    if (frame.kind === 'snapshot') {
      this.bids.clear();
      this.asks.clear();
    }
    for (const [p, q] of frame.bids) this.set(this.bids, Number(p), Number(q));
    for (const [p, q] of frame.asks) this.set(this.asks, Number(p), Number(q));
    this.sortedBids = [...this.bids].sort((x, y) => y[0] - x[0]).slice(0, this.depth);
    this.sortedAsks = [...this.asks].sort((x, y) => x[0] - y[0]).slice(0, this.depth);
  }

  private set(side: Map<number, number>, price: number, qty: number): void {
    if (qty === 0) side.delete(price);
    else side.set(price, qty);
  }
}

/** Median wall time in ms of `runs` runs of `fn`, after one warm-up run. */
function measure(runs: number, fn: () => void): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

async function run(ctx: BenchContext): Promise<BenchResult> {
  const cases = [
    { depth: 50, deltas: ctx.quick ? 2_000 : 20_000 },
    { depth: 200, deltas: ctx.quick ? 1_000 : 10_000 },
    { depth: 1000, deltas: ctx.quick ? 500 : 5_000 },
  ];
  const runs = ctx.quick ? 3 : 7;
  const rows: Record<string, Cell>[] = [];
  const checks: NonNullable<BenchResult['checks']> = [];
  for (const c of cases) {
    const w = workload(c.depth, c.deltas, 0xb00c + c.depth);
    ctx.log(`depth ${c.depth}: ${w.deltas.length} deltas, ${w.levels} levels`);
    let local = new LocalBook(c.depth);
    const localMs = measure(runs, () => {
      local = new LocalBook(c.depth);
      local.apply(w.snapshot);
      for (const d of w.deltas) local.apply(d);
    });
    let naive = new NaiveBook(c.depth);
    const naiveMs = measure(Math.max(3, Math.ceil(runs / 2)), () => {
      naive = new NaiveBook(c.depth);
      naive.apply(w.snapshot);
      for (const d of w.deltas) naive.apply(d);
    });
    // Snapshot cost alone, so the per-level figures are for deltas only.
    const localSnapMs = measure(runs, () => new LocalBook(c.depth).apply(w.snapshot));
    const naiveSnapMs = measure(runs, () => new NaiveBook(c.depth).apply(w.snapshot));
    const localNs = ((localMs - localSnapMs) * 1e6) / w.levels;
    const naiveNs = ((naiveMs - naiveSnapMs) * 1e6) / w.levels;
    const view = local.view(c.depth);
    const same = local.isValid && JSON.stringify(view.bids) === JSON.stringify(naive.sortedBids) && JSON.stringify(view.asks) === JSON.stringify(naive.sortedAsks);
    checks.push({ name: `depth ${c.depth}: both books end identical`, pass: same, detail: `${view.bids.length}+${view.asks.length} levels` });
    rows.push({
      depth: c.depth,
      deltas: w.deltas.length,
      'levels/delta': w.levels / w.deltas.length,
      'local ns/level': localNs,
      'naive ns/level': naiveNs,
      'local µs/delta': ((localMs - localSnapMs) * 1e3) / w.deltas.length,
      'naive µs/delta': ((naiveMs - naiveSnapMs) * 1e3) / w.deltas.length,
      speedup: naiveNs / localNs,
    });
  }
  const at1000 = rows.find((r) => r.depth === 1000);
  const speedup = Number(at1000?.speedup ?? 0);
  checks.push({ name: 'at least 10x cheaper than the naive baseline at 1000 levels', pass: speedup >= 10, detail: `${speedup.toFixed(0)}x`, target: true });
  return {
    tables: [{ title: 'Local book vs a book re-sorted on every update (apply only, per delta level)', rows }],
    checks,
    notes: [`median of ${runs} runs after a warm-up (naive: ${Math.max(3, Math.ceil(runs / 2))}); the snapshot's own cost is subtracted`],
  };
}

export const orderBookBenchmark: Benchmark = {
  name: 'orderbook',
  description: 'local order book cost per delta level vs a sort-on-every-update baseline',
  run,
};
