import assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../src/simulator';
import { sign } from '../src/simulator/auth';
import { isLoopback } from '../src/simulator/control-http';
import { control } from './support/control';
import { FrameClient, type Frame } from '../src/simulator/test-client';

const PRIVATE = '/v5/private';
const KEY = 'test-key';
const SECRET = 'test-secret';

function authFrame(key = KEY, secret = SECRET, expires: number | string = Date.now() + 10_000, reqId?: string): Frame {
  const f: Frame = { op: 'auth', args: [key, expires, sign(secret, expires)] };
  if (reqId) f.req_id = reqId;
  return f;
}

const authReply = (f: Frame): boolean => f.op === 'auth';
const subReply = (f: Frame): boolean => f.op === 'subscribe' && 'success' in f;


describe('simulator: V5 private', () => {
  let sim: Simulator;
  let client: FrameClient;

  beforeEach(async () => {
    sim = await startSimulator({ tickMs: 0, credentials: [{ key: KEY, secret: SECRET }, { key: 'other', secret: 'other-secret' }] });
    client = await FrameClient.connect(sim.url(PRIVATE));
  });

  afterEach(async () => {
    await client.close();
    await sim.close();
  });

  async function authed(c = client): Promise<void> {
    const r = await c.request(authFrame(), authReply);
    assert.equal(r.success, true, r.ret_msg);
  }

  describe('auth', () => {
    it('accepts a good signature (numeric and string expires) with the documented reply (no req_id)', async () => {
      // wss-authentication.mdx: the request sends "req_id": "10001"; the success sample has none.
      const r = await client.request(authFrame(KEY, SECRET, Date.now() + 10_000, 'a1'), authReply);
      assert.deepEqual(r, { success: true, ret_msg: '', op: 'auth', conn_id: r.conn_id });
      assert.deepEqual(Object.keys(r), ['success', 'ret_msg', 'op', 'conn_id']);
      const c2 = await FrameClient.connect(sim.url(PRIVATE));
      try {
        const r2 = await c2.request(authFrame(KEY, SECRET, String(Date.now() + 10_000)), authReply);
        assert.equal(r2.success, true);
        assert.equal('req_id' in r2, false);
      } finally {
        await c2.close();
      }
    });

    it('rejects a wrong secret or an unknown key with Params Error', async () => {
      const r = await client.request(authFrame(KEY, 'wrong', undefined, 'a2'), authReply);
      assert.deepEqual(r, { success: false, ret_msg: 'Params Error', op: 'auth', conn_id: r.conn_id });
      const r2 = await client.request(authFrame('nobody', SECRET), authReply);
      assert.equal(r2.ret_msg, 'Params Error');
      const r3 = await client.request({ op: 'auth', args: [KEY] }, authReply);
      assert.equal(r3.ret_msg, 'Params Error');
    });

    it('rejects an expired request', async () => {
      const r = await client.request(authFrame(KEY, SECRET, Date.now() - 1), authReply);
      assert.deepEqual(r, { success: false, ret_msg: 'error:request expired', op: 'auth', conn_id: r.conn_id });
    });

    it('rejects every auth while auth rejection is on', async () => {
      sim.setAuthRejection(true);
      assert.equal((await client.request(authFrame(), authReply)).ret_msg, 'Params Error');
      sim.setAuthRejection(true, 'error:banned');
      assert.equal((await client.request(authFrame(), authReply)).ret_msg, 'error:banned');
      sim.setAuthRejection(false);
      assert.equal((await client.request(authFrame(), authReply)).success, true);
    });

    it('answers private pings in the private shape', async () => {
      const before = Date.now();
      const r = await client.request({ op: 'ping', req_id: 'p1' }, (f) => f.op === 'pong');
      assert.deepEqual(Object.keys(r), ['req_id', 'op', 'args', 'conn_id']);
      assert.equal(r.req_id, 'p1');
      assert.match(r.args[0], /^\d{13}$/);
      assert.ok(Number(r.args[0]) >= before);
    });
  });

  describe('subscriptions', () => {
    it('refuses private topics before auth', async () => {
      const r = await client.request({ op: 'subscribe', req_id: 's', args: ['order'] }, subReply);
      assert.equal(r.success, false);
      assert.equal(r.ret_msg, 'Request not authorized');
      assert.deepEqual(sim.subscriptions(PRIVATE), []);
    });

    it('subscribes wallet, order and execution after auth with the documented private reply; unknown topics fail', async () => {
      await authed();
      // wss-authentication.mdx, "Understanding the Subscription Response", Private tab.
      const ok = await client.request({ op: 'subscribe', req_id: 's', args: ['wallet', 'order', 'execution'] }, subReply);
      assert.deepEqual(ok, { success: true, ret_msg: '', op: 'subscribe', conn_id: ok.conn_id });
      assert.deepEqual(Object.keys(ok), ['success', 'ret_msg', 'op', 'conn_id']);
      const bad = await client.request({ op: 'subscribe', args: ['position.spot'] }, subReply);
      assert.equal(bad.ret_msg, 'error:handler not found,topic:position.spot');
      assert.deepEqual(sim.subscriptions(PRIVATE), ['execution', 'order', 'wallet']);
    });
  });

  describe('account frames', () => {
    beforeEach(async () => {
      await authed();
      await client.request({ op: 'subscribe', args: ['wallet', 'order', 'execution'] }, subReply);
    });

    it('pushes wallet updates', async () => {
      sim.injectBalance({ coin: 'USDT', walletBalance: '1000.5', locked: '100' });
      const w = await client.next((f) => f.topic === 'wallet');
      assert.deepEqual(Object.keys(w), ['id', 'topic', 'creationTime', 'data']);
      assert.equal(typeof w.id, 'string');
      const c = w.data[0].coin[0];
      assert.deepEqual([c.coin, c.equity, c.walletBalance, c.locked, c.usdValue, c.spotBorrow], ['USDT', '1000.5', '1000.5', '100', '1000.5', '0']);
      assert.equal(w.data[0].accountType, 'UNIFIED');
      assert.equal(w.data[0].totalEquity, '1000.5');
    });

    it('runs an order lifecycle: New, PartiallyFilled, Filled with consistent totals', async () => {
      const orderId = sim.orderLifecycle({ symbol: 'BTCUSDT', side: 'Buy', price: '30000', qty: '0.01', fills: 2, orderLinkId: 'my-1' });
      const orders: Frame[] = [];
      const execs: Frame[] = [];
      const sequence: string[] = [];
      while (orders.length < 3 || execs.length < 2) {
        const f = await client.next((x) => x.topic === 'order' || x.topic === 'execution');
        sequence.push(f.topic === 'order' ? f.data[0].orderStatus : 'exec');
        (f.topic === 'order' ? orders : execs).push(f.data[0]);
      }
      assert.deepEqual(sequence, ['New', 'exec', 'PartiallyFilled', 'exec', 'Filled']);
      for (const o of orders) {
        assert.equal(o.orderId, orderId);
        assert.equal(o.orderLinkId, 'my-1');
        assert.equal(o.category, 'spot');
        assert.equal(o.side, 'Buy');
        assert.equal(o.orderType, 'Limit');
        assert.equal(o.price, '30000');
        assert.equal(o.qty, '0.01');
      }
      assert.deepEqual([orders[0].cumExecQty, orders[0].leavesQty, orders[0].avgPrice], ['0', '0.01', '']);
      assert.deepEqual([orders[1].cumExecQty, orders[1].cumExecValue, orders[1].leavesQty, orders[1].avgPrice], ['0.005', '150', '0.005', '30000']);
      assert.deepEqual([orders[2].cumExecQty, orders[2].cumExecValue, orders[2].leavesQty], ['0.01', '300', '0']);
      assert.deepEqual(orders[2].cumFeeDetail, { BTC: '0.00001' });
      assert.deepEqual(execs.map((e) => [e.execQty, e.execPrice, e.execValue, e.execFee, e.feeCurrency]), [
        ['0.005', '30000', '150', '0.000005', 'BTC'],
        ['0.005', '30000', '150', '0.000005', 'BTC'],
      ]);
      assert.notEqual(execs[0].execId, execs[1].execId);
      assert.equal(typeof execs[0].seq, 'number');
      assert.equal(execs[0].execType, 'Trade');
      assert.match(execs[0].execTime, /^\d+$/);
    });

    it('cancels: Cancelled, or PartiallyFilledCanceled after a partial fill', async () => {
      const a = sim.placeOrder({ symbol: 'ETHUSDT', side: 'Sell', price: 2000, qty: 1 });
      sim.cancelOrder(a);
      const b = sim.placeOrder({ symbol: 'ETHUSDT', side: 'Sell', price: '2000', qty: '1' });
      sim.fillOrder(b, '0.4');
      sim.cancelOrder(b);
      const statuses: string[] = [];
      while (statuses.length < 5) statuses.push((await client.next((f) => f.topic === 'order')).data[0].orderStatus);
      assert.deepEqual(statuses, ['New', 'Cancelled', 'New', 'PartiallyFilled', 'PartiallyFilledCanceled']);
      const exec = await client.next((f) => f.topic === 'execution');
      assert.deepEqual([exec.data[0].feeCurrency, exec.data[0].execFee], ['USDT', '0.8']);
      assert.throws(() => sim.cancelOrder(b), /PartiallyFilledCanceled/);
    });

    it('sends account frames only to sockets of that key that subscribed', async () => {
      const other = await FrameClient.connect(sim.url(PRIVATE));
      const unsubscribed = await FrameClient.connect(sim.url(PRIVATE));
      try {
        await other.request(authFrame('other', 'other-secret'), authReply);
        await other.request({ op: 'subscribe', args: ['order'] }, subReply);
        await unsubscribed.request(authFrame(), authReply);
        sim.placeOrder({ symbol: 'BTCUSDT', side: 'Buy', price: '1', qty: '1', key: 'other' });
        sim.placeOrder({ symbol: 'BTCUSDT', side: 'Buy', price: '2', qty: '1' });
        assert.equal((await other.next((f) => f.topic === 'order')).data[0].price, '1');
        assert.equal((await client.next((f) => f.topic === 'order')).data[0].price, '2');
        await unsubscribed.request({ op: 'ping', req_id: 'z' }, (f) => f.op === 'pong');
        await other.request({ op: 'ping', req_id: 'z' }, (f) => f.op === 'pong');
        assert.equal(unsubscribed.received.filter((f) => f.topic).length, 0);
        assert.equal(other.received.filter((f) => f.topic).length, 1);
      } finally {
        await other.close();
        await unsubscribed.close();
      }
    });
  });

  describe('HTTP control routes', () => {
    it('drive orders and balances over HTTP', async () => {
      await authed();
      await client.request({ op: 'subscribe', args: ['order', 'execution', 'wallet'] }, subReply);
      const placed = await control(sim, '/control/order', { symbol: 'BTCUSDT', side: 'Buy', price: '30000', qty: '0.02' });
      assert.equal(placed.status, 200);
      assert.equal(placed.body.ok, true);
      assert.match(placed.body.orderId, /^\d+$/);
      assert.equal((await control(sim, '/control/fill', { orderId: placed.body.orderId, qty: '0.01' })).status, 200);
      assert.equal((await control(sim, '/control/cancel', { orderId: placed.body.orderId })).status, 200);
      assert.equal((await control(sim, '/control/balance', { coin: 'BTC', walletBalance: '1' })).status, 200);
      const statuses: string[] = [];
      while (statuses.length < 3) statuses.push((await client.next((f) => f.topic === 'order')).data[0].orderStatus);
      assert.deepEqual(statuses, ['New', 'PartiallyFilled', 'PartiallyFilledCanceled']);
      await client.next((f) => f.topic === 'wallet');

      const bad = await control(sim, '/control/fill', { orderId: 'nope' });
      assert.equal(bad.status, 422);
      assert.match(bad.body.error, /unknown orderId/);
      assert.equal((await control(sim, '/control/order', { symbol: 'BTCUSDT' })).status, 400);
      assert.equal((await control(sim, '/control/nothing', {})).status, 404);
      const status = await control(sim, '/control/status', undefined, { method: 'GET' });
      assert.deepEqual(status.body.subscriptions, ['execution', 'order', 'wallet']);
    });

    it('serves loopback clients only', () => {
      for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) assert.equal(isLoopback(a), true, a);
      for (const a of ['10.0.0.1', '192.168.1.2', '::ffff:10.0.0.1', 'fe80::1', undefined]) assert.equal(isLoopback(a), false, String(a));
    });

    it('drops sockets with a close code over HTTP', async () => {
      const closed = client.closed;
      assert.equal((await control(sim, '/control/drop', { code: 4000, reason: 'maintenance' })).status, 200);
      assert.deepEqual(await closed, { code: 4000, reason: 'maintenance' });
    });
  });
});
