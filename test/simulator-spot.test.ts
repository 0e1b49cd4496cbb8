import assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../src/simulator';
import { sign } from '../src/simulator/auth';
import { FrameClient, type Frame } from '../src/simulator/test-client';

const KEY = 'spot-key';
const SECRET = 'spot-secret';
const auth = (expires: number | string = Date.now() + 10_000, secret = SECRET): Frame => ({ op: 'auth', args: [KEY, expires, sign(secret, expires)] });

describe('simulator: spot v3', () => {
  let sim: Simulator;
  let client: FrameClient;
  const v3Reply = (op: string, reqId?: string) => (f: Frame) => f.op === op && 'success' in f && (reqId === undefined || f.req_id === reqId);

  beforeEach(async () => {
    sim = await startSimulator({ tickMs: 0, seed: 3, credentials: [{ key: KEY, secret: SECRET }] });
  });
  afterEach(async () => {
    await client?.close();
    await sim.close();
  });

  describe('public', () => {
    beforeEach(async () => {
      client = await FrameClient.connect(sim.url('/spot/public/v3'));
    });

    it('answers ping with the v3 pong', async () => {
      const r = await client.request({ req_id: '100001', op: 'ping' }, (f) => f.op === 'pong');
      assert.deepEqual(Object.keys(r), ['op', 'args', 'req_id', 'conn_id']);
      assert.equal(typeof r.args[0], 'number');
      assert.equal(r.req_id, '100001');
    });

    it('subscribes with the v3 reply envelope and enforces the same rules', async () => {
      const ok = await client.request({ req_id: '10001', op: 'subscribe', args: ['trade.BTCUSDT', 'trade.ETHUSDT'] }, v3Reply('subscribe'));
      assert.deepEqual(ok, { op: 'subscribe', success: true, req_id: '10001', ret_msg: 'subscribe', conn_id: ok.conn_id });
      const all = ['orderbook.40.BTCUSDT', 'bookticker.BTCUSDT', 'tickers.BTCUSDT', ...Object.keys({ '1m': 0, '1h': 0, '1d': 0, '1w': 0, '1M': 0 }).map((i) => `kline.${i}.BTCUSDT`)];
      assert.equal((await client.request({ op: 'subscribe', args: all }, v3Reply('subscribe'))).success, true);
      const bad = await client.request({ op: 'subscribe', args: ['orderbook.50.BTCUSDT'] }, v3Reply('subscribe'));
      assert.equal(bad.ret_msg, 'error:handler not found,topic:orderbook.50.BTCUSDT');
      const many = await client.request({ op: 'subscribe', args: Array.from({ length: 11 }, (_, i) => `trade.S${i}USDT`) }, v3Reply('subscribe'));
      assert.equal(many.ret_msg, 'args size >10');
      const un = await client.request({ op: 'unsubscribe', args: ['trade.ETHUSDT'] }, v3Reply('unsubscribe'));
      assert.equal(un.success, true);
      assert.equal(sim.subscriptions('/spot/public/v3').includes('trade.ETHUSDT'), false);
    });

    it('pushes v3 snapshots: orderbook.40, trade, kline, tickers, bookticker', async () => {
      const topics = ['orderbook.40.BTCUSDT', 'trade.BTCUSDT', 'kline.1h.BTCUSDT', 'tickers.BTCUSDT', 'bookticker.BTCUSDT'];
      await client.request({ op: 'subscribe', args: topics }, v3Reply('subscribe'));
      sim.step();
      const book = await client.next((f) => f.topic === 'orderbook.40.BTCUSDT');
      assert.equal(book.type, 'snapshot');
      assert.deepEqual(Object.keys(book.data), ['s', 't', 'b', 'a']);
      assert.equal(book.data.b.length, 40);
      assert.ok(Number(book.data.b[0][0]) < Number(book.data.a[0][0]));
      const trade = await client.next((f) => f.topic === 'trade.BTCUSDT');
      assert.deepEqual(Object.keys(trade.data), ['v', 't', 'p', 'q', 'm']);
      assert.equal(typeof trade.data.m, 'boolean');
      const kline = await client.next((f) => f.topic === 'kline.1h.BTCUSDT');
      assert.deepEqual(Object.keys(kline.data), ['t', 's', 'c', 'h', 'l', 'o', 'v']);
      assert.equal(kline.data.t % 3_600_000, 0);
      const ticker = await client.next((f) => f.topic === 'tickers.BTCUSDT');
      assert.deepEqual(Object.keys(ticker.data), ['t', 's', 'c', 'h', 'l', 'o', 'v', 'qv', 'm', 'xp']);
      const bt = await client.next((f) => f.topic === 'bookticker.BTCUSDT');
      assert.deepEqual(Object.keys(bt.data), ['s', 'bp', 'bq', 'ap', 'aq', 't']);
      assert.deepEqual([bt.data.bp, bt.data.ap], [sim.book('BTCUSDT', 1).bids[0][0], sim.book('BTCUSDT', 1).asks[0][0]]);
    });
  });

  describe('private', () => {
    beforeEach(async () => {
      client = await FrameClient.connect(sim.url('/spot/private/v3'));
    });

    it('authenticates, refuses subscribe before auth, and pushes v3 private shapes', async () => {
      const early = await client.request({ op: 'subscribe', args: ['order'] }, v3Reply('subscribe'));
      assert.equal(early.success, false);
      assert.equal((await client.request(auth(Date.now() - 5), (f) => f.op === 'auth')).ret_msg, 'error:request expired');
      const a = await client.request(auth(), (f) => f.op === 'auth');
      assert.deepEqual(a, { success: true, ret_msg: '', op: 'auth', conn_id: a.conn_id });
      const sub = await client.request({ op: 'subscribe', args: ['outboundAccountInfo', 'order', 'stopOrder', 'ticketInfo'] }, v3Reply('subscribe'));
      assert.equal(sub.success, true);

      sim.injectBalance({ coin: 'USDT', walletBalance: '201.575', locked: '24.76245826' });
      const acc = await client.next((f) => f.topic === 'outboundAccountInfo');
      assert.equal(acc.type, 'snapshot');
      assert.equal(typeof acc.ts, 'string');
      assert.deepEqual(acc.data[0].B, [{ a: 'USDT', f: '176.81254174', l: '24.76245826' }]);
      assert.equal(acc.data[0].e, 'outboundAccountInfo');

      const id = sim.orderLifecycle({ symbol: 'BTCUSDT', side: 'Buy', price: '20000', qty: '0.002', fills: 2, orderLinkId: 'spotx008' });
      const statuses: string[] = [];
      const tickets: Frame[] = [];
      while (statuses.length < 3 || tickets.length < 2) {
        const f = await client.next((x) => x.topic === 'order' || x.topic === 'ticketInfo');
        if (f.topic === 'order') {
          const o = f.data[0];
          assert.equal(o.i, id);
          assert.equal(o.c, 'spotx008');
          assert.equal(o.S, 'BUY');
          assert.equal(o.o, 'LIMIT');
          statuses.push(o.X);
          if (o.X === 'FILLED') assert.deepEqual([o.z, o.Z, o.N], ['0.002', '40', 'BTC']);
        } else tickets.push(f.data[0]);
      }
      assert.deepEqual(statuses, ['NEW', 'PARTIALLY_FILLED', 'FILLED']);
      assert.deepEqual(tickets.map((t) => [t.e, t.o, t.q, t.p, t.S]), [
        ['ticketInfo', id, '0.001', '20000', 'BUY'],
        ['ticketInfo', id, '0.001', '20000', 'BUY'],
      ]);
      const c = sim.placeOrder({ symbol: 'ETHUSDT', side: 'Sell', price: '2000', qty: '1' });
      sim.cancelOrder(c);
      await client.next((f) => f.topic === 'order' && f.data[0].X === 'NEW');
      assert.equal((await client.next((f) => f.topic === 'order')).data[0].X, 'CANCELED');
    });
  });
});

describe('simulator: spot v1', () => {
  let sim: Simulator;
  let client: FrameClient;

  beforeEach(async () => {
    sim = await startSimulator({ tickMs: 0, seed: 5, credentials: [{ key: KEY, secret: SECRET }] });
  });
  afterEach(async () => {
    await client?.close();
    await sim.close();
  });

  describe('public quotes', () => {
    beforeEach(async () => {
      client = await FrameClient.connect(sim.url('/spot/quote/ws/v1'));
    });

    it('answers {ping} with {pong}', async () => {
      const r = await client.request({ ping: 1535975085052 }, (f) => 'pong' in f);
      assert.deepEqual(Object.keys(r), ['pong']);
      assert.equal(typeof r.pong, 'number');
    });

    it('subscribes several symbols with one reply per symbol, then sends the last 60 trades', async () => {
      const sub = sim.waitFor('subscribe');
      client.send({ symbol: 'BTCUSDT,ETHUSDT', topic: 'trade', event: 'sub', params: { binary: false } });
      const r1 = await client.next((f) => f.code !== undefined);
      const r2 = await client.next((f) => f.code !== undefined);
      assert.deepEqual(r1, { topic: 'trade', event: 'sub', symbol: 'BTCUSDT', params: { binary: 'false' }, code: '0', msg: 'Success' });
      assert.equal(r2.symbol, 'ETHUSDT');
      assert.deepEqual((await sub).topics, ['trade.BTCUSDT', 'trade.ETHUSDT']);
      const first = await client.next((f) => f.topic === 'trade' && f.symbol === 'BTCUSDT');
      assert.equal(first.f, true);
      assert.equal(first.data.length, 60);
      assert.deepEqual(first.params, { realtimeInterval: '24h', binary: 'false' });
      assert.deepEqual(Object.keys(first.data[0]), ['v', 't', 'p', 'q', 'm']);
      sim.step();
      const next = await client.next((f) => f.topic === 'trade' && f.symbol === 'BTCUSDT');
      assert.equal(next.f, false);
      assert.ok(next.data.length >= 1);
      assert.equal(typeof next.sendTime, 'number');

      client.send({ symbol: 'ETHUSDT', topic: 'trade', event: 'cancel', params: { binary: false } });
      const c = await client.next((f) => f.event === 'cancel');
      assert.equal(c.code, '0');
      assert.deepEqual(sim.subscriptions(), ['trade.BTCUSDT']);
    });

    it('reports errors with a non-zero code and desc', async () => {
      client.send({ symbol: 'BTCUSDT', topic: 'mergedDepth', event: 'sub', params: { binary: false } });
      const bad = await client.next((f) => f.code !== undefined);
      assert.equal(bad.code, '-100011');
      assert.equal(typeof bad.desc, 'string');
      client.send({ symbol: 'BTCUSDT,btc', topic: 'realtimes', event: 'sub', params: { binary: false } });
      const ok = await client.next((f) => f.code !== undefined);
      const sym = await client.next((f) => f.code !== undefined);
      assert.equal(ok.code, '0');
      assert.deepEqual([sym.symbol, sym.code, sym.desc], ['btc', '-100010', 'Invalid Symbols']);
      client.send('not json');
      assert.equal((await client.next((f) => f.code !== undefined)).code, '-10000');
      assert.deepEqual(sim.subscriptions(), ['realtimes.BTCUSDT']);
    });

    it('pushes realtimes, kline (topic "kline" with klineType) and full depth snapshots', async () => {
      for (const topic of ['realtimes', 'kline_15m', 'depth']) {
        client.send({ symbol: 'BTCUSDT', topic, event: 'sub', params: { binary: false } });
        await client.next((f) => f.topic === topic && f.code === '0');
      }
      const rt = await client.next((f) => f.topic === 'realtimes');
      assert.equal(rt.f, true);
      assert.deepEqual(Object.keys(rt.data[0]), ['t', 's', 'sn', 'c', 'h', 'l', 'o', 'v', 'qv', 'm', 'e', 'xp']);
      const k = await client.next((f) => f.topic === 'kline');
      assert.equal(k.params.klineType, '15m');
      assert.deepEqual(Object.keys(k.data[0]), ['t', 's', 'sn', 'c', 'h', 'l', 'o', 'v']);
      const d = await client.next((f) => f.topic === 'depth');
      assert.equal(d.data[0].b.length, 200);
      assert.equal(d.data[0].a.length, 200);
      assert.match(d.data[0].v, /^\d+_\d+$/);
      sim.step();
      const d2 = await client.next((f) => f.topic === 'depth');
      assert.equal(d2.f, false);
      const want = sim.book('BTCUSDT', 200);
      assert.deepEqual([d2.data[0].b, d2.data[0].a], [want.bids, want.asks]);
      assert.equal((await client.next((f) => f.topic === 'kline')).f, false);
    });

    it('serves bookTicker on v2, one symbol per request', async () => {
      const v2 = await FrameClient.connect(sim.url('/spot/quote/ws/v2'));
      try {
        const r = await v2.request({ topic: 'bookTicker', event: 'sub', params: { symbol: 'BTCUSDT', binary: false } }, (f) => f.code !== undefined);
        assert.deepEqual(r, { topic: 'bookTicker', event: 'sub', params: { symbol: 'BTCUSDT', binary: 'false' }, code: '0', msg: 'Success' });
        const bt = await v2.next((f) => f.topic === 'bookTicker' && f.data);
        assert.deepEqual(bt.params, { symbol: 'BTCUSDT', binary: 'false', symbolName: 'BTCUSDT' });
        assert.deepEqual(Object.keys(bt.data), ['symbol', 'bidPrice', 'bidQty', 'askPrice', 'askQty', 'time']);
        assert.ok(Number(bt.data.bidPrice) < Number(bt.data.askPrice));
        const two = await v2.request({ topic: 'bookTicker', event: 'sub', params: { symbol: 'BTCUSDT,ETHUSDT', binary: false } }, (f) => f.code !== undefined);
        assert.notEqual(two.code, '0');
      } finally {
        await v2.close();
      }
    });
  });

  describe('private', () => {
    beforeEach(async () => {
      client = await FrameClient.connect(sim.url('/spot/ws'));
    });

    it('fails a bad auth, then authenticates; executionReport comes as a bare object, the other events as arrays', async () => {
      assert.deepEqual(await client.request(auth(undefined, 'wrong'), (f) => 'auth' in f), { auth: 'fail' });
      const sub = sim.waitFor('subscribe');
      const ok = await client.request(auth(), (f) => 'auth' in f);
      assert.equal(ok.auth, 'success');
      assert.match(ok.userId, /^\d+$/);
      assert.deepEqual((await sub).topics, ['outboundAccountInfo', 'executionReport', 'stop_executionReport', 'ticketInfo']);
      assert.deepEqual(await client.request({ ping: 1 }, (f) => 'pong' in f).then((f) => Object.keys(f)), ['pong']);

      sim.injectBalance({ coin: 'BTC', walletBalance: '1', locked: '0.25' });
      const acc = await client.next(Array.isArray);
      assert.deepEqual(acc, [{ e: 'outboundAccountInfo', E: acc[0].E, T: true, W: true, D: true, B: [{ a: 'BTC', f: '0.75', l: '0.25' }] }]);
      const id = sim.orderLifecycle({ symbol: 'BTCUSDT', side: 'Sell', price: '30000', qty: '0.5', fills: 1 });
      // _websockets.md (v1) prints executionReport as a bare object, ticketInfo as an array.
      const event = (f: Frame): boolean => Array.isArray(f) || (typeof f === 'object' && f.e === 'executionReport');
      const frames = [await client.next(event), await client.next(event), await client.next(event)];
      assert.deepEqual(frames.map(Array.isArray), [false, true, false]);
      const events = frames.map((f) => (Array.isArray(f) ? f[0] : f));
      assert.deepEqual(events.map((e) => e.e), ['executionReport', 'ticketInfo', 'executionReport']);
      assert.deepEqual(events.map((e) => e.X ?? e.T !== undefined), ['NEW', true, 'FILLED']);
      assert.equal(events[2].i, id);
      assert.deepEqual([events[2].S, events[2].z, events[2].Z, events[2].N, events[2].n], ['SELL', '0.5', '15000', 'USDT', '15']);
    });

    it('answers auth fail while auth rejection is on', async () => {
      sim.setAuthRejection(true);
      assert.deepEqual(await client.request(auth(), (f) => 'auth' in f), { auth: 'fail' });
    });
  });
});

describe('simulator: one market model behind every dialect', () => {
  it('serves the same depth-200 book to V5 and v1 and the same trades to V5, v3 and v1', async () => {
    const sim = await startSimulator({ tickMs: 0, seed: 9 });
    const v5 = await FrameClient.connect(sim.url('/v5/public/spot'));
    const v3 = await FrameClient.connect(sim.url('/spot/public/v3'));
    const v1 = await FrameClient.connect(sim.url('/spot/quote/ws/v1'));
    try {
      await v5.request({ op: 'subscribe', args: ['orderbook.200.BTCUSDT', 'publicTrade.BTCUSDT'] }, (f) => f.op === 'subscribe');
      await v3.request({ op: 'subscribe', args: ['trade.BTCUSDT'] }, (f) => f.op === 'subscribe');
      for (const topic of ['depth', 'trade']) {
        v1.send({ symbol: 'BTCUSDT', topic, event: 'sub', params: { binary: false } });
        await v1.next((f) => f.topic === topic && f.f === true);
      }
      const u0 = sim.book('BTCUSDT', 200).u;
      sim.step();
      const delta = await v5.next((f) => f.topic === 'orderbook.200.BTCUSDT' && f.type === 'delta');
      assert.equal(delta.data.u, u0 + 1, 'the shared book stepped once, not once per dialect');
      const depth = await v1.next((f) => f.topic === 'depth' && f.data);
      assert.deepEqual(depth.data[0].b, sim.book('BTCUSDT', 200).bids);
      const t5 = await v5.next((f) => f.topic === 'publicTrade.BTCUSDT');
      const t1 = await v1.next((f) => f.topic === 'trade' && f.data);
      const t3 = await Promise.all(t5.data.map(() => v3.next((f) => f.topic === 'trade.BTCUSDT')));
      assert.deepEqual(t1.data.map((t: Frame) => t.p), t5.data.map((t: Frame) => t.p));
      assert.deepEqual(t3.map((f) => f.data.p), t5.data.map((t: Frame) => t.p));
      assert.deepEqual(t3.map((f) => f.data.m), t5.data.map((t: Frame) => t.S === 'Buy'));
    } finally {
      await Promise.all([v5.close(), v3.close(), v1.close()]);
      await sim.close();
    }
  });
});
