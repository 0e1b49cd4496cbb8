/**
 * The local order book against a naive reference (a Map per side, sorted on every read),
 * with property-based tests: random snapshots and deltas, prices written in several decimal
 * forms, update-id gaps, restarts, crossed and corrupted frames.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LocalBook, type ApplyResult, type Level } from '../src/book/local-book';
import { bookTickerPayload, orderBookPayload } from '../src/book/payloads';
import { parseDecimal } from '../src/book/decimal';
import type { BookFrame } from '../src/book/frame';

/** A level as drawn: integer price in cents, integer qty in thousandths, and how to write them. */
interface DrawnLevel {
  cents: number;
  milli: number;
  priceForm: 0 | 1 | 2;
  qtyForm: 0 | 1;
}

/** The same price written three ways ("30240.10", "30240.1", "30240.1000"): one level. */
function writePrice(cents: number, form: 0 | 1 | 2): string {
  const fixed = (cents / 100).toFixed(2);
  if (form === 0) return fixed;
  if (form === 1) return String(Number(fixed));
  return (cents / 100).toFixed(4);
}

function writeQty(milli: number, form: 0 | 1): string {
  const fixed = (milli / 1000).toFixed(3);
  return form === 0 ? fixed : String(Number(fixed));
}


function frame(kind: BookFrame['kind'], u: number | null, bids: DrawnLevel[], asks: DrawnLevel[]): BookFrame {
  const wire = (l: DrawnLevel): [string, string] => [writePrice(l.cents, l.priceForm), writeQty(l.milli, l.qtyForm)];
  return { kind, symbol: 'BTCUSDT', bids: bids.map(wire), asks: asks.map(wire), updateId: u, time: 1_700_000_000_000 + (u ?? 0), raw: null };
}

/** The reference: what the contract says, written the obvious way. */
class ReferenceBook {
  bids = new Map<number, number>();
  asks = new Map<number, number>();
  valid = false;
  u: number | null = null;

  constructor(readonly depth: number) {}

  apply(f: BookFrame): ApplyResult {
    const read = (levels: [string, string][]) => levels.map(([p, q]) => [Number(p), Number(q)] as Level);
    const bids = read(f.bids);
    const asks = read(f.asks);
    if (f.kind === 'snapshot') {
      this.bids = new Map();
      this.asks = new Map();
    } else if (!this.valid) return this.drop('no-snapshot');
    else if (this.u !== null && (f.updateId === null || f.updateId <= this.u)) return this.drop('not-rising');
    else if (this.u !== null && f.updateId !== this.u + 1) return this.drop('gap');
    for (const [p, q] of bids) if (q === 0) this.bids.delete(p); else this.bids.set(p, q);
    for (const [p, q] of asks) if (q === 0) this.asks.delete(p); else this.asks.set(p, q);
    this.bids = new Map(this.sorted(this.bids, true).slice(0, this.depth));
    this.asks = new Map(this.sorted(this.asks, false).slice(0, this.depth));
    const bb = this.sorted(this.bids, true)[0];
    const ba = this.sorted(this.asks, false)[0];
    if (bb && ba && bb[0] >= ba[0]) return this.drop('crossed');
    this.valid = true;
    this.u = f.updateId;
    return 'ok';
  }

  top(n: number): { bids: Level[]; asks: Level[] } {
    return { bids: this.sorted(this.bids, true).slice(0, n), asks: this.sorted(this.asks, false).slice(0, n) };
  }

  private sorted(side: Map<number, number>, isBid: boolean): Level[] {
    return [...side.entries()].sort((a, b) => (isBid ? b[0] - a[0] : a[0] - b[0]));
  }

  private drop(r: ApplyResult): ApplyResult {
    this.valid = false;
    this.u = null;
    this.bids.clear();
    this.asks.clear();
    return r;
  }
}

/** Levels with prices drawn from a small range so deltas often hit levels the book holds. */
function levelsIn(minCents: number, maxCents: number, maxLen: number, allowZero = true) {
  return fc.array(
    fc.record({
      cents: fc.integer({ min: minCents, max: maxCents }),
      milli: allowZero ? fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5000 })) : fc.integer({ min: 1, max: 5000 }),
      priceForm: fc.constantFrom(0 as const, 1 as const, 2 as const),
      qtyForm: fc.constantFrom(0 as const, 1 as const),
    }),
    { maxLength: maxLen },
  );
}

const DEPTHS = fc.constantFrom(1, 3, 50, 200);

function assertSameBook(book: LocalBook, ref: ReferenceBook, depth: number, context: string): void {
  const view = book.view(depth);
  const want = ref.top(depth);
  assert.deepEqual(view.bids, want.bids, `bids ${context}`);
  assert.deepEqual(view.asks, want.asks, `asks ${context}`);
}

describe('local order book', function () {
  it('equals a naive sorted reference after every snapshot and delta (property)', function () {
    // Bids below 100.00, asks above: these books never cross, so every frame must apply.
    const step = fc.record({ bids: levelsIn(1, 9_999, 12), asks: levelsIn(10_001, 20_000, 12) });
    fc.assert(
      fc.property(DEPTHS, fc.integer({ min: 1, max: 1e9 }), fc.record({ bids: levelsIn(1, 9_999, 300, false), asks: levelsIn(10_001, 20_000, 300, false) }), fc.array(step, { maxLength: 60 }), (depth, u0, snap, deltas) => {
        const book = new LocalBook(depth);
        const ref = new ReferenceBook(depth);
        let u = u0;
        const first = frame('snapshot', u, snap.bids, snap.asks);
        assert.equal(book.apply(first), ref.apply(first));
        assertSameBook(book, ref, depth, 'after the snapshot');
        for (const [i, d] of deltas.entries()) {
          const f = frame('delta', ++u, d.bids, d.asks);
          assert.equal(book.apply(f), 'ok');
          assert.equal(ref.apply(f), 'ok');
          assertSameBook(book, ref, depth, `after delta ${i}`);
          const counts = book.levelCount;
          assert.ok(counts.bids <= depth && counts.asks <= depth, 'never more than depth levels a side');
          assert.equal(book.updateId, u);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('stays equal to the reference while the book drifts far one way, viewed now and then (property)', function () {
    // Each step moves both sides by `drift` cents: new levels at one end, deletes at the other,
    // so the stored run walks through its buffer (recentering it) between views.
    const step = fc.record({
      drift: fc.integer({ min: -40, max: 40 }),
      view: fc.boolean(),
      bids: fc.array(fc.record({ offset: fc.integer({ min: 0, max: 400 }), milli: fc.integer({ min: 0, max: 3000 }) }), { maxLength: 10 }),
      asks: fc.array(fc.record({ offset: fc.integer({ min: 0, max: 400 }), milli: fc.integer({ min: 0, max: 3000 }) }), { maxLength: 10 }),
    });
    fc.assert(
      fc.property(fc.constantFrom(3, 50, 200), fc.array(step, { minLength: 1, maxLength: 120 }), (depth, steps) => {
        const book = new LocalBook(depth);
        const ref = new ReferenceBook(depth);
        const at = (cents: number, milli: number): DrawnLevel => ({ cents, milli, priceForm: 0, qtyForm: 0 });
        let mid = 1_000_000;
        const snap = frame('snapshot', 1, Array.from({ length: depth }, (_, i) => at(mid - 1 - i, 1000)), Array.from({ length: depth }, (_, i) => at(mid + 1 + i, 1000)));
        assert.equal(book.apply(snap), ref.apply(snap));
        let u = 1;
        for (const [i, s] of steps.entries()) {
          mid += s.drift;
          const f = frame('delta', ++u, s.bids.map((l) => at(mid - 1 - l.offset, l.milli)), s.asks.map((l) => at(mid + 1 + l.offset, l.milli)));
          // Levels left behind on the wrong side of the new mid would cross: delete them too.
          const behind = (side: Map<number, number>, isBid: boolean) => [...side.keys()].filter((p) => (isBid ? p * 100 >= mid : p * 100 <= mid)).map((p) => at(Math.round(p * 100), 0));
          f.bids.push(...behind(ref.bids, true).map((l) => [writePrice(l.cents, 0), '0'] as [string, string]));
          f.asks.push(...behind(ref.asks, false).map((l) => [writePrice(l.cents, 0), '0'] as [string, string]));
          assert.equal(book.apply(f), ref.apply(f), `step ${i}`);
          if (s.view || i === steps.length - 1) assertSameBook(book, ref, depth, `after step ${i}`);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('hands out levels no consumer can change, and an earlier view keeps its levels after later deltas', function () {
    const book = new LocalBook(50);
    const f = (kind: BookFrame['kind'], u: number, bids: [string, string][], asks: [string, string][]): BookFrame => ({ kind, symbol: 'BTCUSDT', bids, asks, updateId: u, time: u, raw: null });
    assert.equal(book.apply(f('snapshot', 1, [['100', '1'], ['99', '2'], ['98', '3']], [['101', '1']])), 'ok');
    const first = book.view(50);
    // Compiled test modules are strict, as Node-RED function nodes can be: the write throws.
    assert.throws(() => ((first.bids[0] as unknown as number[])[1] = 5), TypeError);
    assert.equal(book.apply(f('delta', 2, [['100', '7'], ['99', '0'], ['99.5', '4']], [])), 'ok');
    const second = book.view(50);
    assert.deepEqual(first.bids, [[100, 1], [99, 2], [98, 3]], 'the earlier view is unchanged');
    assert.deepEqual(second.bids, [[100, 7], [99.5, 4], [98, 3]]);
    assert.notEqual(second.bids, first.bids, 'each view has arrays of its own');
    second.bids.pop();
    assert.equal(book.view(50).bids.length, 3, 'changing a view changes neither the book nor later views');
  });

  it('never shows a crossed book: it drops it, as the reference does (property)', function () {
    // Overlapping price ranges: some deltas cross the book.
    const step = fc.record({
      snapshot: fc.boolean(),
      bids: levelsIn(9_000, 11_000, 8),
      asks: levelsIn(9_000, 11_000, 8),
    });
    fc.assert(
      fc.property(DEPTHS, fc.array(step, { minLength: 1, maxLength: 80 }), (depth, steps) => {
        const book = new LocalBook(depth);
        const ref = new ReferenceBook(depth);
        let u = 100;
        for (const s of steps) {
          const f = frame(s.snapshot ? 'snapshot' : 'delta', s.snapshot ? ++u : ref.valid ? ++u : u + 1, s.bids, s.asks);
          const got = book.apply(f);
          assert.equal(got, ref.apply(f));
          assert.equal(book.isValid, ref.valid);
          if (!book.isValid) {
            assert.deepEqual(book.view(depth), { symbol: book.symbol, bids: [], asks: [], updateId: null, time: book.time, seq: null, matchTime: null });
            continue;
          }
          assertSameBook(book, ref, depth, `after a ${f.kind}`);
          const bb = book.bestBid;
          const ba = book.bestAsk;
          if (bb && ba) assert.ok(bb[0] < ba[0], 'best bid below best ask');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('drops the book on a skipped or non-rising u (skips too, unless allowed) or a delta before a snapshot; a u = 1 snapshot restarts it (property)', function () {
    const step = fc.record({
      kind: fc.constantFrom('snapshot', 'delta', 'delta', 'delta'),
      // Mostly the next id; sometimes a skip, a repeat, a step back or a restart at 1.
      du: fc.oneof({ weight: 8, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constantFrom(0, 2, 3, -1, -5) }, { weight: 1, arbitrary: fc.constant('restart' as const) }),
      bids: levelsIn(1, 9_999, 5),
      asks: levelsIn(10_001, 20_000, 5),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), fc.boolean(), (steps, skipsAllowed) => {
        const book = new LocalBook(50);
        book.skipsAllowed = skipsAllowed;
        let last: number | null = null;
        let valid = false;
        for (const s of steps) {
          const u: number = s.du === 'restart' ? 1 : (last ?? 500) + s.du;
          const result = book.apply(frame(s.kind as BookFrame['kind'], u, s.bids, s.asks));
          let want: ApplyResult;
          if (s.kind === 'snapshot') want = 'ok';
          else if (!valid) want = 'no-snapshot';
          else if (u <= (last ?? NaN)) want = 'not-rising';
          else if (u !== (last ?? NaN) + 1 && !skipsAllowed) want = 'gap';
          else want = 'ok';
          assert.equal(result, want, `${s.kind} u=${u} after u=${last} (valid: ${valid})`);
          valid = want === 'ok';
          last = valid ? u : null;
          assert.equal(book.isValid, valid);
          assert.equal(book.updateId, last);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('tells a skipped u (a gap) from a u that does not rise, and with skips allowed still drops the latter', function () {
    // v5 websocket/public/orderbook.mdx, field `u`: no promise that it rises by exactly 1 any more.
    const at = (kind: BookFrame['kind'], u: number | null): BookFrame => ({ kind, symbol: 'BTCUSDT', bids: [['100', '1']], asks: [['101', '1']], updateId: u, time: 1, raw: null });
    const after = (u: number | null, skipsAllowed: boolean): ApplyResult => {
      const book = new LocalBook(50);
      book.skipsAllowed = skipsAllowed;
      assert.equal(book.apply(at('snapshot', 10)), 'ok');
      return book.apply(at('delta', u));
    };
    const cases: [u: number | null, strict: ApplyResult, skipping: ApplyResult][] = [
      [11, 'ok', 'ok'],
      [12, 'gap', 'ok'],
      [1000, 'gap', 'ok'],
      [10, 'not-rising', 'not-rising'],
      [9, 'not-rising', 'not-rising'],
      [null, 'not-rising', 'not-rising'],
    ];
    for (const [u, strict, skipping] of cases) {
      assert.equal(after(u, false), strict, `u ${u} after 10`);
      assert.equal(after(u, true), skipping, `u ${u} after 10, skips allowed`);
    }
    // Allowed skips survive a dropped book, and a delta before the snapshot is still refused.
    const book = new LocalBook(50);
    book.skipsAllowed = true;
    assert.equal(book.apply(at('delta', 5)), 'no-snapshot');
    assert.equal(book.apply(at('snapshot', 10)), 'ok');
    assert.equal(book.apply(at('delta', 10)), 'not-rising');
    assert.equal(book.skipsAllowed, true);
    assert.equal(book.apply(at('snapshot', 20)), 'ok');
    assert.equal(book.apply(at('delta', 23)), 'ok');
    assert.equal(book.updateId, 23);
  });

  it('rejects a frame with any unreadable level and applies none of it (property)', function () {
    const bad = fc.constantFrom<unknown>(['abc', '1'], ['1', 'x'], ['-5', '1'], ['0', '1'], ['5', '-1'], ['', '1'], [null, '1'], ['1'], 'level', null, [true, '1'], ['Infinity', '1'], ['5', 'NaN']);
    fc.assert(
      fc.property(levelsIn(1, 9_999, 5), bad, fc.boolean(), fc.boolean(), (good, badLevel, inBids, asSnapshot) => {
        const book = new LocalBook(50);
        assert.equal(book.apply(frame('snapshot', 10, [{ cents: 5_000, milli: 10, priceForm: 0, qtyForm: 0 }], [{ cents: 15_000, milli: 10, priceForm: 0, qtyForm: 0 }])), 'ok');
        const f = frame(asSnapshot ? 'snapshot' : 'delta', 11, good, []);
        (inBids ? f.bids : f.asks).push(badLevel as [string, string]);
        assert.equal(book.apply(f), 'bad-level');
        assert.equal(book.isValid, false);
        assert.deepEqual(book.view(50).bids, []);
      }),
      { numRuns: 200 },
    );
  });

  it('reads plain decimal strings to exactly the number Number() gives, and nothing else (property)', function () {
    const plain = fc.tuple(fc.stringMatching(/^[0-9]{1,12}$/), fc.option(fc.stringMatching(/^[0-9]{0,12}$/), { nil: undefined })).map(([i, f]) => (f === undefined ? i : `${i}.${f}`));
    const odd = fc.constantFrom('', '.', ' 5', '5 ', '-1', '+2', '1e5', '1E-8', '0x10', '1.2.3', 'abc', 'Infinity', '9007199254740993', '0.000000000000000000000001', '12345678901234567890.5');
    fc.assert(
      fc.property(fc.oneof(plain, odd, fc.double({ noNaN: true }).map(String)), (text) => {
        // Strict (issue 13): only plain decimals are numbers; exponents, hex, '+', spaces are not.
        const want = /^-?(?:\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : NaN;
        assert.ok(Object.is(parseDecimal(text), want), `${JSON.stringify(text)}: ${parseDecimal(text)} vs ${want}`);
      }),
      { numRuns: 5000 },
    );
  });

  it('treats "30240.00", "30240" and "30240.0000" as one price level', function () {
    const book = new LocalBook(50);
    const f = (kind: BookFrame['kind'], u: number, bids: [string, string][]): BookFrame => ({ kind, symbol: 'BTCUSDT', bids, asks: [['30300', '1']], updateId: u, time: 1, raw: null });
    assert.equal(book.apply(f('snapshot', 1, [['30240.00', '1.5'], ['30239.5', '2']])), 'ok');
    assert.equal(book.apply(f('delta', 2, [['30240', '0.25']])), 'ok');
    assert.deepEqual(book.view(5).bids, [[30240, 0.25], [30239.5, 2]]);
    assert.equal(book.apply(f('delta', 3, [['30240.0000', '0']])), 'ok');
    assert.deepEqual(book.view(5).bids, [[30239.5, 2]]);
    assert.equal(book.apply(f('delta', 4, [['30239.50', '0.000']])), 'ok');
    assert.deepEqual(book.view(5).bids, []);
  });

  it('ignores a delete for a level it does not hold and keeps only the best `depth` levels', function () {
    const book = new LocalBook(3);
    const snap: BookFrame = { kind: 'snapshot', symbol: 'ETHUSDT', bids: [['10', '1'], ['9', '1'], ['8', '1'], ['7', '1']], asks: [['11', '1'], ['12', '1']], updateId: 7, time: 5, raw: null };
    assert.equal(book.apply(snap), 'ok');
    assert.deepEqual(book.view(10).bids, [[10, 1], [9, 1], [8, 1]]);
    assert.equal(book.apply({ ...snap, kind: 'delta', bids: [['7', '0'], ['9.5', '3']], asks: [['11.5', '2']], updateId: 8 }), 'ok');
    assert.deepEqual(book.view(10), { symbol: 'ETHUSDT', bids: [[10, 1], [9.5, 3], [9, 1]], asks: [[11, 1], [11.5, 2], [12, 1]], updateId: 8, time: 5, seq: null, matchTime: null });
  });

  it('renders the orderbook and bookticker payloads from the book', function () {
    const book = new LocalBook(50);
    book.apply({ kind: 'snapshot', symbol: 'BTCUSDT', bids: [['16493.50', '0.006'], ['16493.00', '0.100']], asks: [['16611.00', '0.029']], updateId: 18521288, time: 1672304484978, raw: null });
    assert.deepEqual(orderBookPayload(book, 1), { category: 'spot', symbol: 'BTCUSDT', bids: [[16493.5, 0.006]], asks: [[16611, 0.029]], depth: 1, updateId: 18521288, time: 1672304484978, seq: null, matchTime: null });
    assert.deepEqual(orderBookPayload(book, 50).bids, [[16493.5, 0.006], [16493, 0.1]]);
    assert.deepEqual(bookTickerPayload(book), { category: 'spot', symbol: 'BTCUSDT', bidPrice: 16493.5, bidQty: 0.006, askPrice: 16611, askQty: 0.029, time: 1672304484978 });
    book.apply({ kind: 'delta', symbol: 'BTCUSDT', bids: [], asks: [['16611.00', '0']], updateId: 18521289, time: 1672304484999, raw: null });
    assert.deepEqual(bookTickerPayload(book), { category: 'spot', symbol: 'BTCUSDT', bidPrice: 16493.5, bidQty: 0.006, askPrice: null, askQty: null, time: 1672304484999 });
  });
});
