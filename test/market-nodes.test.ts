/**
 * Trade and ticker nodes in the real Node-RED runtime, over real sockets to the simulator:
 * subscribe on deploy, run-time control, ref counting, batching, rejections, reconnects,
 * redeploys and bad input.
 */
import assert from 'node:assert/strict';
import type { Simulator } from '../src/simulator';
import { catcher, collect, completer, connection, getNode, helper, inject, lastStatus, loadFlow, nextMsg, nextStatus, paletteNode, SHARED, simulatorPerTest, type Msg } from './support/flows';

describe('trade and ticker nodes', function () {
  let sim: Simulator;

  simulatorPerTest({}, (s) => (sim = s));

  it('streams normalized trades for the configured symbols once deployed', async function () {
    const subscribed = sim.waitFor('subscribe');
    await loadFlow([connection(sim), ...paletteNode('bybit-trade', { symbols: 'btcusdt, ETHUSDT' })]);
    const sub = await subscribed;
    assert.deepEqual([...sub.topics].sort(), ['publicTrade.BTCUSDT', 'publicTrade.ETHUSDT']);
    const msg = await nextMsg('n1-out', (m) => m.topic === 'trade.ETHUSDT');
    assert.equal(msg.symbol, 'ETHUSDT');
    const p = msg.payload as Record<string, unknown>;
    assert.deepEqual(Object.keys(p).sort(), ['blockTrade', 'category', 'id', 'price', 'qty', 'seq', 'side', 'symbol', 'time']);
    assert.equal(p.symbol, 'ETHUSDT');
    assert.equal(typeof p.id, 'string');
    assert.ok(typeof p.price === 'number' && p.price > 0);
    assert.ok(typeof p.qty === 'number' && p.qty > 0);
    assert.ok(p.side === 'Buy' || p.side === 'Sell');
    assert.ok(typeof p.time === 'number' && p.time > 1.6e12);
  });

  it('sends one msg per trade, not one per frame', async function () {
    await loadFlow([connection(sim), ...paletteNode('bybit-trade')]);
    await nextMsg('n1-out');
    const ids = ['t-1', 't-2', 't-3'];
    const got = collect('n1-out');
    const last = nextMsg('n1-out', (m) => (m.payload as { id: string }).id === 't-3');
    sim.sendRaw(JSON.stringify({
      topic: 'publicTrade.BTCUSDT', type: 'snapshot', ts: 1672304486868,
      data: ids.map((i, n) => ({ T: 1672304486865 + n, s: 'BTCUSDT', S: n % 2 ? 'Sell' : 'Buy', v: '0.001', p: '16578.50', i, BT: false, seq: 1 })),
    }));
    await last;
    const mine = got.stop().filter((m) => ids.includes((m.payload as { id: string }).id));
    assert.deepEqual(mine.map((m) => (m.payload as { id: string }).id), ids);
    assert.deepEqual(mine[1].payload, { category: 'spot', symbol: 'BTCUSDT', id: 't-2', price: 16578.5, qty: 0.001, side: 'Sell', time: 1672304486866, seq: 1, blockTrade: false });
  });

  it('streams tickers with the normalized fields as numbers', async function () {
    await loadFlow([connection(sim), ...paletteNode('bybit-ticker')]);
    const msg = await nextMsg('n1-out');
    assert.equal(msg.topic, 'ticker.BTCUSDT');
    const p = msg.payload as Record<string, unknown>;
    for (const key of ['lastPrice', 'openPrice24h', 'highPrice24h', 'lowPrice24h', 'volume24h', 'turnover24h', 'change24h', 'time']) {
      assert.equal(typeof p[key], 'number', key);
      assert.ok(!Number.isNaN(p[key]), key);
    }
    assert.ok(p.usdIndexPrice === null || typeof p.usdIndexPrice === 'number');
    assert.ok((p.lowPrice24h as number) <= (p.highPrice24h as number));
  });

  it('passes the exchange data through in raw mode', async function () {
    await loadFlow([connection(sim), ...paletteNode('bybit-ticker', { output: 'raw' })]);
    const msg = await nextMsg('n1-out');
    const p = msg.payload as Record<string, unknown>;
    assert.equal(p.symbol, 'BTCUSDT');
    assert.equal(typeof p.lastPrice, 'string');
    assert.ok('price24hPcnt' in p);
  });

  it('subscribes, lists and unsubscribes at run time', async function () {
    await loadFlow([connection(sim), ...paletteNode('bybit-trade', { symbols: '' }), ...completer(['n1'])]);
    const n1 = getNode('n1');

    let sub = sim.waitFor('subscribe');
    await inject('n1', { action: 'subscribe', symbol: ['ETHUSDT', 'SOLUSDT'] });
    assert.deepEqual((await sub).topics.sort(), ['publicTrade.ETHUSDT', 'publicTrade.SOLUSDT']);

    sub = sim.waitFor('subscribe');
    n1.receive({ action: 'subscribe', payload: 'XRPUSDT' });
    assert.deepEqual((await sub).topics, ['publicTrade.XRPUSDT']);

    const listed = nextMsg('n1-out', (m) => m.topic === 'subscriptions');
    n1.receive({ action: 'list' });
    assert.deepEqual(((await listed).payload as string[]).sort(), ['ETHUSDT', 'SOLUSDT', 'XRPUSDT']);

    const unsub = sim.waitFor('unsubscribe');
    n1.receive({ action: 'unsubscribe', symbol: 'ETHUSDT' });
    assert.deepEqual((await unsub).topics, ['publicTrade.ETHUSDT']);
    assert.deepEqual(sim.subscriptions(), ['publicTrade.SOLUSDT', 'publicTrade.XRPUSDT']);

    // No symbol: everything of this node goes.
    const closed = sim.waitFor('disconnect');
    n1.receive({ action: 'unsubscribe' });
    await closed; // the last topic gone, the socket closes too
    assert.equal(sim.clientCount(), 0);
  });

  it('shares one server subscription between two nodes and drops it when the last leaves', async function () {
    await loadFlow([
      connection(sim),
      ...paletteNode('bybit-trade', { symbols: 'BTCUSDT,ETHUSDT' }, 'a'),
      ...paletteNode('bybit-trade', { symbols: 'BTCUSDT' }, 'b'),
      ...completer(['a', 'b']),
    ]);
    await nextMsg('a-out', (m) => m.topic === 'trade.BTCUSDT');
    await nextMsg('b-out', (m) => m.topic === 'trade.BTCUSDT');
    assert.deepEqual(sim.subscriptions(), ['publicTrade.BTCUSDT', 'publicTrade.ETHUSDT']);
    assert.equal(sim.clientCount(), 1);

    const unsubs: string[] = [];
    sim.on('unsubscribe', (ev: { topics: string[] }) => unsubs.push(...ev.topics));
    await inject('a', { action: 'unsubscribe', symbol: 'BTCUSDT' });
    // b still holds BTCUSDT: it keeps streaming and nothing went to the server.
    await nextMsg('b-out', (m) => m.topic === 'trade.BTCUSDT');
    assert.deepEqual(unsubs, []);

    const unsub = sim.waitFor('unsubscribe');
    getNode('b').receive({ action: 'unsubscribe', symbol: 'BTCUSDT' });
    assert.deepEqual((await unsub).topics, ['publicTrade.BTCUSDT']);
    assert.deepEqual(sim.subscriptions(), ['publicTrade.ETHUSDT']);
  });

  it('sends 25 symbols as 3 subscribe requests of at most 10 topics', async function () {
    const symbols = Array.from({ length: 25 }, (_, i) => `SYM${String(i).padStart(2, '0')}USDT`);
    const requests: unknown[][] = [];
    sim.on('request', (r: { op?: string; args?: unknown[] }) => {
      if (r.op === 'subscribe') requests.push(r.args ?? []);
    });
    const all = sim.waitFor('subscribe', () => sim.subscriptions().length === 25);
    await loadFlow([connection(sim), ...paletteNode('bybit-ticker', { symbols: symbols.join(',') })]);
    await all;
    assert.equal(requests.length, 3);
    assert.deepEqual(requests.map((a) => a.length).sort((x, y) => x - y), [5, 10, 10]);
  });

  it('ends a subscribe the server refuses with done(err) and keeps other topics streaming', async function () {
    await loadFlow([connection(sim), ...paletteNode('bybit-trade'), ...catcher()]);
    await nextMsg('n1-out', (m) => m.topic === 'trade.BTCUSDT');
    sim.rejectNext(1, 'error:handler not found,topic:publicTrade.DOGEUSDT');
    const allCaught = collect('caught');
    const caught = nextMsg('caught');
    const refused = nextStatus('n1', (s) => s.fill === 'red' && s.text === `${SHARED}status.refused`);
    getNode('n1').receive({ action: 'subscribe', symbol: 'DOGEUSDT' });
    const err = await caught;
    assert.match(err.error?.message ?? '', /errors\.rejected$/);
    await refused;
    await nextMsg('n1-out', (m) => m.topic === 'trade.BTCUSDT');
    const listed = nextMsg('n1-out', (m) => m.topic === 'subscriptions');
    getNode('n1').receive({ action: 'list' });
    assert.deepEqual((await listed).payload, ['BTCUSDT']);
    assert.equal(allCaught.stop().length, 1, 'one refusal, one error for the Catch node');
  });

  it('lets a Catch node see problems found at deploy: bad symbols and refused topics', async function () {
    sim.rejectNext(1, 'error:handler not found,topic:tickers.ETHUSDT');
    const flow = [connection(sim), ...paletteNode('bybit-trade', { symbols: 'BTCUSDT, bad one' }), ...paletteNode('bybit-ticker', { symbols: 'ETHUSDT' }, 'n2'), ...catcher()];
    const from = (id: string) => (m: Msg) => (m.error as { source?: { id: string } })?.source?.id === id;
    await loadFlow(flow);
    // The bad symbol is reported once the flow has started; the refusal once the server answers.
    const badSymbols = nextMsg('caught', from('n1'));
    const refusal = nextMsg('caught', from('n2'));
    assert.match((await badSymbols).error?.message ?? '', /errors\.badSymbols$/);
    assert.match((await refusal).error?.message ?? '', /errors\.rejected$/);
    assert.equal(lastStatus('n1')?.text, `${SHARED}status.badSymbols`);
    // A bad entry stops the whole node: not even its good symbol was asked for.
    assert.deepEqual(sim.requests.filter((r) => r.op === 'subscribe').flatMap((r) => r.args ?? []), ['tickers.ETHUSDT']);
  });

  it('rejects bad input with done(err) and changes nothing', async function () {
    await loadFlow([connection(sim), ...paletteNode('bybit-trade'), ...catcher()]);
    await nextMsg('n1-out', (m) => m.topic === 'trade.BTCUSDT');
    const cases: [Record<string, unknown>, string][] = [
      [{ payload: 'BTCUSDT' }, 'errors.actionMissing'],
      [{ action: 42 }, 'errors.actionType'],
      [{ action: 'subscribed' }, 'errors.actionUnknown'],
      [{ action: 'subscribe' }, 'errors.symbolMissing'],
      [{ action: 'subscribe', symbol: 123 }, 'errors.symbolType'],
      [{ action: 'subscribe', symbol: { s: 'BTCUSDT' } }, 'errors.symbolType'],
      [{ action: 'subscribe', symbol: '' }, 'errors.symbolInvalid'],
      [{ action: 'subscribe', symbol: 'btcusdt' }, 'errors.symbolInvalid'],
      [{ action: 'subscribe', symbol: 'BTC USDT' }, 'errors.symbolInvalid'],
      [{ action: 'subscribe', symbol: 'A'.repeat(31) }, 'errors.symbolInvalid'],
      [{ action: 'subscribe', symbol: ['ETHUSDT', 7] }, 'errors.symbolType'],
      [{ action: 'subscribe', symbol: Array.from({ length: 500 }, (_, i) => `S${i}USDT`) }, 'errors.tooManySymbols'],
    ];
    const requestsBefore = sim.requests.length;
    for (const [msg, key] of cases) {
      const caught = nextMsg('caught');
      getNode('n1').receive(msg);
      const err = await caught;
      assert.equal(err.error?.message, `Error: ${SHARED}${key}`, JSON.stringify(msg).slice(0, 80));
    }
    assert.equal(sim.requests.filter((r) => r.op === 'subscribe' || r.op === 'unsubscribe').length, sim.requests.slice(0, requestsBefore).filter((r) => r.op === 'subscribe' || r.op === 'unsubscribe').length);
    await nextMsg('n1-out', (m) => m.topic === 'trade.BTCUSDT');
  });

  it('resubscribes every topic after the server drops the socket', async function () {
    helper.settings({ bybitWs: { reconnectBaseMs: 50 } });
    await loadFlow([connection(sim), ...paletteNode('bybit-trade', { symbols: 'BTCUSDT,ETHUSDT' }), ...paletteNode('bybit-ticker', { symbols: 'SOLUSDT' }, 'n2')]);
    await nextMsg('n1-out');
    if (sim.subscriptions().length < 3) await sim.waitFor('subscribe', () => sim.subscriptions().length === 3);
    const reconnecting = nextStatus('n1', (s) => s.text === `${SHARED}status.reconnecting`);
    const greenAgain = reconnecting.then(() => nextStatus('n1', (s) => s.fill === 'green'));
    const resubscribed = sim.waitFor('subscribe', () => sim.subscriptions().length === 3 && sim.clientCount() === 1);
    sim.dropAll({ mode: 'terminate' });
    await reconnecting;
    await resubscribed;
    assert.deepEqual(sim.subscriptions(), ['publicTrade.BTCUSDT', 'publicTrade.ETHUSDT', 'tickers.SOLUSDT']);
    await greenAgain;
    await nextMsg('n1-out', (m) => m.topic === 'trade.ETHUSDT');
    await nextMsg('n2-out', (m) => m.topic === 'ticker.SOLUSDT');
    helper.settings({ bybitWs: {} });
  });

  it('closes its socket on redeploy and unload', async function () {
    await loadFlow([connection(sim), ...paletteNode('bybit-trade')]);
    await nextMsg('n1-out');
    assert.equal(sim.clientCount(), 1);
    const gone = sim.waitFor('disconnect');
    await helper.unload();
    await gone;
    assert.equal(sim.clientCount(), 0);
  });

  it('shows a red status, not a crash, for a malformed custom URL', async function () {
    await loadFlow([connection(sim, { publicUrl: 'not a url' }), ...paletteNode('bybit-trade'), ...catcher()]);
    await nextStatus('n1', (s) => s.fill === 'red');
    assert.equal(sim.connectionAttempts(), 0);
  });
});

export type { Msg };
