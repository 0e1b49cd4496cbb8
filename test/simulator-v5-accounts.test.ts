import assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../src/simulator';
import { sign } from '../src/simulator/auth';
import { FrameClient, httpJson, type Frame } from '../src/simulator/test-client';
import {
  DOC_AUTH_OK, DOC_EXECUTION, DOC_ORDER, DOC_PONG_PRIVATE, DOC_POSITION, DOC_SUB_PRIVATE, DOC_V1_ACCOUNT, DOC_V1_EXECUTION_REPORT,
  DOC_V1_STOP_EXECUTION_REPORT, DOC_V3_ORDER, DOC_V3_STOP_ORDER, DOC_WALLET, assertDocShape,
} from './simulator-docs';

const PRIVATE = '/v5/private';
const KEY = 'acct-key';
const SECRET = 'acct-secret';

const authFrame = (expires = Date.now() + 10_000): Frame => ({ op: 'auth', args: [KEY, expires, sign(SECRET, expires)] });
const reply = (op: string) => (f: Frame): boolean => f.op === op && 'success' in f;
const topicIs = (topic: string) => (f: Frame): boolean => f.topic === topic;

/** Fields order.mdx's table lists that its stream example leaves out. */
const ORDER_TABLE_ONLY = ['isLeverage', 'marketUnit', 'parentOrderLinkId', 'ocoTriggerBy', 'slippageToleranceType', 'slippageTolerance', 'brokerOrderPrice', 'createType'];
/** position.mdx's table: openTime (integer), and greeks on option positions. */
const POSITION_TABLE_ONLY = ['openTime', 'delta', 'gamma', 'vega', 'theta'];

describe('simulator: V5 accounts across categories', () => {
  let sim: Simulator;
  const clients: FrameClient[] = [];

  beforeEach(async () => {
    sim = await startSimulator({ tickMs: 0, seed: 5, credentials: [{ key: KEY, secret: SECRET }] });
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) await c.close();
    await sim.close();
  });

  async function privateClient(...topics: string[][]): Promise<FrameClient> {
    const c = await FrameClient.connect(sim.url(PRIVATE));
    clients.push(c);
    assert.equal((await c.request(authFrame(), reply('auth'))).success, true);
    for (const args of topics) {
      const r = await c.request({ op: 'subscribe', args }, reply('subscribe'));
      assert.equal(r.success, true, r.ret_msg);
    }
    return c;
  }

  describe('replies (wss-authentication.mdx)', () => {
    it('auth, subscribe and pong replies carry exactly the documented fields', async () => {
      const c = await FrameClient.connect(sim.url(PRIVATE));
      clients.push(c);
      const auth = await c.request({ ...authFrame(), req_id: '10001' }, reply('auth'));
      assertDocShape(auth, DOC_AUTH_OK);
      const sub = await c.request({ req_id: 'test', op: 'subscribe', args: ['order'] }, reply('subscribe'));
      assertDocShape(sub, DOC_SUB_PRIVATE);
      assert.deepEqual(Object.keys(sub), Object.keys(DOC_SUB_PRIVATE));
      const pong = await c.request({ req_id: 'test', op: 'ping' }, (f) => f.op === 'pong');
      assertDocShape(pong, DOC_PONG_PRIVATE);
      assert.deepEqual(Object.keys(pong), Object.keys(DOC_PONG_PRIVATE));
    });

    it('echoes req_id on private replies only when the wire option asks for it', async () => {
      sim.setWire({ echoPrivateReqId: true });
      const c = await FrameClient.connect(sim.url(PRIVATE));
      clients.push(c);
      assert.equal((await c.request({ ...authFrame(), req_id: 'a' }, reply('auth'))).req_id, 'a');
      assert.equal((await c.request({ req_id: 's', op: 'subscribe', args: ['wallet'] }, reply('subscribe'))).req_id, 's');
    });

    it('the private pong carries the server clock, which can run ahead of the machine', async () => {
      const c = await FrameClient.connect(sim.url(PRIVATE));
      clients.push(c);
      const before = Date.now();
      const plain = await c.request({ op: 'ping' }, (f) => f.op === 'pong');
      assert.ok(Math.abs(Number(plain.args[0]) - before) < 2000);
      const set = await httpJson(sim.port, '/control/clock', { offsetMs: 30_000 });
      assert.equal(set.status, 200);
      const ahead = await c.request({ op: 'ping' }, (f) => f.op === 'pong');
      assert.ok(Number(ahead.args[0]) - Date.now() > 25_000, 'server time ~30 s ahead');
      // expires = machine now + 10 s is already past on a server 30 s ahead
      const expired = await c.request(authFrame(Date.now() + 10_000), reply('auth'));
      assert.deepEqual([expired.success, expired.ret_msg], [false, 'error:request expired']);
      assert.equal((await c.request(authFrame(Number(ahead.args[0]) + 10_000), reply('auth'))).success, true);
    });
  });

  describe('categorised and all-in-one topics (order.mdx, execution.mdx, position.mdx)', () => {
    it('refuses all-in-one and categorised topics in one request but accepts them in two', async () => {
      const c = await privateClient();
      const mixed = await c.request({ op: 'subscribe', args: ['order', 'execution.spot'] }, reply('subscribe'));
      assert.equal(mixed.success, false);
      assert.match(mixed.ret_msg, /all-in-one and categorised/);
      assert.deepEqual(sim.subscriptions(PRIVATE), []);
      assert.equal((await c.request({ op: 'subscribe', args: ['order.spot', 'execution.spot', 'position.linear'] }, reply('subscribe'))).success, true);
      assert.equal((await c.request({ op: 'subscribe', args: ['order', 'wallet'] }, reply('subscribe'))).success, true);
      assert.deepEqual(sim.subscriptions(PRIVATE), ['execution.spot', 'order', 'order.spot', 'position.linear', 'wallet']);
    });

    it('a linear order reaches order and order.linear but never order.spot, each push under its own topic', async () => {
      const all = await privateClient(['order', 'execution']);
      const spot = await privateClient(['order.spot', 'execution.spot']);
      const linear = await privateClient(['order.linear', 'execution.linear']);
      const lin = sim.placeOrder({ category: 'linear', symbol: 'BTCUSDT', side: 'Buy', type: 'Limit', price: '30000', qty: '0.5' });
      sim.fillOrder(lin);
      const sp = sim.placeOrder({ symbol: 'BTCUSDT', side: 'Sell', price: '30000', qty: '0.1' });

      const allOrders = [await all.next(topicIs('order')), await all.next(topicIs('order')), await all.next(topicIs('order'))];
      assert.deepEqual(allOrders.map((f) => [f.data[0].category, f.data[0].orderStatus]), [['linear', 'New'], ['linear', 'Filled'], ['spot', 'New']]);
      assert.equal((await all.next(topicIs('execution'))).data[0].category, 'linear');

      const linOrders = [await linear.next(topicIs('order.linear')), await linear.next(topicIs('order.linear'))];
      assert.deepEqual(linOrders.map((f) => f.data[0].orderId), [lin, lin]);
      assert.equal((await linear.next(topicIs('execution.linear'))).data[0].execQty, '0.5');

      const spotOrder = await spot.next(topicIs('order.spot'));
      assert.deepEqual([spotOrder.data[0].orderId, spotOrder.data[0].category], [sp, 'spot']);
      await spot.request({ op: 'ping', req_id: 'z' }, (f) => f.op === 'pong');
      assert.equal(spot.received.filter((f) => f.data?.[0]?.category === 'linear').length, 0);
    });

    it('can push categorised subscriptions under the all-in-one topic name', async () => {
      await httpJson(sim.port, '/control/wire', { categorisedPushTopic: 'all-in-one' });
      const c = await privateClient(['order.spot']);
      sim.placeOrder({ symbol: 'ETHUSDT', side: 'Buy', price: '2000', qty: '1' });
      assert.equal((await c.next((f) => typeof f.topic === 'string')).topic, 'order');
    });
  });

  describe('documented items', () => {
    it('order and execution items carry every field of the documented examples, with their types', async () => {
      const c = await privateClient(['order', 'execution']);
      const id = sim.placeOrder({ category: 'linear', symbol: 'BTCUSDT', side: 'Sell', type: 'Market', qty: '0.5' });
      sim.fillOrder(id);
      const created = await c.next(topicIs('order'));
      assertDocShape(created, DOC_ORDER, ORDER_TABLE_ONLY);
      const exec = await c.next(topicIs('execution'));
      // extraFees: the table says "In other cases, an empty string is returned"; the example shows an Indian user's list.
      const { extraFees: _list, ...documented } = DOC_EXECUTION.data[0];
      assertDocShape(exec, { ...DOC_EXECUTION, data: [documented] }, ['extraFees']);
      assert.equal(exec.data[0].extraFees, '');
      assert.deepEqual(Object.keys(exec), ['topic', 'id', 'creationTime', 'data']);
      const e = exec.data[0];
      assert.deepEqual([e.category, e.execType, e.orderType, e.execQty, e.feeRate, e.stopOrderType, e.createType], ['linear', 'Trade', 'Market', '0.5', '0.00055', 'UNKNOWN', 'CreateByUser']);
      assert.equal(Number(e.execValue), Number(e.execPrice) * 0.5);
      assert.ok(Math.abs(Number(e.execFee) - Number(e.execValue) * 0.00055) < 1e-8);
      assert.equal(typeof e.seq, 'number');
      const filled = await c.next(topicIs('order'));
      const o = filled.data[0];
      assert.deepEqual([o.orderStatus, o.leavesQty, o.cumExecQty, o.rejectReason, o.cancelType, o.stopOrderType, o.triggerPrice, o.marketUnit], ['Filled', '0', '0.5', 'EC_NoError', 'UNKNOWN', '', '', '']);
      assert.deepEqual(o.cumFeeDetail, { USDT: e.execFee });
      assert.equal(o.cumExecFee, e.execFee);
    });

    it('a spot market buy by value: qty in the quote coin, cumExecQty in the base coin, marketUnit quoteCoin', async () => {
      const c = await privateClient(['order.spot']);
      const id = sim.placeOrder({ symbol: 'BTCUSDT', side: 'Buy', type: 'Market', qty: '300', marketUnit: 'quoteCoin' });
      sim.fillOrder(id);
      await c.next(topicIs('order.spot'));
      const o = (await c.next(topicIs('order.spot'))).data[0];
      assert.deepEqual([o.marketUnit, o.qty, o.orderStatus], ['quoteCoin', '300', 'Filled']);
      assert.ok(Math.abs(Number(o.cumExecValue) - 300) < 0.01, o.cumExecValue);
      assert.ok(Math.abs(Number(o.cumExecQty) - 300 / Number(o.avgPrice)) < 1e-6, o.cumExecQty);
    });

    it('inverse fills are valued and charged in the coin; a maker fill pays the maker rate', async () => {
      const c = await privateClient(['execution.inverse', 'position.inverse']);
      const id = sim.placeOrder({ category: 'inverse', symbol: 'BTCUSD', side: 'Buy', price: '25000', qty: '100' });
      const filled = await httpJson(sim.port, '/control/fill', { orderId: id, isMaker: true });
      assert.equal(filled.status, 200, JSON.stringify(filled.body));
      const e = (await c.next(topicIs('execution.inverse'))).data[0];
      // 100 USD contracts at 25000: 0.004 BTC, maker fee 0.02 %
      assert.deepEqual([e.execValue, e.execFee, e.feeRate, e.feeCurrency, e.isMaker], ['0.004', '0.0000008', '0.0002', 'BTC', true]);
      await c.next(topicIs('position.inverse'));
      const p = (await c.next(topicIs('position.inverse'))).data[0];
      assert.deepEqual([p.side, p.size, p.entryPrice, p.positionValue, p.curRealisedPnl], ['Buy', '100', '25000', '0.004', '-0.0000008']);
    });

    it('rejected and cancelled orders say why (rejectReason, cancelType)', async () => {
      const c = await privateClient(['order']);
      const placed = await httpJson(sim.port, '/control/order', { category: 'inverse', symbol: 'BTCUSD', side: 'Buy', price: '30000', qty: '100', rejectReason: 'EC_PostOnlyWillTakeLiquidity' });
      assert.equal(placed.status, 200, JSON.stringify(placed.body));
      const rejected = (await c.next(topicIs('order'))).data[0];
      assert.deepEqual([rejected.orderStatus, rejected.rejectReason, rejected.category], ['Rejected', 'EC_PostOnlyWillTakeLiquidity', 'inverse']);
      const b = sim.placeOrder({ category: 'inverse', symbol: 'BTCUSD', side: 'Buy', price: '29000', qty: '100' });
      await httpJson(sim.port, '/control/cancel', { orderId: b, cancelType: 'CancelByReduceOnly' });
      await c.next(topicIs('order'));
      const cancelled = (await c.next(topicIs('order'))).data[0];
      assert.deepEqual([cancelled.orderStatus, cancelled.cancelType, cancelled.leavesQty], ['Cancelled', 'CancelByReduceOnly', '0']);
    });

    it('wallet items carry every documented field; walletBalance includes spotBorrow and equity excludes it', async () => {
      const c = await privateClient(['wallet']);
      const r = await httpJson(sim.port, '/control/balance', { coin: 'USDT', walletBalance: '1500', spotBorrow: '500', locked: '100' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const w = await c.next(topicIs('wallet'));
      assertDocShape(w, DOC_WALLET);
      const coin = w.data[0].coin[0];
      assert.deepEqual([coin.walletBalance, coin.spotBorrow, coin.borrowAmount, coin.equity, coin.usdValue, coin.locked], ['1500', '500', '500', '1000', '1000', '100']);
      assert.equal(w.data[0].totalEquity, '1000');
      const rows = (await httpJson(sim.port, '/control/balances')).body.balances;
      assert.deepEqual(rows, [{ coin: 'USDT', walletBalance: '1500', locked: '100', spotBorrow: '500', equity: '1000', usdValue: '1000' }]);
    });

    it('keeps long decimal balances exact (v1 outboundAccountInfo example value)', async () => {
      const c = await privateClient(['wallet']);
      const v1 = await FrameClient.connect(sim.url('/spot/ws'));
      clients.push(v1);
      await v1.request({ op: 'auth', args: [KEY, Date.now() + 10_000, sign(SECRET, Date.now() + 10_000)] }, (f) => 'auth' in f);
      sim.injectBalance({ coin: 'BTC', walletBalance: '10000000097.1982823144' });
      assert.equal((await c.next(topicIs('wallet'))).data[0].coin[0].walletBalance, '10000000097.1982823144');
      const acc = await v1.next(Array.isArray);
      assertDocShape(acc, DOC_V1_ACCOUNT);
      assert.equal(acc[0].B[0].f, DOC_V1_ACCOUNT[0].B[0].f);
    });
  });

  describe('positions (position.mdx)', () => {
    it('open, change and close through the control routes: three pushes with size, side and PnL', async () => {
      const c = await privateClient(['position']);
      const open = await httpJson(sim.port, '/control/position', { symbol: 'BTCUSDT', side: 'Buy', size: '1', price: '30000', markPrice: '31000' });
      assert.equal(open.status, 200, JSON.stringify(open.body));
      const p1 = await c.next(topicIs('position'));
      assertDocShape(p1, DOC_POSITION, POSITION_TABLE_ONLY);
      assert.deepEqual(p1.data[0], open.body.position);
      const a = p1.data[0];
      assert.deepEqual([a.category, a.symbol, a.side, a.size, a.entryPrice, a.markPrice, a.unrealisedPnl, a.positionValue], ['linear', 'BTCUSDT', 'Buy', '1', '30000', '31000', '1000', '30000']);

      await httpJson(sim.port, '/control/position', { symbol: 'BTCUSDT', side: 'Buy', size: '3', price: '33000' });
      const b = (await c.next(topicIs('position'))).data[0];
      assert.deepEqual([b.side, b.size, b.entryPrice, b.unrealisedPnl, b.curRealisedPnl], ['Buy', '3', '32000', '-3000', '0']);

      await httpJson(sim.port, '/control/position-close', { symbol: 'BTCUSDT', price: '34000' });
      const z = (await c.next(topicIs('position'))).data[0];
      assert.deepEqual([z.side, z.size, z.entryPrice, z.unrealisedPnl, z.positionValue], ['', '0', '0', '0', '0']);
      assert.deepEqual([z.curRealisedPnl, z.cumRealisedPnl], ['6000', '6000']);
      assert.ok(Number(z.seq) > Number(a.seq));
    });

    it('a short inverse position realises PnL in the coin; option positions carry greeks', async () => {
      const c = await privateClient(['position.inverse', 'position.option']);
      sim.setPosition({ category: 'inverse', symbol: 'BTCUSD', side: 'Sell', size: '30000', price: '30000' });
      const open = await c.next(topicIs('position.inverse'));
      assert.deepEqual([open.data[0].side, open.data[0].positionValue], ['Sell', '1']);
      sim.setPosition({ category: 'inverse', symbol: 'BTCUSD', size: '0', price: '25000' });
      const closed = (await c.next(topicIs('position.inverse'))).data[0];
      // 30000 USD short from 30000 to 25000: 30000/25000 - 30000/30000 = 0.2 BTC
      assert.deepEqual([closed.side, closed.cumRealisedPnl], ['', '0.2']);
      sim.setPosition({ category: 'option', symbol: 'BTC-27DEC26-30000-C', side: 'Buy', size: '2', price: '1500' });
      const opt = (await c.next(topicIs('position.option'))).data[0];
      for (const g of ['delta', 'gamma', 'vega', 'theta']) assert.ok(Number.isFinite(Number(opt[g])), `${g}: ${opt[g]}`);
      assert.ok(Number(opt.delta) > 0 && Number(opt.delta) < 2, opt.delta);
    });

    it('fills of derivative orders move the position; creating an order pushes it too', async () => {
      const c = await privateClient(['position', 'execution']);
      const buy = sim.placeOrder({ category: 'linear', symbol: 'ETHUSDT', side: 'Buy', price: '2000', qty: '2' });
      const flat = (await c.next(topicIs('position'))).data[0];
      assert.deepEqual([flat.side, flat.size, flat.seq], ['', '0', -1]);
      sim.fillOrder(buy);
      const long = (await c.next(topicIs('position'))).data[0];
      assert.deepEqual([long.side, long.size, long.entryPrice], ['Buy', '2', '2000']);
      const sell = sim.placeOrder({ category: 'linear', symbol: 'ETHUSDT', side: 'Sell', price: '2100', qty: '1' });
      sim.fillOrder(sell, undefined);
      const execs = [await c.next(topicIs('execution')), await c.next(topicIs('execution'))].map((f) => f.data[0]);
      // closing 1 of a long from 2000 at 2100: 100 profit less the taker fee
      assert.equal(execs[1].closedSize, '1');
      assert.ok(Math.abs(Number(execs[1].execPnl) - (100 - Number(execs[1].execFee))) < 1e-9, execs[1].execPnl);
      await c.next(topicIs('position'));
      const half = (await c.next(topicIs('position'))).data[0];
      assert.deepEqual([half.side, half.size, half.entryPrice], ['Buy', '1', '2000']);
    });

    it('GET /control/position returns the current item; bad input is a 400', async () => {
      sim.setPosition({ symbol: 'SOLUSDT', side: 'Sell', size: '5', price: '100' });
      const got = await httpJson(sim.port, '/control/position?category=linear&symbol=SOLUSDT');
      assert.deepEqual([got.body.position.side, got.body.position.size], ['Sell', '5']);
      assert.equal((await httpJson(sim.port, '/control/position', { category: 'spot', symbol: 'BTCUSDT', side: 'Buy', size: '1' })).status, 400);
      assert.equal((await httpJson(sim.port, '/control/position', { symbol: 'BTCUSDT', side: 'Up', size: '1' })).status, 400);
    });
  });

  describe('conditional orders (spot v3 stopOrder, v1 stop_executionReport)', () => {
    async function legacyClients(): Promise<{ v3: FrameClient; v1: FrameClient }> {
      const v3 = await FrameClient.connect(sim.url('/spot/private/v3'));
      const v1 = await FrameClient.connect(sim.url('/spot/ws'));
      clients.push(v3, v1);
      await v3.request(authFrame(), (f) => f.op === 'auth');
      await v3.request({ op: 'subscribe', args: ['order', 'stopOrder', 'ticketInfo'] }, reply('subscribe'));
      await v1.request(authFrame(), (f) => 'auth' in f);
      return { v3, v1 };
    }
    const v1Event = (e: string) => (f: Frame): boolean => (Array.isArray(f) ? f[0]?.e : f?.e) === e;
    const first = (f: Frame): Frame => (Array.isArray(f) ? f[0] : f);

    it('V5: Untriggered, Triggered, New; v3/v1: stop events with the documented fields, then the order they placed', async () => {
      const v5 = await privateClient(['order.spot']);
      const { v3, v1 } = await legacyClients();
      const placed = await httpJson(sim.port, '/control/order', { symbol: 'BTCUSDT', side: 'Buy', price: '31000', qty: '0.01', triggerPrice: '30500', orderLinkId: 'spot01' });
      const id = placed.body.orderId;
      const u = (await v5.next(topicIs('order.spot'))).data[0];
      assert.deepEqual([u.orderStatus, u.triggerPrice, u.stopOrderType, u.triggerBy], ['Untriggered', '30500', 'tpslOrder', 'LastPrice']);

      const s3 = await v3.next(topicIs('stopOrder'));
      assertDocShape(s3, DOC_V3_STOP_ORDER);
      assert.deepEqual([s3.data[0].X, s3.data[0].i, s3.data[0].t, s3.data[0].c], ['ORDER_NEW', id, '0', 'spot01']);
      assert.equal(s3.data[0].T, u.createdTime);
      const s1 = await v1.next(v1Event('stop_executionReport'));
      assertDocShape(s1, DOC_V1_STOP_EXECUTION_REPORT);
      for (const absent of ['O', 'z', 'Z']) assert.equal(absent in s1[0], false, absent);

      assert.equal((await httpJson(sim.port, '/control/trigger', { orderId: id })).status, 200);
      assert.deepEqual([(await v5.next(topicIs('order.spot'))).data[0].orderStatus, (await v5.next(topicIs('order.spot'))).data[0].orderStatus], ['Triggered', 'New']);
      const filled3 = (await v3.next(topicIs('stopOrder'))).data[0];
      assert.equal(filled3.X, 'ORDER_FILLED');
      assert.notEqual(filled3.t, '0');
      const spawned = await v3.next(topicIs('order'));
      assertDocShape(spawned, DOC_V3_ORDER);
      assert.deepEqual([spawned.data[0].i, spawned.data[0].X], [filled3.eo, 'NEW']);
      assert.equal(first(await v1.next(v1Event('stop_executionReport'))).X, 'ORDER_FILLED');
      const report = await v1.next(v1Event('executionReport'));
      assert.equal(Array.isArray(report), false, 'executionReport is a bare object');
      assertDocShape(report, DOC_V1_EXECUTION_REPORT);
    });

    it('cancel before trigger: Deactivated / ORDER_CANCELED; a failed trigger: Rejected / ORDER_FAILED', async () => {
      const v5 = await privateClient(['order']);
      const { v3, v1 } = await legacyClients();
      const a = sim.placeOrder({ symbol: 'ETHUSDT', side: 'Sell', type: 'Market', qty: '1', triggerPrice: '1900' });
      sim.cancelOrder(a);
      const b = sim.placeOrder({ symbol: 'ETHUSDT', side: 'Sell', type: 'Market', qty: '1', triggerPrice: '1800' });
      await httpJson(sim.port, '/control/trigger', { orderId: b, fail: true });
      const v5Statuses: string[] = [];
      while (v5Statuses.length < 4) v5Statuses.push((await v5.next(topicIs('order'))).data[0].orderStatus);
      assert.deepEqual(v5Statuses, ['Untriggered', 'Deactivated', 'Untriggered', 'Rejected']);
      const v3Statuses: string[] = [];
      while (v3Statuses.length < 4) v3Statuses.push((await v3.next(topicIs('stopOrder'))).data[0].X);
      assert.deepEqual(v3Statuses, ['ORDER_NEW', 'ORDER_CANCELED', 'ORDER_NEW', 'ORDER_FAILED']);
      const v1Statuses: string[] = [];
      while (v1Statuses.length < 4) v1Statuses.push(first(await v1.next(v1Event('stop_executionReport'))).X);
      assert.deepEqual(v1Statuses, ['ORDER_NEW', 'ORDER_CANCELED', 'ORDER_NEW', 'ORDER_FAILED']);
      assert.equal((await httpJson(sim.port, '/control/trigger', { orderId: b })).status, 422);
    });

    it('spot v1 ends a part-filled cancel as CANCELED (v1 enums), v3 as PARTIALLY_FILLED_CANCELLED', async () => {
      const { v3, v1 } = await legacyClients();
      const id = sim.placeOrder({ symbol: 'BTCUSDT', side: 'Buy', price: '30000', qty: '1' });
      sim.fillOrder(id, '0.4');
      sim.cancelOrder(id);
      const v3s: string[] = [];
      while (v3s.length < 3) v3s.push((await v3.next(topicIs('order'))).data[0].X);
      const v1s: string[] = [];
      while (v1s.length < 3) v1s.push((await v1.next(v1Event('executionReport'))).X);
      assert.deepEqual(v3s, ['NEW', 'PARTIALLY_FILLED', 'PARTIALLY_FILLED_CANCELLED']);
      assert.deepEqual(v1s, ['NEW', 'PARTIALLY_FILLED', 'CANCELED']);
    });

    it('legacy spot sockets never see orders of other categories', async () => {
      const { v3, v1 } = await legacyClients();
      sim.orderLifecycle({ category: 'linear', symbol: 'BTCUSDT', side: 'Buy', price: '30000', qty: '1' });
      await v3.request({ op: 'ping' }, (f) => f.op === 'pong');
      await v1.request({ ping: 1 }, (f) => 'pong' in f);
      assert.equal(v3.received.filter((f) => f.topic).length, 0);
      assert.equal(v1.received.filter((f) => Array.isArray(f) || f.e).length, 0);
    });
  });
});
