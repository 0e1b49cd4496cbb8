import assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../src/simulator';
import { FrameClient, httpJson, type Frame } from '../src/simulator/test-client';
import {
  DOC_BOOK_DELTA, DOC_INSTRUMENT_LINEAR, DOC_INSTRUMENT_OPTION, DOC_INSTRUMENT_SPOT, DOC_KLINE, DOC_LIQUIDATION, DOC_PONG_LINEAR,
  DOC_PONG_OPTION, DOC_PONG_SPOT, DOC_SUB_LINEAR, DOC_SUB_OPTION, DOC_SUB_SPOT, DOC_TICKER_FUTURES, DOC_TICKER_OPTION, DOC_TICKER_PERP,
  DOC_TICKER_SPOT, DOC_TRADE, assertDocShape,
} from './simulator-docs';

const path = (category: string): string => `/v5/public/${category}`;
const topicIs = (topic: string) => (f: Frame): boolean => f.topic === topic;
const subReply = (f: Frame): boolean => (f.op === 'subscribe' && 'success' in f) || f.type === 'COMMAND_RESP';

describe('simulator: V5 linear, inverse and option endpoints', () => {
  let sim: Simulator;
  const clients: FrameClient[] = [];

  beforeEach(async () => {
    sim = await startSimulator({ tickMs: 0, seed: 21 });
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) await c.close();
    await sim.close();
  });

  async function connect(category: string, ...topics: string[]): Promise<FrameClient> {
    const c = await FrameClient.connect(sim.url(path(category)));
    clients.push(c);
    if (topics.length) {
      const r = await c.request({ op: 'subscribe', args: topics }, subReply);
      assert.equal(r.success, true, JSON.stringify(r));
    }
    return c;
  }

  /** Everything sent before this returns has arrived (pong shapes differ per category). */
  async function flush(c: FrameClient): Promise<void> {
    await c.request({ op: 'ping' }, (f) => f.op === 'ping' || f.op === 'pong');
  }

  describe('replies (wss-authentication.mdx)', () => {
    it('pongs in each category shape', async () => {
      const spot = await connect('spot');
      const linear = await connect('linear');
      const option = await connect('option');
      const ps = await spot.request({ op: 'ping' }, (f) => f.op === 'ping');
      assert.deepEqual(Object.keys(ps), Object.keys(DOC_PONG_SPOT));
      const pl = await linear.request({ op: 'ping' }, (f) => f.op === 'ping');
      assert.deepEqual(pl, { ...DOC_PONG_LINEAR, conn_id: pl.conn_id });
      const po = await option.request({ op: 'ping', req_id: 'x' }, (f) => f.op === 'pong');
      assert.deepEqual(Object.keys(po), Object.keys(DOC_PONG_OPTION));
      assert.match(po.args[0], /^\d{13}$/);
    });

    it('subscribe acks: spot echoes req_id, linear always carries one, option answers COMMAND_RESP per topic', async () => {
      const spot = await connect('spot');
      const s = await spot.request({ req_id: '10001', op: 'subscribe', args: ['orderbook.1.BTCUSDT'] }, subReply);
      assert.deepEqual(s, { ...DOC_SUB_SPOT, conn_id: s.conn_id });
      const inverse = await connect('inverse');
      const i = await inverse.request({ op: 'subscribe', args: ['orderbook.1.BTCUSD'] }, subReply);
      assert.deepEqual(i, { ...DOC_SUB_LINEAR, conn_id: i.conn_id });
      const linear = await connect('linear');
      assert.equal((await linear.request({ req_id: 'r7', op: 'subscribe', args: ['tickers.BTCUSDT'] }, subReply)).req_id, 'r7');

      const option = await connect('option');
      const ok = await option.request({ op: 'subscribe', args: ['orderbook.100.BTC-27DEC26-30000-C'] }, subReply);
      assert.deepEqual(ok, { ...DOC_SUB_OPTION, conn_id: ok.conn_id, data: { failTopics: [], successTopics: ['orderbook.100.BTC-27DEC26-30000-C'] } });
      const mixed = await option.request({ op: 'subscribe', args: ['tickers.BTC-27DEC26-30000-P', 'orderbook.50.BTC-27DEC26-30000-P'] }, subReply);
      assert.deepEqual([mixed.success, mixed.data], [false, { failTopics: ['orderbook.50.BTC-27DEC26-30000-P'], successTopics: ['tickers.BTC-27DEC26-30000-P'] }]);
      const un = await option.request({ op: 'unsubscribe', args: ['tickers.BTC-27DEC26-30000-P'] }, (f) => f.type === 'COMMAND_RESP');
      assert.deepEqual(un.data.successTopics, ['tickers.BTC-27DEC26-30000-P']);
      assert.deepEqual(sim.subscriptions(path('option')), ['orderbook.100.BTC-27DEC26-30000-C']);
    });

    it('each endpoint accepts its own topics, depths and symbols only', async () => {
      const cases: [string, string, boolean][] = [
        ['linear', 'orderbook.1000.BTCUSDT', true], ['linear', 'orderbook.25.BTCUSDT', false], ['linear', 'allLiquidation.BTCUSDT', true],
        ['linear', 'kline.D.BTCUSDT-26MAR27', true], ['linear', 'tickers.BTC-27DEC26', true], ['linear', 'publicTrade.BTCPERP', true],
        ['inverse', 'tickers.BTCUSDZ26', true], ['inverse', 'allLiquidation.BTCUSD', true], ['spot', 'allLiquidation.BTCUSDT', false],
        ['option', 'orderbook.25.BTC-27DEC26-100000-C', true], ['option', 'publicTrade.BTC', true], ['option', 'publicTrade.BTC-27DEC26-30000-C', false],
        ['option', 'kline.1.BTC-27DEC26-30000-C', false], ['option', 'tickers.BTC-13FEB27-89000-P-USDT', true], ['option', 'tickers.BTCUSDT', false],
      ];
      for (const [category, topic, ok] of cases) {
        const c = await connect(category);
        const r = await c.request({ op: 'subscribe', args: [topic] }, subReply);
        assert.equal(r.success, ok, `${category} ${topic}: ${JSON.stringify(r)}`);
      }
    });
  });

  describe('the 21,000-character args budget (wss-authentication.mdx "Public channel - Args limits")', () => {
    const topics = (n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => `publicTrade.SYM${String(from + i).padStart(6, '0')}XYZUSDT`);

    it('linear takes any number of args per request but no more than 21,000 characters per connection', async () => {
      const c = await connect('linear');
      // 28 characters each: 750 topics = 21,000 characters exactly
      assert.equal(topics(1)[0].length, 28);
      const first = await c.request({ op: 'subscribe', args: topics(700) }, subReply);
      assert.equal(first.success, true, first.ret_msg);
      const over = await c.request({ op: 'subscribe', req_id: 'big', args: topics(51, 700) }, subReply);
      assert.equal(over.success, false);
      assert.match(over.ret_msg, /21000 characters/);
      assert.equal(over.req_id, 'big');
      assert.equal(sim.subscriptions(path('linear')).length, 700);
      assert.equal((await c.request({ op: 'subscribe', args: topics(50, 700) }, subReply)).success, true);
      const other = await connect('linear');
      assert.equal((await other.request({ op: 'subscribe', args: topics(10, 800) }, subReply)).success, true, 'the budget is per connection');
    });

    it('spot still takes at most 10 args per request; option fails every topic of an over-budget request', async () => {
      const spot = await connect('spot');
      assert.equal((await spot.request({ op: 'subscribe', args: topics(11) }, subReply)).ret_msg, 'args size >10');
      const option = await connect('option');
      // 900 topics of 32 characters: under the 2000-topic limit, over 21,000 characters
      const valid = Array.from({ length: 900 }, (_, i) => `orderbook.25.BTC-27DEC26-${10000 + i}-C`);
      const r = await option.request({ op: 'subscribe', args: valid }, subReply);
      assert.equal(r.success, false);
      assert.deepEqual([r.data.successTopics.length, r.data.failTopics.length], [0, 900]);
      assert.deepEqual(sim.subscriptions(path('option')), []);
    });
  });

  describe('market data frames', () => {
    it('linear and inverse trades carry L (tick direction); option trades come per base coin with mark and IVs', async () => {
      const linear = await connect('linear', 'publicTrade.BTCUSDT');
      const spot = await connect('spot', 'publicTrade.BTCUSDT');
      const option = await connect('option', 'publicTrade.ETH');
      sim.step();
      const lt = await linear.next(topicIs('publicTrade.BTCUSDT'));
      assertDocShape(lt, DOC_TRADE);
      assert.deepEqual(Object.keys(lt.data[0]), Object.keys(DOC_TRADE.data[0]));
      assert.ok(['PlusTick', 'ZeroPlusTick', 'MinusTick', 'ZeroMinusTick'].includes(lt.data[0].L));
      const st = await spot.next(topicIs('publicTrade.BTCUSDT'));
      assert.equal('L' in st.data[0], false);
      const ot = await option.next(topicIs('publicTrade.ETH'));
      assert.match(ot.id, /^publicTrade\.ETH-/);
      for (const item of ot.data) {
        assert.match(item.s, /^ETH-27DEC26-\d+-[CP]$/);
        for (const f of ['mP', 'iP', 'mIv', 'iv']) assert.ok(Number(item[f]) > 0, `${f}=${item[f]}`);
        assert.equal(typeof item.seq, 'number');
        assert.equal(item.BT, false);
      }
      const lastSpot = Number(sim.book('BTCUSDT', 1).bids[0]?.[0] ?? st.data[0].p);
      assert.ok(Math.abs(Number(lt.data[0].p) - lastSpot) / lastSpot < 0.1, 'linear BTCUSDT trades near spot BTCUSDT: one seeded market');
    });

    it('sends a block trade or an exact long decimal on request', async () => {
      const linear = await connect('linear', 'publicTrade.ETHUSDT');
      const r = await httpJson(sim.port, '/control/trade', { category: 'linear', symbol: 'ETHUSDT', qty: '10000000097.1982823144', price: '2001.25', blockTrade: true, side: 'Sell' });
      assert.deepEqual(r.body, { ok: true, sent: 1 });
      const t = (await linear.next(topicIs('publicTrade.ETHUSDT'))).data[0];
      assert.deepEqual([t.v, t.p, t.BT, t.S, t.s], ['10000000097.1982823144', '2001.25', true, 'Sell', 'ETHUSDT']);
      const option = await connect('option', 'publicTrade.BTC');
      await httpJson(sim.port, '/control/trade', { category: 'option', symbol: 'BTC-27DEC26-30000-C', qty: '0.01' });
      assert.equal((await option.next(topicIs('publicTrade.BTC'))).data[0].s, 'BTC-27DEC26-30000-C');
      assert.equal((await httpJson(sim.port, '/control/trade', { symbol: 'BTCUSDT', qty: '1e5' })).status, 400);
    });

    it('order books: depths per category, documented key order, seq and cts', async () => {
      const linear = await connect('linear', 'orderbook.50.BTCUSDT', 'orderbook.1.BTCUSDT');
      const option = await connect('option', 'orderbook.25.BTC-27DEC26-30000-C');
      const snap = await linear.next(topicIs('orderbook.50.BTCUSDT'));
      // orderbook.mdx: futures levels other than 1 put "ts" after "type"; level 1 before it.
      assert.deepEqual(Object.keys(snap), ['topic', 'type', 'ts', 'data', 'cts']);
      assert.deepEqual(Object.keys(await linear.next(topicIs('orderbook.1.BTCUSDT'))), ['topic', 'ts', 'type', 'data', 'cts']);
      assert.equal(snap.data.b.length, 50);
      const osnap = await option.next(topicIs('orderbook.25.BTC-27DEC26-30000-C'));
      assert.deepEqual([osnap.type, osnap.data.b.length, osnap.data.s], ['snapshot', 25, 'BTC-27DEC26-30000-C']);
      let delta: Frame | undefined;
      for (let i = 0; i < 20 && !delta; i++) {
        sim.step();
        await flush(linear);
        delta = linear.drain(topicIs('orderbook.50.BTCUSDT')).find((f) => f.type === 'delta');
      }
      assert.ok(delta, 'a delta within 20 steps');
      assertDocShape(delta, DOC_BOOK_DELTA);
      assert.deepEqual(sim.book('BTCUSDT', 50, 'linear').u, delta.data.u);
    });

    it('update ids may skip while u-skips are on, and always rise', async () => {
      const topic = 'orderbook.200.BTCUSD';
      const c = await connect('inverse', topic);
      const us = [(await c.next(topicIs(topic))).data.u];
      assert.equal((await httpJson(sim.port, '/control/book-u-skips', { enabled: true, topic, category: 'inverse' })).status, 200);
      for (let i = 0; i < 40; i++) sim.step();
      await flush(c);
      us.push(...c.drain(topicIs(topic)).map((f) => f.data.u));
      const steps = us.slice(1).map((u, i) => u - us[i]);
      assert.ok(steps.every((d) => d >= 1), `rising: ${steps}`);
      assert.ok(steps.some((d) => d > 1), `some skip: ${steps}`);
    });

    it('klines on linear in the documented key order; allLiquidation pushes', async () => {
      const c = await connect('linear', 'kline.5.BTCUSDT', 'allLiquidation.BTCUSDT');
      sim.step();
      const k = await c.next(topicIs('kline.5.BTCUSDT'));
      assertDocShape(k, DOC_KLINE);
      assert.deepEqual(Object.keys(k), Object.keys(DOC_KLINE));
      assert.equal(k.data[0].end - k.data[0].start, 5 * 60_000 - 1);
      const r = await httpJson(sim.port, '/control/liquidation', { symbol: 'BTCUSDT', side: 'Sell', price: '31000.5', qty: '0.25' });
      assert.deepEqual(r.body, { ok: true, sent: 1 });
      const liq = await c.next(topicIs('allLiquidation.BTCUSDT'));
      assertDocShape(liq, DOC_LIQUIDATION);
      assert.deepEqual([liq.data[0].S, liq.data[0].v, Number(liq.data[0].p)], ['Sell', '0.250', 31000.5]);
      for (let i = 0; i < 40; i++) sim.step();
      await flush(c);
      assert.ok(c.drain(topicIs('allLiquidation.BTCUSDT')).length > 0, 'the market liquidates now and then');
    });
  });

  describe('tickers (ticker.mdx)', () => {
    it('snapshots carry exactly the documented fields per kind of instrument', async () => {
      const perp = await connect('linear', 'tickers.BTCUSDT');
      const fut = await connect('linear', 'tickers.BTC-27DEC26');
      const inv = await connect('inverse', 'tickers.BTCUSD');
      const opt = await connect('option', 'tickers.BTC-27DEC26-30000-C');
      const spot = await connect('spot', 'tickers.BTCUSDT');
      const p = await perp.next(topicIs('tickers.BTCUSDT'));
      assertDocShape(p, DOC_TICKER_PERP);
      assert.deepEqual(Object.keys(p.data), Object.keys(DOC_TICKER_PERP.data));
      assert.ok(Number(p.data.nextFundingTime) > Date.now());
      assert.ok(Math.abs(Number(p.data.fundingRate)) <= Number(p.data.fundingCap));
      const f = await fut.next(topicIs('tickers.BTC-27DEC26'));
      assertDocShape(f, DOC_TICKER_FUTURES);
      assert.deepEqual(Object.keys(f.data), Object.keys(DOC_TICKER_FUTURES.data));
      assert.deepEqual([f.data.deliveryTime, f.data.fundingRate, f.data.nextFundingTime], ['2026-12-27T08:00:00Z', '', '']);
      assert.deepEqual(Object.keys((await inv.next(topicIs('tickers.BTCUSD'))).data), Object.keys(DOC_TICKER_PERP.data));
      const o = await opt.next(topicIs('tickers.BTC-27DEC26-30000-C'));
      assertDocShape(o, DOC_TICKER_OPTION);
      assert.deepEqual(Object.keys(o), Object.keys(DOC_TICKER_OPTION));
      assert.ok(Number(o.data.delta) > 0 && Number(o.data.delta) < 1, o.data.delta);
      assert.ok(Number(o.data.gamma) > 0 && Number(o.data.vega) > 0 && Number(o.data.theta) < 0);
      assert.ok(Number(o.data.markPriceIv) > 0 && Number(o.data.bidIv) < Number(o.data.askIv));
      const s = await spot.next(topicIs('tickers.BTCUSDT'));
      assertDocShape(s, DOC_TICKER_SPOT);
      assert.deepEqual(Object.keys(s), Object.keys(DOC_TICKER_SPOT));
      // option greeks move with time: the route returns the ticker last sent, not a fresh one
      assert.deepEqual((await httpJson(sim.port, '/control/ticker?category=option&symbol=BTC-27DEC26-30000-C')).body.ticker, o.data);
    });

    it('linear deltas carry only changed fields; merged over 50 deltas they equal the simulator ticker', async () => {
      const topic = 'tickers.ETHUSDT';
      const c = await connect('linear', topic);
      const merged: Record<string, string> = { ...(await c.next(topicIs(topic))).data };
      let deltas = 0;
      for (let i = 0; i < 200 && deltas < 50; i++) {
        sim.step();
        await flush(c);
        for (const f of c.drain(topicIs(topic))) {
          assert.equal(f.type, 'delta');
          assert.ok(Object.keys(f.data).length < Object.keys(merged).length, 'a delta is not the whole ticker');
          for (const [k, v] of Object.entries(f.data)) assert.notEqual(merged[k] === v && k !== 'symbol', true, `${k} sent unchanged`);
          Object.assign(merged, f.data);
          deltas++;
        }
      }
      assert.equal(deltas, 50);
      const { body } = await httpJson(sim.port, `/control/ticker?category=linear&symbol=ETHUSDT`);
      assert.deepEqual(merged, body.ticker);
      assert.deepEqual(sim.ticker('linear', 'ETHUSDT'), body.ticker);
    });

    it('a second subscriber starts from the same state; with snapshots skipped the first message is a delta', async () => {
      const topic = 'tickers.BTCUSDZ26';
      const a = await connect('inverse', topic);
      const snapA = (await a.next(topicIs(topic))).data;
      assert.equal((await httpJson(sim.port, '/control/ticker-no-snapshot', { n: 1 })).status, 200);
      const b = await connect('inverse', topic);
      sim.step();
      const firstB = await b.next(topicIs(topic));
      assert.equal(firstB.type, 'delta');
      const c = await connect('inverse', topic);
      const snapC = await c.next(topicIs(topic));
      assert.equal(snapC.type, 'snapshot');
      const merged = { ...snapA, ...(await a.next(topicIs(topic))).data };
      assert.deepEqual(snapC.data, merged);
    });
  });

  describe('GET /v5/market/instruments-info (market/instrument.mdx)', () => {
    it('answers each category in the documented shape with the simulator symbols', async () => {
      const linear = await httpJson(sim.port, '/v5/market/instruments-info?category=linear');
      assertDocShape(linear.body, DOC_INSTRUMENT_LINEAR);
      const symbols = linear.body.result.list.map((i: Frame) => i.symbol);
      for (const s of ['BTCUSDT', 'ETHUSDT', 'BTCPERP', 'BTCUSDT-26MAR27', 'BTC-27DEC26']) assert.ok(symbols.includes(s), s);
      const fut = linear.body.result.list.find((i: Frame) => i.symbol === 'BTCUSDT-26MAR27');
      assert.deepEqual([fut.contractType, fut.deliveryTime], ['LinearFutures', String(Date.UTC(2027, 2, 26, 8))]);
      const inverse = await httpJson(sim.port, '/v5/market/instruments-info?category=inverse&symbol=BTCUSDZ26');
      assert.deepEqual(inverse.body.result.list.map((i: Frame) => [i.symbol, i.contractType, i.settleCoin]), [['BTCUSDZ26', 'InverseFutures', 'BTC']]);
      const option = await httpJson(sim.port, '/v5/market/instruments-info?category=option');
      assertDocShape(option.body, DOC_INSTRUMENT_OPTION);
      assert.ok(option.body.result.list.every((i: Frame) => i.baseCoin === 'BTC'), 'option lists BTC by default');
      const eth = await httpJson(sim.port, '/v5/market/instruments-info?category=option&baseCoin=ETH');
      assert.ok(eth.body.result.list.length > 0 && eth.body.result.list.every((i: Frame) => i.symbol.startsWith('ETH-')));
      const spot = await httpJson(sim.port, '/v5/market/instruments-info?category=spot&symbol=BTCUSDT');
      assertDocShape(spot.body, DOC_INSTRUMENT_SPOT);
      assert.equal(spot.body.result.list[0].priceFilter.tickSize, '0.01');
      const bad = await httpJson(sim.port, '/v5/market/instruments-info?category=futures');
      assert.deepEqual([bad.body.retCode, bad.body.retMsg], [10001, 'Request parameter error']);
    });
  });
});
