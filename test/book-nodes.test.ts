/**
 * bybit-orderbook and bybit-bookticker in the real Node-RED runtime, over real sockets to the
 * simulator: payloads equal to the simulator's book at every step, stream depth choice, raw
 * mode, crossed and gapped books never sent, shared subscriptions, bad depth settings.
 */
import assert from 'node:assert/strict';
import type { Simulator } from '../src/simulator';
import { catcher, collect, completer, connection, getNode, helper, inject, keepSubstitutions, loadFlow, nextMsg, paletteNode, SHARED, simulatorPerTest, type Msg } from './support/flows';
import { control } from './support/control';
import { U_SKIPS } from '../src/engine';

interface BookPayload {
  symbol: string;
  bids: [number, number][];
  asks: [number, number][];
  depth: number;
  updateId: number | null;
  time: number;
}

const num = (levels: [string, string][]): [number, number][] => levels.map(([p, q]) => [Number(p), Number(q)]);

/** The simulator's book, cut to `n` levels a side, as numbers. */
function simTop(sim: Simulator, symbol: string, stream: number, n: number): { bids: [number, number][]; asks: [number, number][]; u: number } {
  const b = sim.book(symbol, stream);
  return { bids: num(b.bids).slice(0, n), asks: num(b.asks).slice(0, n), u: b.u };
}

/** Calls of a node method (a sinon spy installed by the test helper) made by node `id`, in order. */
function callsOf(id: string, method: 'status' | 'error'): unknown[][] {
  const node = helper.getNode(id);
  return node[method].getCalls().filter((c: { thisValue: unknown }) => c.thisValue === node).map((c: { args: unknown[] }) => c.args);
}

function bookMsg(id: string, u: number): Promise<Msg> {
  return nextMsg(id, (m) => (m.payload as BookPayload).updateId === u);
}

/**
 * Steps the simulator `steps` times; after each change, n1's next BTCUSDT book (depth `depth`, on
 * the 50-level stream) must equal the simulator's. Returns how many steps changed the book.
 */
async function stepAndCompare(sim: Simulator, steps: number, depth: number): Promise<number> {
  let checked = 0;
  for (let i = 0; i < steps; i++) {
    const before = sim.book('BTCUSDT', 50).u;
    sim.step();
    const now = simTop(sim, 'BTCUSDT', 50, depth);
    if (now.u === before) continue;
    const got = (await bookMsg('n1-out', now.u)).payload as BookPayload;
    assert.deepEqual({ bids: got.bids, asks: got.asks, u: got.updateId }, now, `step ${i}`);
    checked++;
  }
  return checked;
}

describe('order book and book ticker nodes', function () {
  let sim: Simulator;

  simulatorPerTest({ tickMs: 0 }, (s) => (sim = s));

  it('sends the best `depth` levels a side, equal to the simulator\'s book after every step', async function () {
    this.timeout(30_000);
    const first = loadFlow([connection(sim), ...paletteNode('bybit-orderbook', { depth: 10 })]).then(() => nextMsg('n1-out'));
    const msg = await first;
    assert.deepEqual(sim.subscriptions(), ['orderbook.50.BTCUSDT'], 'depth 10 rides the 50-level stream');
    assert.equal(msg.topic, 'orderbook.BTCUSDT');
    assert.equal(msg.symbol, 'BTCUSDT');
    const p = msg.payload as BookPayload;
    assert.deepEqual(Object.keys(p).sort(), ['asks', 'bids', 'category', 'depth', 'matchTime', 'seq', 'symbol', 'time', 'updateId']);
    assert.equal(p.symbol, 'BTCUSDT');
    assert.equal(p.depth, 10);
    assert.ok(p.time > 1.6e12);
    const want = simTop(sim, 'BTCUSDT', 50, 10);
    assert.deepEqual({ bids: p.bids, asks: p.asks, u: p.updateId }, want);
    assert.equal(p.bids.length, 10);

    const checked = await stepAndCompare(sim, 400, 10);
    assert.ok(checked > 300, `${checked} book changes checked`);
  });

  it('picks the smallest V5 stream at or above the depth and trims to the depth', async function () {
    await loadFlow([
      connection(sim),
      ...paletteNode('bybit-orderbook', { depth: 1 }, 'd1'),
      ...paletteNode('bybit-orderbook', { depth: 50 }, 'd50'),
      ...paletteNode('bybit-orderbook', { depth: 51 }, 'd51'),
      ...paletteNode('bybit-orderbook', { depth: '1000' }, 'd1000'),
    ]);
    const sizes = await Promise.all(['d1', 'd50', 'd51', 'd1000'].map((id) => nextMsg(`${id}-out`).then((m) => (m.payload as BookPayload).bids.length)));
    assert.deepEqual(sizes, [1, 50, 51, 1000]);
    assert.deepEqual(sim.subscriptions(), ['orderbook.1.BTCUSDT', 'orderbook.1000.BTCUSDT', 'orderbook.200.BTCUSDT', 'orderbook.50.BTCUSDT']);
  });

  it('passes the frame\'s data through in raw mode', async function () {
    await loadFlow([connection(sim), ...paletteNode('bybit-orderbook', { depth: 50, output: 'raw' })]);
    const snap = await nextMsg('n1-out');
    assert.equal(snap.topic, 'orderbook.BTCUSDT');
    const d = snap.payload as { s: string; b: [string, string][]; a: [string, string][]; u: number; seq: number };
    assert.deepEqual(Object.keys(d).sort(), ['a', 'b', 's', 'seq', 'u']);
    assert.equal(typeof d.b[0][0], 'string');
    assert.deepEqual({ b: d.b, a: d.a, u: d.u }, (({ bids, asks, u }) => ({ b: bids, a: asks, u }))(sim.book('BTCUSDT', 50)));
    const next = nextMsg('n1-out');
    sim.step();
    const delta = (await next).payload as { u: number; b: unknown[] };
    assert.equal(delta.u, d.u + 1);
    assert.ok(delta.b.length < 50, 'a delta, not the whole book');
  });

  it('never sends a crossed book: one resubscribe, then the fresh snapshot', async function () {
    await loadFlow([connection(sim), ...paletteNode('bybit-orderbook', { depth: 50 })]);
    await nextMsg('n1-out');
    const got = collect('n1-out');
    const mark = sim.requests.length;
    const resubscribed = sim.waitFor('subscribe', (ev) => ev.topics.includes('orderbook.50.BTCUSDT'));
    sim.sendCrossedDelta('orderbook.50.BTCUSDT');
    await resubscribed;
    const fresh = (await nextMsg('n1-out')).payload as BookPayload;
    const want = simTop(sim, 'BTCUSDT', 50, 50);
    assert.deepEqual({ bids: fresh.bids, asks: fresh.asks, u: fresh.updateId }, want);
    assert.deepEqual(got.stop().map((m) => (m.payload as BookPayload).updateId), [want.u], 'only the fresh snapshot was sent');
    const ops = sim.requests.slice(mark).filter((r) => r.op === 'subscribe' || r.op === 'unsubscribe').map((r) => `${r.op} ${r.args}`);
    assert.deepEqual(ops, ['unsubscribe orderbook.50.BTCUSDT', 'subscribe orderbook.50.BTCUSDT']);
  });

  it('sends nothing for the deltas after a gap and goes on from one fresh snapshot', async function () {
    await loadFlow([connection(sim), ...paletteNode('bybit-orderbook', { depth: 20 })]);
    await nextMsg('n1-out');
    const got = collect('n1-out');
    const mark = sim.requests.length;
    const resubscribed = sim.waitFor('subscribe', (ev) => ev.topics.includes('orderbook.50.BTCUSDT'));
    sim.injectBookGap('orderbook.50.BTCUSDT');
    sim.step();
    sim.step();
    await resubscribed;
    const want = simTop(sim, 'BTCUSDT', 50, 20);
    await bookMsg('n1-out', want.u);
    assert.deepEqual(got.stop().map((m) => (m.payload as BookPayload).updateId), [want.u]);
    assert.equal(sim.requests.slice(mark).filter((r) => r.op === 'subscribe' || r.op === 'unsubscribe').length, 2);
  });

  it('gives a node joining a live book the current book at once, on the same server subscription', async function () {
    await loadFlow([connection(sim), ...paletteNode('bybit-orderbook', { depth: 5 }, 'a'), ...paletteNode('bybit-orderbook', { depth: 5, symbols: '' }, 'b'), ...completer(['b'])]);
    await nextMsg('a-out');
    sim.step();
    const current = simTop(sim, 'BTCUSDT', 50, 5);
    await bookMsg('a-out', current.u);
    const mark = sim.requests.length;
    const joined = nextMsg('b-out');
    await inject('b', { action: 'subscribe', symbol: 'BTCUSDT' });
    const p = (await joined).payload as BookPayload;
    assert.deepEqual({ bids: p.bids, asks: p.asks, u: p.updateId }, current);
    assert.equal(sim.requests.length, mark, 'no request to the server');
    assert.deepEqual(sim.subscriptions(), ['orderbook.50.BTCUSDT']);
  });

  it('sends the best bid and ask from the depth-1 book, sharing it with a depth-1 order book node', async function () {
    await loadFlow([connection(sim), ...paletteNode('bybit-bookticker'), ...paletteNode('bybit-orderbook', { depth: 1 }, 'ob')]);
    const msg = await nextMsg('n1-out');
    await nextMsg('ob-out');
    assert.deepEqual(sim.subscriptions(), ['orderbook.1.BTCUSDT'], 'one server subscription for both');
    assert.equal(msg.topic, 'bookticker.BTCUSDT');
    assert.equal(msg.symbol, 'BTCUSDT');
    const p = msg.payload as Record<string, number | string>;
    assert.deepEqual(Object.keys(p).sort(), ['askPrice', 'askQty', 'bidPrice', 'bidQty', 'category', 'symbol', 'time']);
    for (let i = 0; i < 30; i++) {
      const before = sim.book('BTCUSDT', 1).u;
      sim.step();
      const top = simTop(sim, 'BTCUSDT', 1, 1);
      if (top.u === before) continue;
      // One frame per changed step, sent synchronously by step(): the next msg is this one.
      const got = (await nextMsg('n1-out')).payload as { time: number; bidPrice: number; askPrice: number };
      assert.deepEqual(got, { category: 'spot', symbol: 'BTCUSDT', bidPrice: top.bids[0][0], bidQty: top.bids[0][1], askPrice: top.asks[0][0], askQty: top.asks[0][1], time: got.time });
      assert.ok(got.bidPrice < got.askPrice);
    }
  });

  it('shows an invalid depth in red, reports it to Catch once, subscribes nothing, and refuses msgs', async function () {
    for (const depth of [0, 1001, 2.5, 'fifty', -1]) {
      await loadFlow([connection(sim), ...paletteNode('bybit-orderbook', { depth }), ...catcher()]);
      const statuses = callsOf('n1', 'status').map((a) => a[0] as { fill?: string; text?: string });
      assert.ok(statuses.some((s) => s.fill === 'red' && s.text === `${SHARED}status.depthInvalid`), `status for depth ${depth}`);
      assert.equal((await nextMsg('caught')).error?.message, `${SHARED}errors.depthInvalid`, `deploy error for depth ${depth}`);
      const caught = nextMsg('caught');
      getNode('n1').receive({ action: 'subscribe', symbol: 'ETHUSDT' });
      assert.equal((await caught).error?.message, `Error: ${SHARED}errors.depthInvalid`);
      await helper.unload();
    }
    assert.equal(sim.connectionAttempts(), 0);
  });

  it('logs once when a book topic breaks only on skipped u so often that skips are accepted, and keeps sending the right book', async function () {
    this.timeout(20_000);
    const topic = 'orderbook.50.BTCUSDT';
    await loadFlow([connection(sim), ...paletteNode('bybit-orderbook', { depth: 50 })], {}, [keepSubstitutions]);
    await nextMsg('n1-out');
    const warns: string[] = [];
    getNode('conn').on('call:warn', (c: { args: unknown[] }) => warns.push(String(c.args[0])));
    // v5 websocket/public/orderbook.mdx no longer promises that `u` rises by exactly 1.
    assert.equal((await control(sim, '/control/book-u-skips', { enabled: true, topic })).status, 200);
    for (let i = 0; i < U_SKIPS.breaks; i++) {
      const resubscribed = sim.waitFor('subscribe', (ev) => ev.topics.includes(topic));
      for (let before = sim.book('BTCUSDT', 50).u; sim.book('BTCUSDT', 50).u <= before + 1; ) {
        before = sim.book('BTCUSDT', 50).u;
        sim.step();
      }
      await resubscribed;
      await bookMsg('n1-out', sim.book('BTCUSDT', 50).u);
    }
    const line = `${SHARED}errors.uSkipsAllowed ${JSON.stringify({ topic, endpoint: 'public', breaks: U_SKIPS.breaks, minutes: 5 })}`;
    assert.deepEqual(warns, [line]);
    const mark = sim.requests.length;
    assert.ok((await stepAndCompare(sim, 100, 50)) > 80);
    assert.deepEqual(sim.requests.slice(mark).filter((r) => r.args?.includes(topic)), [], 'no resubscribe on a skip');
    assert.deepEqual(warns, [line], 'said once');
  });
});
