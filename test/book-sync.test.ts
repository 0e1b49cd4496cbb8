/**
 * The engine's local books against the simulator's own, over a real socket: equal after every
 * delta for thousands of updates at each V5 depth; a gap, a crossed delta or a server restart
 * handled as the contract says (one resubscribe and a fresh snapshot, or a reset).
 */
import assert from 'node:assert/strict';
import { BybitClient, U_SKIPS, type Subscriber } from '../src/engine';
import type { LocalBook } from '../src/book/local-book';
import type { TopicSpec } from '../src/dialects';
import { startSimulator, type RecordedRequest, type Simulator } from '../src/simulator';

type Levels = (readonly [number, number])[];

interface Seen {
  u: number | null;
  bids: Levels;
  asks: Levels;
}

/** Records every book the engine hands out and lets a test await one by update id. */
class BookWatcher {
  readonly seen: Seen[] = [];
  private waiters: { pred: (s: Seen) => boolean; resolve: (s: Seen) => void }[] = [];

  constructor(private readonly depth: number) {}

  onBook = (_spec: TopicSpec, book: LocalBook): void => {
    const view = book.view(this.depth);
    const seen = { u: book.updateId, bids: view.bids, asks: view.asks };
    this.seen.push(seen);
    this.waiters = this.waiters.filter((w) => (w.pred(seen) ? (w.resolve(seen), false) : true));
  };

  next(pred: (s: Seen) => boolean, timeoutMs = 5000): Promise<Seen> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching book within ${timeoutMs} ms (last u ${this.seen[this.seen.length - 1]?.u})`)), timeoutMs);
      this.waiters.push({ pred, resolve: (s) => (clearTimeout(timer), resolve(s)) });
    });
  }
}

function simBook(sim: Simulator, symbol: string, depth: number): Seen {
  const b = sim.book(symbol, depth);
  const num = (levels: [string, string][]): Levels => levels.map(([p, q]) => [Number(p), Number(q)]);
  return { u: b.u, bids: num(b.bids), asks: num(b.asks) };
}

/** deepEqual is slow on thousands of tuples: compare plainly, and let it describe a difference. */
function assertSameBook(got: Seen, want: Seen, context: string): void {
  const same = (a: Levels, b: Levels) => a.length === b.length && a.every((l, i) => l[0] === b[i][0] && l[1] === b[i][1]);
  if (got.u !== want.u || !same(got.bids, want.bids) || !same(got.asks, want.asks)) assert.deepEqual(got, want, context);
}

function requestsFor(sim: Simulator, topic: string, from = 0): RecordedRequest[] {
  return sim.requests.slice(from).filter((r) => (r.op === 'subscribe' || r.op === 'unsubscribe') && r.args?.includes(topic));
}

describe('order book sync with the simulator', function () {
  let sim: Simulator;
  let client: BybitClient | undefined;

  beforeEach(async function () {
    // tickMs 0: the book moves only when a test steps it, so every step can be checked.
    sim = await startSimulator({ port: 0, seed: 11, tickMs: 0 });
    client = new BybitClient({ network: 'custom', publicUrl: sim.url('/v5/public/spot') });
  });

  afterEach(async function () {
    await client?.close();
    client = undefined;
    await sim.close();
  });

  async function follow(symbol: string, depth: number): Promise<{ watcher: BookWatcher; subscriber: Subscriber }> {
    const watcher = new BookWatcher(depth);
    const subscriber = client!.subscriber({ book: watcher.onBook });
    const first = watcher.next(() => true);
    await subscriber.add({ channel: 'orderbook', symbol, depth });
    await first;
    return { watcher, subscriber };
  }

  /** Steps the simulator `steps` times; after each change, the engine's book must equal the simulator's. */
  async function stepAndCompare(watcher: BookWatcher, symbol: string, depth: number, steps: number): Promise<number> {
    let checked = 0;
    for (let i = 0; i < steps; i++) {
      const before = sim.book(symbol, depth).u;
      sim.step();
      const want = simBook(sim, symbol, depth);
      if (want.u === before) continue; // nothing changed, nothing sent
      const got = await watcher.next((s) => s.u === want.u);
      assertSameBook(got, want, `step ${i}, u ${want.u}`);
      checked++;
    }
    return checked;
  }

  /**
   * Steps the simulator (its u skips must be on) until a delta skips an update id, and waits for
   * the resubscribe and the fresh snapshot that follow while skips still count as gaps.
   */
  async function breakOnSkip(watcher: BookWatcher, topic: string, context: string): Promise<void> {
    const [, depth, symbol] = topic.split('.');
    const resubscribed = sim.waitFor('subscribe', (ev) => ev.topics.includes(topic));
    for (let i = 0; ; i++) {
      assert.ok(i < 1000, 'no skipped u in 1000 steps');
      const before = sim.book(symbol, Number(depth)).u;
      sim.step();
      if (sim.book(symbol, Number(depth)).u > before + 1) break;
    }
    await resubscribed;
    assert.deepEqual(await watcher.next(() => true), simBook(sim, symbol, Number(depth)), `the fresh snapshot after ${context}`);
  }

  for (const [depth, steps] of [[50, 3000], [200, 2000], [1000, 1000]] as const) {
    it(`keeps a ${depth}-level book equal to the simulator's after every one of ${steps} steps`, async function () {
      this.timeout(60_000);
      const { watcher } = await follow('BTCUSDT', depth);
      assert.deepEqual(watcher.seen[0], simBook(sim, 'BTCUSDT', depth), 'the snapshot');
      assert.equal(watcher.seen[0].bids.length, depth, 'a full book');
      const checked = await stepAndCompare(watcher, 'BTCUSDT', depth, steps);
      assert.ok(checked > steps * 0.9, `${checked} of ${steps} steps changed the book`);
      assert.deepEqual(sim.subscriptions(), [`orderbook.${depth}.BTCUSDT`]);
      assert.equal(requestsFor(sim, `orderbook.${depth}.BTCUSDT`).length, 1, 'one subscribe, no resyncs');
    });
  }

  it('follows the snapshot-only depth-1 stream', async function () {
    const { watcher } = await follow('ETHUSDT', 1);
    assert.ok((await stepAndCompare(watcher, 'ETHUSDT', 1, 300)) > 100);
    assert.deepEqual(sim.subscriptions(), ['orderbook.1.ETHUSDT']);
  });

  it('answers a gap in u with exactly one resubscribe, then a fresh snapshot', async function () {
    const topic = 'orderbook.50.BTCUSDT';
    const { watcher } = await follow('BTCUSDT', 50);
    await stepAndCompare(watcher, 'BTCUSDT', 50, 20);
    const resyncs: string[] = [];
    client!.on('resync', (key: string, why: string) => resyncs.push(`${key} ${why}`));
    const mark = sim.requests.length;
    const seenBefore = watcher.seen.length;
    const resubscribed = sim.waitFor('subscribe', (ev) => ev.topics.includes(topic));

    sim.injectBookGap(topic);
    // The gapped delta and two more leave before the client can react: one resync, not three.
    sim.step();
    sim.step();
    sim.step();
    await resubscribed;
    const fresh = await watcher.next(() => true);
    assert.deepEqual(fresh, simBook(sim, 'BTCUSDT', 50), 'the fresh snapshot');
    assert.equal(watcher.seen.length, seenBefore + 1, 'nothing emitted between the gap and the snapshot');
    assert.deepEqual(resyncs, [`${topic} gap`]);
    assert.deepEqual(requestsFor(sim, topic, mark).map((r) => r.op), ['unsubscribe', 'subscribe']);

    await stepAndCompare(watcher, 'BTCUSDT', 50, 50);
    assert.deepEqual(requestsFor(sim, topic, mark).map((r) => r.op), ['unsubscribe', 'subscribe'], 'no further resubscribes');
  });

  it('resets on a u = 1 snapshot after a server restart, without resubscribing', async function () {
    const topic = 'orderbook.200.SOLUSDT';
    const { watcher } = await follow('SOLUSDT', 200);
    await stepAndCompare(watcher, 'SOLUSDT', 200, 20);
    const mark = sim.requests.length;
    const resyncs: string[] = [];
    client!.on('resync', (key: string) => resyncs.push(key));

    sim.restartBook(topic);
    const restarted = await watcher.next((s) => s.u === 1);
    assert.deepEqual(restarted, simBook(sim, 'SOLUSDT', 200));
    // The deltas after a restart (u = 2, 3, ...) apply on the new book.
    assert.ok((await stepAndCompare(watcher, 'SOLUSDT', 200, 30)) > 20);
    assert.deepEqual(resyncs, []);
    assert.deepEqual(requestsFor(sim, topic, mark), []);
  });

  it('never hands out a crossed book: it resubscribes once and goes on from a fresh snapshot', async function () {
    const topic = 'orderbook.50.ETHUSDT';
    const { watcher } = await follow('ETHUSDT', 50);
    await stepAndCompare(watcher, 'ETHUSDT', 50, 10);
    const mark = sim.requests.length;
    const seenBefore = watcher.seen.length;
    const resyncs: string[] = [];
    client!.on('resync', (key: string, why: string) => resyncs.push(`${key} ${why}`));
    const resubscribed = sim.waitFor('subscribe', (ev) => ev.topics.includes(topic));

    sim.sendCrossedDelta(topic);
    await resubscribed;
    const fresh = await watcher.next(() => true);
    assert.deepEqual(fresh, simBook(sim, 'ETHUSDT', 50));
    assert.equal(watcher.seen.length, seenBefore + 1);
    assert.deepEqual(resyncs, [`${topic} crossed`]);
    assert.deepEqual(requestsFor(sim, topic, mark).map((r) => r.op), ['unsubscribe', 'subscribe']);
    for (const s of watcher.seen) assert.ok(s.bids[0][0] < s.asks[0][0], `crossed book emitted at u ${s.u}`);
    await stepAndCompare(watcher, 'ETHUSDT', 50, 20);
  });

  it('drops a book a corrupted delta reaches and asks for a fresh snapshot', async function () {
    const topic = 'orderbook.50.BTCUSDT';
    const { watcher } = await follow('BTCUSDT', 50);
    const mark = sim.requests.length;
    const u = sim.book('BTCUSDT', 50).u;
    const resubscribed = sim.waitFor('subscribe', (ev) => ev.topics.includes(topic));
    // An unreadable level: the book cannot be trusted any more.
    sim.sendRaw(JSON.stringify({ topic, ts: Date.now(), type: 'delta', data: { s: 'BTCUSDT', b: [['1', 'x']], a: [], u: u + 1, seq: 1 } }));
    await resubscribed;
    const fresh = await watcher.next(() => true);
    assert.deepEqual(fresh, simBook(sim, 'BTCUSDT', 50));
    assert.deepEqual(requestsFor(sim, topic, mark).map((r) => r.op), ['unsubscribe', 'subscribe']);
  });

  it('stops treating skipped u as gaps on a topic that broke only on skips 3 times in 5 minutes, and says so once', async function () {
    this.timeout(20_000);
    const topic = 'orderbook.50.BTCUSDT';
    const { watcher } = await follow('BTCUSDT', 50);
    const resyncs: string[] = [];
    client!.on('resync', (key, why) => resyncs.push(`${key} ${why}`));
    const allowed: string[] = [];
    client!.on('u-skips-allowed', (key, endpoint) => allowed.push(`${endpoint} ${key}`));
    // v5 websocket/public/orderbook.mdx no longer promises that `u` rises by exactly 1.
    sim.setBookUSkips(true, topic);
    for (let i = 1; i <= U_SKIPS.breaks; i++) {
      await breakOnSkip(watcher, topic, `skip ${i}`);
      assert.deepEqual(allowed, i < U_SKIPS.breaks ? [] : [`public ${topic}`], `after skip ${i}`);
    }
    assert.deepEqual(resyncs, Array(U_SKIPS.breaks).fill(`${topic} gap`));

    // From now on skipped ids apply: the book equals the simulator's after every step, no resubscribe.
    let mark = sim.requests.length;
    const seenBefore = watcher.seen.length;
    assert.ok((await stepAndCompare(watcher, 'BTCUSDT', 50, 300)) > 250);
    const ids = watcher.seen.slice(seenBefore - 1).map((s) => s.u ?? NaN);
    assert.ok(ids.slice(1).filter((u, i) => u > ids[i] + 1).length > 50, 'many deltas skipped ids');
    assert.deepEqual(requestsFor(sim, topic, mark), [], 'no resubscribe on a skip');
    assert.equal(resyncs.length, U_SKIPS.breaks);

    // A u that goes backwards, and a crossed delta, still break the book.
    const u = sim.book('BTCUSDT', 50).u;
    let resubscribed = sim.waitFor('subscribe', (ev) => ev.topics.includes(topic));
    sim.sendRaw(JSON.stringify({ topic, ts: Date.now(), type: 'delta', data: { s: 'BTCUSDT', b: [], a: [], u: u - 1, seq: 1 } }));
    await resubscribed;
    assert.deepEqual(await watcher.next(() => true), simBook(sim, 'BTCUSDT', 50), 'the fresh snapshot after u went back');
    resubscribed = sim.waitFor('subscribe', (ev) => ev.topics.includes(topic));
    sim.sendCrossedDelta(topic);
    await resubscribed;
    assert.deepEqual(await watcher.next(() => true), simBook(sim, 'BTCUSDT', 50), 'the fresh snapshot after a crossed delta');
    assert.deepEqual(resyncs.slice(U_SKIPS.breaks), [`${topic} not-rising`, `${topic} crossed`]);

    // ...and the fresh books still take skips, without saying so again.
    mark = sim.requests.length;
    assert.ok((await stepAndCompare(watcher, 'BTCUSDT', 50, 100)) > 80);
    assert.deepEqual(requestsFor(sim, topic, mark), []);
    assert.deepEqual(allowed, [`public ${topic}`]);
  });

  it('counts only the skip breaks within the last 5 minutes', async function () {
    this.timeout(20_000);
    let now = Date.now();
    await client!.close();
    client = new BybitClient({ network: 'custom', publicUrl: sim.url('/v5/public/spot'), now: () => now });
    const topic = 'orderbook.50.ETHUSDT';
    const { watcher } = await follow('ETHUSDT', 50);
    const allowed: string[] = [];
    client.on('u-skips-allowed', (key) => allowed.push(key));
    sim.setBookUSkips(true, topic);
    for (let i = 1; i < U_SKIPS.breaks; i++) await breakOnSkip(watcher, topic, `skip ${i}`);
    // The first breaks leave the window: the next ones start the count afresh.
    now += U_SKIPS.windowMs;
    for (let i = 1; i < U_SKIPS.breaks; i++) await breakOnSkip(watcher, topic, `skip ${i} after the window`);
    assert.deepEqual(allowed, []);
    await breakOnSkip(watcher, topic, 'the last skip');
    assert.deepEqual(allowed, [topic]);
  });
});
