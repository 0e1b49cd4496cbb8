/**
 * Throttled public nodes in the real Node-RED runtime: at most one msg per topic per interval,
 * the first at once, the latest value always delivered at the end of the window; trades (and
 * raw book frames) arrive as the window's array so nothing is lost.
 */
import assert from 'node:assert/strict';
import type { Simulator } from '../src/simulator';
import { collect, connection, helper, loadFlow, nextMsg, paletteNode, simulatorPerTest, type Msg } from './support/flows';

const WINDOW_MS = 400;

function tickerFrame(symbol: string, lastPrice: string): string {
  return JSON.stringify({
    topic: `tickers.${symbol}`, ts: Date.now(), type: 'snapshot', cs: 1,
    data: { symbol, lastPrice, highPrice24h: '99999', lowPrice24h: '1', prevPrice24h: '100', volume24h: '1', turnover24h: '1', price24hPcnt: '0.01', usdIndexPrice: lastPrice },
  });
}

function tradeFrame(symbol: string, ids: string[]): string {
  return JSON.stringify({
    topic: `publicTrade.${symbol}`, ts: Date.now(), type: 'snapshot',
    data: ids.map((i, n) => ({ T: Date.now() + n, s: symbol, S: 'Buy', v: '0.5', p: '100.5', i, BT: false, seq: n })),
  });
}

/** Records when each msg arrived, to check the spacing of a throttled stream. */
function timed(id: string): { msgs: { at: number; msg: Msg }[]; stop: () => void } {
  const msgs: { at: number; msg: Msg }[] = [];
  const listener = (msg: Msg) => msgs.push({ at: Date.now(), msg });
  helper.getNode(id).on('input', listener);
  return { msgs, stop: () => helper.getNode(id).off('input', listener) };
}

const lastPrice = (m: Msg): number => (m.payload as { lastPrice: number }).lastPrice;

describe('throttled output', function () {
  let sim: Simulator;

  simulatorPerTest({ tickMs: 0 }, (s) => (sim = s));

  it('sends the first value at once and the latest at the end of the window, dropping the ones between', async function () {
    const subscribed = sim.waitFor('subscribe');
    await loadFlow([connection(sim), ...paletteNode('bybit-ticker', { throttle: WINDOW_MS, symbols: 'BTCUSDT,ETHUSDT' })]);
    const seen = timed('n1-out');
    await subscribed;
    // The subscribe snapshots are the first values: each topic's goes out at once, in its own window.
    await nextMsg('n1-out', (m) => m.topic === 'ticker.BTCUSDT');
    for (const price of ['2', '3', '4']) sim.sendRaw(tickerFrame('BTCUSDT', price));
    await nextMsg('n1-out', (m) => m.topic === 'ticker.BTCUSDT' && lastPrice(m) === 4);
    // The trailing msg opened a new window: 5 and 6 wait for its end, and only 6 goes.
    sim.sendRaw(tickerFrame('BTCUSDT', '5'));
    sim.sendRaw(tickerFrame('BTCUSDT', '6'));
    await nextMsg('n1-out', (m) => m.topic === 'ticker.BTCUSDT' && lastPrice(m) === 6);
    seen.stop();
    const btc = seen.msgs.filter((x) => x.msg.topic === 'ticker.BTCUSDT');
    const eth = seen.msgs.filter((x) => x.msg.topic === 'ticker.ETHUSDT');
    assert.deepEqual(btc.slice(1).map((x) => lastPrice(x.msg)), [4, 6], '2, 3 and 5 were replaced by later values');
    assert.ok(lastPrice(btc[0].msg) > 1000, 'the first was the simulator\'s snapshot');
    assert.equal(eth.length, 1, 'ETHUSDT has a window of its own');
    assert.ok(eth[0].at < btc[1].at, 'and was not held back by the BTCUSDT window');
    // Delivery through the runtime is asynchronous, so allow some jitter around the window.
    for (let i = 1; i < btc.length; i++) assert.ok(btc[i].at - btc[i - 1].at >= WINDOW_MS - 50, `spacing ${btc[i].at - btc[i - 1].at} ms`);
  });

  it('sends a throttled window of trades as one array, in order, losing none', async function () {
    const subscribed = sim.waitFor('subscribe');
    await loadFlow([connection(sim), ...paletteNode('bybit-trade', { throttle: WINDOW_MS })]);
    await subscribed;
    const got = collect('n1-out');
    const first = nextMsg('n1-out');
    sim.sendRaw(tradeFrame('BTCUSDT', ['t1']));
    assert.deepEqual(((await first).payload as { id: string }[]).map((t) => t.id), ['t1'], 'an array even alone');
    const rest = nextMsg('n1-out');
    sim.sendRaw(tradeFrame('BTCUSDT', ['t2', 't3']));
    sim.sendRaw(tradeFrame('BTCUSDT', ['t4']));
    sim.sendRaw(tradeFrame('BTCUSDT', ['t5', 't6', 't7']));
    const window = await rest;
    assert.equal(window.topic, 'trade.BTCUSDT');
    const trades = window.payload as { id: string; price: number; side: string; time: number }[];
    assert.deepEqual(trades.map((t) => t.id), ['t2', 't3', 't4', 't5', 't6', 't7']);
    assert.deepEqual(trades[0], { category: 'spot', symbol: 'BTCUSDT', id: 't2', price: 100.5, qty: 0.5, side: 'Buy', time: trades[0].time, seq: 0, blockTrade: false });
    assert.equal(got.stop().length, 2);
  });

  it('sends the latest order book at the end of a window', async function () {
    const subscribed = sim.waitFor('subscribe');
    await loadFlow([connection(sim), ...paletteNode('bybit-orderbook', { depth: 50, throttle: WINDOW_MS })]);
    await subscribed;
    await nextMsg('n1-out'); // the snapshot, which opened a window
    const got = collect('n1-out');
    for (let i = 0; i < 30; i++) sim.step();
    const latest = sim.book('BTCUSDT', 50);
    const trailing = (await nextMsg('n1-out', () => true, 3000)).payload as { bids: [number, number][]; asks: [number, number][]; updateId: number };
    assert.equal(trailing.updateId, latest.u);
    assert.deepEqual(trailing.bids, latest.bids.map(([p, q]) => [Number(p), Number(q)]));
    assert.deepEqual(trailing.asks, latest.asks.map(([p, q]) => [Number(p), Number(q)]));
    assert.equal(got.stop().length, 1, 'thirty deltas, one msg');
  });

  it('sends every raw book frame of a window as an array, so deltas can be replayed', async function () {
    const subscribed = sim.waitFor('subscribe');
    await loadFlow([connection(sim), ...paletteNode('bybit-orderbook', { depth: 50, throttle: WINDOW_MS, output: 'raw' })]);
    await subscribed;
    const snapshot = (await nextMsg('n1-out')).payload as { u: number }[];
    assert.equal(snapshot.length, 1);
    let u = snapshot[0].u;
    for (let i = 0; i < 20; i++) sim.step();
    const frames = (await nextMsg('n1-out', () => true, 3000)).payload as { u: number; s: string }[];
    assert.ok(frames.length >= 15, `${frames.length} frames`);
    for (const f of frames) assert.equal(f.u, ++u, 'consecutive update ids: none lost');
    assert.equal(u, sim.book('BTCUSDT', 50).u);
  });
});
