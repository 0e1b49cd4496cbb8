/**
 * V5 categories in flows (issue 14, issue 12 item 1): linear, inverse and option streams on
 * their own endpoints, merged linear tickers, positions, liquidations, and categorised private
 * topics, against the simulator over real sockets.
 */
import assert from 'node:assert/strict';
import type { Simulator } from '../src/simulator';
import { v5 } from '../src/dialects/v5';
import { FrameClient } from '../src/simulator/test-client';
import { control } from './support/control';
import { catcher, collect, connection, helper, lastStatus, loadFlow, nextMsg, nextStatus, paletteNode, simulatorPerTest, keepSubstitutions, type Msg } from './support/flows';

const KEY = 'cat-key';
const SECRET = 'cat-secret';
const CREDS = { conn: { apiKey: KEY, apiSecret: SECRET } };
const payload = (m: Msg) => m.payload as Record<string, unknown>;

describe('V5 categories in flows', function () {
  this.timeout(15_000);
  let sim: Simulator;
  simulatorPerTest({ tickMs: 20, credentials: [{ key: KEY, secret: SECRET }] }, (s) => (sim = s));

  it('a spot and a linear BTCUSDT trade node on one connection get trade.BTCUSDT and trade.linear.BTCUSDT over two sockets', async function () {
    await loadFlow([connection(sim), ...paletteNode('bybit-trade', {}, 's'), ...paletteNode('bybit-trade', { category: 'linear' }, 'l')]);
    const [spot, linear] = await Promise.all([nextMsg('s-out'), nextMsg('l-out')]);
    assert.equal(spot.topic, 'trade.BTCUSDT');
    assert.equal(payload(spot).category, 'spot');
    assert.equal(linear.topic, 'trade.linear.BTCUSDT');
    assert.equal(payload(linear).category, 'linear');
    assert.deepEqual([sim.clientCount('/v5/public/spot'), sim.clientCount('/v5/public/linear')], [1, 1]);
    assert.deepEqual(sim.subscriptions('/v5/public/linear'), ['publicTrade.BTCUSDT']);
    assert.equal(sim.clientCount('/v5/public/option'), 0, 'categories nobody asked for stay closed');
  });

  it('a linear ticker msg after 50 deltas is the simulator\'s whole current ticker', async function () {
    await loadFlow([connection(sim), ...paletteNode('bybit-ticker', { category: 'linear' })]);
    const got = collect('n1-out');
    await nextMsg('n1-out');
    // Each market tick pushes a delta of the fields that changed; wait for 50 more msgs.
    while (got.msgs.length < 51) await nextMsg('n1-out');
    got.stop();
    const last = got.msgs[got.msgs.length - 1];
    const want = v5.normalize({ channel: 'ticker', symbol: 'BTCUSDT', category: 'linear' }, { topic: 'tickers.BTCUSDT', type: 'snapshot', ts: payload(last).time, data: sim.ticker('linear', 'BTCUSDT') });
    // The simulator may have pushed one more delta since: compare with the msg that matches its latest state.
    const match = payload(last).lastPrice === (want[0].payload as unknown as Record<string, unknown>).lastPrice ? last : await nextMsg('n1-out');
    assert.deepEqual(payload(match), want[0].payload);
    for (const field of ['markPrice', 'indexPrice', 'openInterest', 'openInterestValue', 'fundingRate', 'nextFundingTime', 'bid1Price', 'ask1Price', 'prevPrice1h']) {
      assert.equal(typeof payload(match)[field], 'number', field);
    }
    assert.equal(match.topic, 'ticker.linear.BTCUSDT');
  });

  it('a linear ticker whose first frame is a delta waits, resubscribes after the request timeout, then sends whole tickers', async function () {
    helper.settings({ bybitWs: { requestTimeoutMs: 300 } });
    // Another client first, so the simulator's ticker is running and the next subscriber gets deltas only.
    const warm = await FrameClient.connect(sim.url('/v5/public/linear'));
    const snapshot = warm.next((f) => f.type === 'snapshot');
    warm.send(JSON.stringify({ op: 'subscribe', args: ['tickers.BTCUSDT'] }));
    await snapshot;
    sim.skipTickerSnapshots(1);
    await loadFlow([connection(sim), ...paletteNode('bybit-ticker', { category: 'linear' })]);
    const resubscribed = sim.waitFor('unsubscribe', (ev: { topics: string[] }) => ev.topics.includes('tickers.BTCUSDT'));
    const first = nextMsg('n1-out');
    await resubscribed;
    const msg = await first;
    const full = sim.ticker('linear', 'BTCUSDT');
    assert.equal(typeof payload(msg).markPrice, 'number');
    assert.ok(Object.keys(full).length > 15, 'the simulator ticker is whole');
    await warm.close();
  });

  it('option: trades by base coin carry each option\'s own symbol; tickers carry greeks and IVs', async function () {
    await loadFlow([
      connection(sim),
      ...paletteNode('bybit-trade', { category: 'option', symbols: 'BTC' }, 't'),
      ...paletteNode('bybit-ticker', { category: 'option', symbols: 'BTC-27DEC26-30000-C' }, 'k'),
    ]);
    const sent = sim.waitFor('subscribe', (ev: { path: string }) => ev.path === '/v5/public/option');
    await sent;
    const trade = nextMsg('t-out');
    sim.injectTrade({ category: 'option', symbol: 'BTC-27DEC26-30000-C', price: '1500', qty: '0.5' });
    const t = await trade;
    assert.equal(t.topic, 'trade.option.BTC-27DEC26-30000-C');
    assert.equal(t.symbol, 'BTC-27DEC26-30000-C');
    assert.deepEqual([payload(t).category, payload(t).price, payload(t).qty], ['option', 1500, 0.5]);
    const k = await nextMsg('k-out');
    assert.equal(k.topic, 'ticker.option.BTC-27DEC26-30000-C');
    for (const field of ['markPrice', 'indexPrice', 'underlyingPrice', 'markIv', 'bid1Iv', 'ask1Iv', 'delta', 'gamma', 'vega', 'theta', 'openInterest']) {
      assert.ok(payload(k)[field] === null || typeof payload(k)[field] === 'number', `${field} = ${String(payload(k)[field])}`);
    }
    assert.equal(typeof payload(k).delta, 'number');
  });

  it('a liquidation node sends each liquidation as liquidation.linear.<SYMBOL>', async function () {
    await loadFlow([connection(sim), ...paletteNode('bybit-liquidation', { symbols: 'ETHUSDT' })]);
    await sim.waitFor('subscribe', (ev: { path: string }) => ev.path === '/v5/public/linear');
    const got = nextMsg('n1-out');
    assert.equal(sim.injectLiquidation({ category: 'linear', symbol: 'ETHUSDT', side: 'Sell', price: '2100.5', qty: '3' }), 1);
    const msg = await got;
    assert.equal(msg.topic, 'liquidation.linear.ETHUSDT');
    assert.deepEqual({ ...payload(msg), time: 0 }, { category: 'linear', symbol: 'ETHUSDT', side: 'Sell', qty: 3, price: 2100.5, time: 0 });
  });

  it('a position opened, changed and closed gives three position msgs with size, side (null when flat) and PnL', async function () {
    await loadFlow([connection(sim), ...paletteNode('bybit-position', { symbols: '' })], CREDS);
    await sim.waitFor('subscribe', (ev: { path: string; topics: string[] }) => ev.path === '/v5/private' && ev.topics.includes('position.linear'));
    const got = collect('n1-out');
    const third = nextMsg('n1-out', () => got.msgs.length === 3);
    sim.setPosition({ category: 'linear', symbol: 'BTCUSDT', side: 'Buy', size: '0.5', price: '30000', markPrice: '31000', key: KEY });
    sim.setPosition({ category: 'linear', symbol: 'BTCUSDT', side: 'Buy', size: '1', price: '32000', key: KEY });
    sim.setPosition({ category: 'linear', symbol: 'BTCUSDT', size: 0, price: '33000', key: KEY });
    await third;
    const [opened, changed, closed] = got.stop().map(payload);
    assert.deepEqual(got.msgs.map((m) => m.topic), ['position.linear.BTCUSDT', 'position.linear.BTCUSDT', 'position.linear.BTCUSDT']);
    assert.deepEqual([opened.side, opened.size, opened.entryPrice, opened.markPrice, opened.unrealisedPnl], ['Buy', 0.5, 30000, 31000, 500]);
    assert.deepEqual([changed.side, changed.size, changed.entryPrice], ['Buy', 1, 31000]);
    assert.deepEqual([closed.side, closed.size], [null, 0]);
    assert.equal(closed.unrealisedPnl, 0);
    assert.ok((closed.cumRealisedPnl as number) > 0, `cumRealisedPnl ${String(closed.cumRealisedPnl)}`);
    for (const p of [opened, changed, closed]) assert.equal(p.category, 'linear');
  });

  it('a spot order node on a V5 connection whose server pushes a linear and a spot order on `order` emits only the spot one', async function () {
    await loadFlow([connection(sim), ...paletteNode('bybit-order', { symbols: '' })], CREDS);
    await sim.waitFor('subscribe', () => sim.subscriptions('/v5/private').includes('order.spot'));
    const got = collect('n1-out');
    const spot = nextMsg('n1-out');
    // Items shaped like private/order.mdx's example (its own item is an option order); one frame, all-in-one topic.
    const item = (category: string, symbol: string, orderId: string) => ({
      symbol, orderId, side: 'Sell', orderType: 'Market', price: '72.5', qty: '1', timeInForce: 'IOC', orderStatus: 'Filled', orderLinkId: '',
      cumExecQty: '1', cumExecValue: '75', avgPrice: '75', createdTime: '1672364262444', updatedTime: '1672364262457', category,
    });
    const frame = { id: 'x', topic: 'order', creationTime: 1672364262474, data: [item('linear', 'BTCUSDT', 'lin-1'), item('option', 'ETH-30DEC22-1400-C', 'opt-1'), item('spot', 'BTCUSDT', 'spot-1')] };
    assert.equal((await control(sim, '/control/push', { path: '/v5/private', json: frame })).status, 200);
    await spot;
    // The next frame proves nothing else of the first was still on its way.
    const next = nextMsg('n1-out');
    await control(sim, '/control/push', { path: '/v5/private', json: { ...frame, topic: 'order.spot', data: [item('spot', 'ETHUSDT', 'spot-2')] } });
    await next;
    assert.deepEqual(got.stop().map((m) => [m.topic, payload(m).category, payload(m).orderId]), [['order.BTCUSDT', 'spot', 'spot-1'], ['order.ETHUSDT', 'spot', 'spot-2']]);
  });

  it('an order node set to all subscribes `order` and names each msg\'s own category in its topic', async function () {
    await loadFlow([connection(sim), ...paletteNode('bybit-order', { symbols: '', category: 'all' })], CREDS);
    await sim.waitFor('subscribe', () => sim.subscriptions('/v5/private').includes('order'));
    const got = collect('n1-out');
    const second = nextMsg('n1-out', () => got.msgs.length === 2);
    sim.placeOrder({ category: 'linear', symbol: 'BTCUSDT', side: 'Buy', price: '30000', qty: '0.1', key: KEY });
    sim.placeOrder({ symbol: 'BTCUSDT', side: 'Buy', price: '30000', qty: '0.1', key: KEY });
    await second;
    assert.deepEqual(got.stop().map((m) => [m.topic, payload(m).category]), [['order.linear.BTCUSDT', 'linear'], ['order.BTCUSDT', 'spot']]);
  });

  it('a category other than spot on a spot-v3 connection, and a position node there, are configuration mistakes', async function () {
    await loadFlow([
      connection(sim, { api: 'spot-v3', publicUrl: sim.url('/spot/public/v3'), privateUrl: sim.url('/spot/private/v3') }),
      ...paletteNode('bybit-ticker', { category: 'linear' }, 't'),
      ...paletteNode('bybit-position', { symbols: '' }, 'p'),
      ...catcher(),
    ], CREDS, [keepSubstitutions]);
    const t = lastStatus('t') ?? (await nextStatus('t', (s) => s.fill === 'red'));
    assert.equal(t.fill, 'red');
    assert.match(String(t.text), /category/);
    const p = lastStatus('p') ?? (await nextStatus('p', (s) => s.fill === 'red'));
    assert.equal(p.fill, 'red');
    assert.match(String(p.text), /api/);
    assert.equal(sim.clientCount(), 0, 'nothing started');
  });
});
