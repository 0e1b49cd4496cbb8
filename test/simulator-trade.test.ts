/**
 * The simulator's V5 WebSocket Trade API (`/v5/trade`): frames as in
 * bybit-docs v5/websocket/trade/guideline.mdx, order rules from v5/order/{create,amend,cancel}-order.mdx,
 * codes from v5/error.mdx and v5/rate-limit/rate-limit.mdx, and the fills it pushes on
 * `/v5/private` in the shapes of v5/websocket/private/{order,execution,wallet,position}.mdx.
 */
import assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../src/simulator';
import { sign } from '../src/simulator/auth';
import { control } from './support/control';
import { FrameClient, type Frame } from '../src/simulator/test-client';

const TRADE = '/v5/trade';
const PRIVATE = '/v5/private';
const KEY = 'trade-key';
const SECRET = 'trade-secret';
const OTHER = 'other-key';

function authFrame(key = KEY, secret = SECRET, expires: number = Date.now() + 10_000, reqId?: string): Frame {
  const f: Frame = { op: 'auth', args: [key, expires, sign(secret, expires)] };
  if (reqId !== undefined) f.reqId = reqId;
  return f;
}

let reqCounter = 0;

/** An order request as guideline.mdx's example: reqId, header with X-BAPI-TIMESTAMP, op, one args object. */
function orderFrame(op: string, args: Record<string, unknown>, extra: Record<string, unknown> = {}): Frame {
  return { reqId: `r${++reqCounter}`, header: { 'X-BAPI-TIMESTAMP': String(Date.now()), 'X-BAPI-RECV-WINDOW': '8000' }, op, args: [args], ...extra };
}

const topicIs = (topic: string) => (f: Frame): boolean => f.topic === topic;

describe('simulator: V5 Trade API (/v5/trade)', () => {
  let sim: Simulator;
  let trade: FrameClient;
  let priv: FrameClient;

  beforeEach(async () => {
    sim = await startSimulator({ tickMs: 0, credentials: [{ key: KEY, secret: SECRET }, { key: OTHER, secret: 'other-secret' }] });
    trade = await FrameClient.connect(sim.url(TRADE));
    priv = await FrameClient.connect(sim.url(PRIVATE));
    await priv.request({ op: 'auth', args: authFrame().args }, (f) => f.op === 'auth');
    await priv.request({ op: 'subscribe', args: ['order', 'execution', 'wallet', 'position'] }, (f) => f.op === 'subscribe');
  });

  afterEach(async () => {
    await trade.close();
    await priv.close();
    await sim.close();
  });

  /** Sends a request and resolves with the reply carrying its reqId. */
  function ask(frame: Frame, client = trade): Promise<Frame> {
    return client.request(frame, (f) => f.reqId === frame.reqId && f.op === frame.op);
  }

  async function authed(client = trade, key = KEY, secret = SECRET): Promise<void> {
    const r = await client.request(authFrame(key, secret, undefined, 'auth'), (f) => f.op === 'auth');
    assert.equal(r.retCode, 0, r.retMsg);
  }

  /** Sets a balance and consumes its wallet frame, so the next one a test awaits is the trade's. */
  async function fund(coin: string, walletBalance: string, key = KEY): Promise<void> {
    sim.injectBalance({ coin, walletBalance, key });
    if (key === KEY) await priv.next(topicIs('wallet'));
  }

  /** The book the trade desk matches against (tickMs 0: it does not move during a test), as numbers. */
  function book(symbol: string): { bids: [number, number][]; asks: [number, number][] } {
    const view = sim.market.book(symbol, 50).view();
    const num = (levels: [string, string][]): [number, number][] => levels.map(([p, q]) => [Number(p), Number(q)]);
    return { bids: num(view.bids), asks: num(view.asks) };
  }

  describe('auth and ping (guideline.mdx)', () => {
    it('answers auth with retCode 0 and echoes reqId only when sent', async () => {
      const r = await trade.request(authFrame(KEY, SECRET, undefined, 'a1'), (f) => f.op === 'auth');
      assert.deepEqual(r, { reqId: 'a1', retCode: 0, retMsg: 'OK', op: 'auth', connId: r.connId });
      const c2 = await FrameClient.connect(sim.url(TRADE));
      try {
        const r2 = await c2.request(authFrame(), (f) => f.op === 'auth');
        assert.deepEqual(Object.keys(r2), ['retCode', 'retMsg', 'op', 'connId']);
        assert.equal(r2.retCode, 0);
      } finally {
        await c2.close();
      }
    });

    it('refuses a repeated auth (20001), a wrong signature or key (10004) and bad args or an expired request (10001)', async () => {
      const bad = await trade.request(authFrame(KEY, 'wrong'), (f) => f.op === 'auth');
      assert.deepEqual([bad.retCode, bad.retMsg], [10004, 'Error sign, please check your signature generation algorithm.']);
      assert.equal((await trade.request(authFrame('nobody', SECRET), (f) => f.op === 'auth')).retCode, 10004);
      assert.equal((await trade.request({ op: 'auth', args: [KEY] }, (f) => f.op === 'auth')).retCode, 10001);
      assert.equal((await trade.request(authFrame(KEY, SECRET, Date.now() - 1), (f) => f.op === 'auth')).retCode, 10001);
      await authed();
      const again = await trade.request(authFrame(), (f) => f.op === 'auth');
      assert.deepEqual([again.retCode, again.retMsg], [20001, 'Repeat auth']);
    });

    it('answers ping with a pong carrying the server time', async () => {
      const before = Date.now();
      const pong = await trade.request({ op: 'ping' }, (f) => f.op === 'pong');
      assert.deepEqual(Object.keys(pong), ['retCode', 'retMsg', 'op', 'data', 'connId']);
      assert.deepEqual([pong.retCode, pong.retMsg], [0, 'OK']);
      assert.ok(Number(pong.data[0]) >= before);
    });

    it('refuses orders before auth (10007) and unknown ops (10404)', async () => {
      const early = await ask(orderFrame('order.create', { category: 'spot', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Market', qty: '10' }));
      assert.deepEqual([early.retCode, early.retMsg], [10007, 'User authentication failed.']);
      await authed();
      const unknown = await ask(orderFrame('order.replace', {}));
      assert.deepEqual([unknown.retCode, unknown.retMsg], [10404, 'op type is not found']);
    });
  });

  describe('orders', () => {
    beforeEach(() => authed());

    it('creates, amends and cancels a resting spot limit order; the order stream and the locked balance follow', async () => {
      await fund('USDT', '10000');
      const created = await ask(orderFrame('order.create', { category: 'spot', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: '0.1', price: '20000', orderLinkId: 'rest-1' }));
      // guideline.mdx response example: keys and header fields in this order.
      assert.deepEqual(Object.keys(created), ['reqId', 'retCode', 'retMsg', 'op', 'data', 'retExtInfo', 'header', 'connId']);
      assert.deepEqual([created.retCode, created.retMsg, created.op], [0, 'OK', 'order.create']);
      assert.deepEqual(Object.keys(created.header), ['X-Bapi-Limit', 'X-Bapi-Limit-Status', 'X-Bapi-Limit-Reset-Timestamp', 'Traceid', 'Timenow']);
      assert.deepEqual([created.header['X-Bapi-Limit'], created.header['X-Bapi-Limit-Status']], ['20', '19']);
      assert.deepEqual(created.retExtInfo, {});
      const { orderId } = created.data;
      assert.deepEqual(created.data, { orderId, orderLinkId: 'rest-1' });

      const placed = (await priv.next(topicIs('order'))).data[0];
      assert.deepEqual([placed.orderId, placed.orderStatus, placed.price, placed.qty, placed.leavesQty, placed.category], [orderId, 'New', '20000', '0.1', '0.1', 'spot']);
      assert.equal((await priv.next(topicIs('wallet'))).data[0].coin[0].locked, '2000');

      const amended = await ask(orderFrame('order.amend', { category: 'spot', symbol: 'BTCUSDT', orderLinkId: 'rest-1', price: '21000', qty: '0.2' }));
      assert.deepEqual([amended.retCode, amended.data], [0, { orderId, orderLinkId: 'rest-1' }]);
      const changed = (await priv.next(topicIs('order'))).data[0];
      assert.deepEqual([changed.orderStatus, changed.price, changed.qty], ['New', '21000', '0.2']);
      assert.equal((await priv.next(topicIs('wallet'))).data[0].coin[0].locked, '4200');

      const cancelled = await ask(orderFrame('order.cancel', { category: 'spot', symbol: 'BTCUSDT', orderId }));
      assert.deepEqual([cancelled.retCode, cancelled.data], [0, { orderId, orderLinkId: 'rest-1' }]);
      const gone = (await priv.next(topicIs('order'))).data[0];
      assert.deepEqual([gone.orderStatus, gone.cancelType, gone.leavesQty], ['Cancelled', 'CancelByUser', '0']);
      assert.equal((await priv.next(topicIs('wallet'))).data[0].coin[0].locked, '0');
    });

    it('fills a spot market buy against the book: execution, order and wallet frames agree', async () => {
      await fund('USDT', '100000');
      const { asks } = book('BTCUSDT');
      const reply = await ask(orderFrame('order.create', { category: 'spot', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Market', qty: '0.001', marketUnit: 'baseCoin' }));
      assert.equal(reply.retCode, 0, reply.retMsg);
      const exec = await priv.next(topicIs('execution'));
      const fill = exec.data[0];
      assert.deepEqual([fill.orderId, fill.side, fill.execType, fill.isMaker, fill.category], [reply.data.orderId, 'Buy', 'Trade', false, 'spot']);
      assert.equal(Number(fill.execPrice), asks[0][0], 'the best ask');
      assert.equal(fill.execQty, '0.001');
      assert.equal(fill.feeCurrency, 'BTC');
      const order = (await priv.next(topicIs('order'))).data[0];
      assert.deepEqual([order.orderStatus, order.orderType, order.timeInForce, order.cumExecQty, order.avgPrice], ['Filled', 'Market', 'IOC', '0.001', fill.execPrice]);
      const wallet = (await priv.next(topicIs('wallet'))).data[0].coin;
      const coins = Object.fromEntries(wallet.map((c: Frame) => [c.coin, c.walletBalance]));
      assert.equal(Number(coins.USDT), 100000 - Number(fill.execValue));
      assert.equal(coins.BTC, String(0.001 - Number(fill.execFee)));
    });

    it('fills a crossing linear limit order in part, rests the rest, and reports the position', async () => {
      await fund('USDT', '1000000');
      const { asks } = book('BTCUSDT');
      const limit = asks[1][0];
      const crossing = asks[0][1] + asks[1][1];
      const qty = (crossing + 1).toFixed(3);
      const reply = await ask(orderFrame('order.create', { category: 'linear', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty, price: String(limit) }));
      assert.equal(reply.retCode, 0, reply.retMsg);
      const exec = await priv.next(topicIs('execution'));
      // execution.mdx: several fills of one order may share one message.
      assert.deepEqual(exec.data.map((e: Frame) => Number(e.execPrice)), [asks[0][0], asks[1][0]]);
      assert.deepEqual(exec.data.map((e: Frame) => Number(e.execQty)), [asks[0][1], asks[1][1]]);
      assert.equal(exec.data[0].createType, 'CreateByUser');
      const order = (await priv.next(topicIs('order'))).data[0];
      assert.equal(order.orderStatus, 'PartiallyFilled');
      assert.equal(Number(order.cumExecQty), crossing);
      assert.equal(Number(order.leavesQty), 1);
      const position = (await priv.next(topicIs('position'))).data[0];
      assert.deepEqual([position.category, position.symbol, position.side, Number(position.size), position.leverage], ['linear', 'BTCUSDT', 'Buy', crossing, '10']);
      const walletAfterFill = (await priv.next(topicIs('wallet'))).data[0].coin[0];
      assert.equal(walletAfterFill.coin, 'USDT');
      assert.ok(Number(walletAfterFill.locked) > Number(position.positionIM), 'margin held for the position and the resting rest');

      const cancelled = await ask(orderFrame('order.cancel', { category: 'linear', symbol: 'BTCUSDT', orderId: reply.data.orderId }));
      assert.equal(cancelled.retCode, 0);
      const after = (await priv.next(topicIs('order'))).data[0];
      // enum.mdx: in derivatives a Cancelled order may have an executed qty.
      assert.deepEqual([after.orderStatus, Number(after.cumExecQty)], ['Cancelled', crossing]);
      assert.equal(Number((await priv.next(topicIs('position'))).data[0].size), crossing, 'the position stays');
      assert.equal((await priv.next(topicIs('wallet'))).data[0].coin[0].locked, position.positionIM);
    });

    it('closes a linear position with a reduce-only market order and realises the PnL', async () => {
      await fund('USDT', '1000000');
      await ask(orderFrame('order.create', { category: 'linear', symbol: 'ETHUSDT', side: 'Buy', orderType: 'Market', qty: '1' }));
      const opened = (await priv.next(topicIs('position'))).data[0];
      assert.deepEqual([opened.side, opened.size], ['Buy', '1']);
      const close = await ask(orderFrame('order.create', { category: 'linear', symbol: 'ETHUSDT', side: 'Sell', orderType: 'Market', qty: '5', reduceOnly: true }));
      assert.equal(close.retCode, 0, close.retMsg);
      const fills = (await priv.next((f) => f.topic === 'execution' && f.data[0].orderId === close.data.orderId)).data;
      assert.equal(fills.reduce((sum: number, e: Frame) => sum + Number(e.closedSize), 0), 1, 'reduce-only: capped at the position size');
      const closed = (await priv.next((f) => f.topic === 'position' && f.data[0].size === '0')).data[0];
      assert.equal(closed.side, '');
      assert.equal(Number(closed.cumRealisedPnl), fills.reduce((sum: number, e: Frame) => sum + Number(e.execPnl), 0));
      const again = await ask(orderFrame('order.create', { category: 'linear', symbol: 'ETHUSDT', side: 'Sell', orderType: 'Market', qty: '1', reduceOnly: true }));
      assert.deepEqual([again.retCode, again.retMsg], [110017, 'orderQty will be truncated to zero']);
    });

    it('cancels a PostOnly order that would take liquidity and an unfillable FOK', async () => {
      await fund('USDT', '1000000');
      const { asks } = book('BTCUSDT');
      const post = await ask(orderFrame('order.create', { category: 'linear', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: '0.01', price: String(asks[0][0]), timeInForce: 'PostOnly' }));
      assert.equal(post.retCode, 0, 'accepted, then cancelled on the stream');
      const postOrder = (await priv.next(topicIs('order'))).data[0];
      assert.deepEqual([postOrder.orderStatus, postOrder.rejectReason], ['Cancelled', 'EC_PostOnlyWillTakeLiquidity']);
      const fok = await ask(orderFrame('order.create', { category: 'linear', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: String(asks[0][1] + 1), price: String(asks[0][0]), timeInForce: 'FOK' }));
      assert.equal(fok.retCode, 0);
      const fokOrder = (await priv.next((f) => f.topic === 'order' && f.data[0].orderId === fok.data.orderId)).data[0];
      assert.deepEqual([fokOrder.orderStatus, fokOrder.cumExecQty], ['Cancelled', '0']);
      assert.equal(priv.drain(topicIs('execution')).length, 0);
    });

    it('keeps orders per account: another key neither sees nor cancels them', async () => {
      await fund('USDT', '10000');
      const other = await FrameClient.connect(sim.url(TRADE));
      const otherPriv = await FrameClient.connect(sim.url(PRIVATE));
      try {
        await authed(other, OTHER, 'other-secret');
        await otherPriv.request(authFrame(OTHER, 'other-secret'), (f) => f.op === 'auth');
        await otherPriv.request({ op: 'subscribe', args: ['order'] }, (f) => f.op === 'subscribe');
        const mine = await ask(orderFrame('order.create', { category: 'spot', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: '0.01', price: '1000' }));
        const theirs = await ask(orderFrame('order.cancel', { category: 'spot', symbol: 'BTCUSDT', orderId: mine.data.orderId }), other);
        assert.deepEqual([theirs.retCode, theirs.retMsg], [170213, 'Order does not exist.']);
        await otherPriv.request({ op: 'ping', req_id: 'flush' }, (f) => f.op === 'pong');
        assert.equal(otherPriv.received.filter((f) => f.topic === 'order').length, 0);
        assert.deepEqual(sim.trade.orders(OTHER), []);
        assert.equal(sim.trade.orders(KEY).length, 1);
      } finally {
        await other.close();
        await otherPriv.close();
      }
    });

    it('answers a batch with one result per order', async () => {
      await fund('USDT', '10000');
      const r = await ask({
        reqId: 'batch-1', header: { 'X-BAPI-TIMESTAMP': String(Date.now()) }, op: 'order.create-batch',
        args: [{ category: 'spot', request: [
          { symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: '0.01', price: '1000', orderLinkId: 'b-0' },
          { symbol: 'BTCUSDT', side: 'Up', orderType: 'Limit', qty: '0.01', price: '1000', orderLinkId: 'b-1' },
        ] }],
      });
      assert.equal(r.retCode, 0);
      assert.deepEqual(r.retExtInfo.list, [{ code: 0, msg: 'OK' }, { code: 170117, msg: 'Invalid side.' }]);
      assert.equal(r.data.list[0].orderLinkId, 'b-0');
      assert.match(r.data.list[0].orderId, /^\d+$/);
      assert.deepEqual([r.data.list[1].orderId, r.data.list[1].createAt], ['', '']);
      assert.equal(r.header['X-Bapi-Limit-Status'], '18', 'a batch counts each order');
    });
  });

  describe('refusals (error.mdx)', () => {
    beforeEach(() => authed());

    const refused = async (args: Record<string, unknown>, op = 'order.create'): Promise<[number, string]> => {
      const r = await ask(orderFrame(op, args));
      assert.equal(typeof r.header?.Traceid, 'string', 'order replies carry the rate-limit header');
      return [r.retCode, r.retMsg];
    };
    const linear = { category: 'linear', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: '0.01', price: '20000' };
    const spot = { category: 'spot', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: '0.01', price: '20000' };

    it('bad parameters: 10001 for derivatives, the spot codes for spot, 10404 for the category', async () => {
      await fund('USDT', '1000000');
      assert.deepEqual(await refused({ ...linear, qty: undefined }), [10001, 'Request parameter error: qty is required']);
      assert.deepEqual(await refused({ ...linear, side: 'buy' }), [10001, 'Request parameter error: side is invalid']);
      assert.deepEqual(await refused({ ...linear, price: '-1' }), [10001, 'Request parameter error: price is invalid']);
      assert.deepEqual(await refused({ ...linear, positionIdx: 1 }), [10001, 'position idx not match position mode']);
      assert.deepEqual(await refused({ ...linear, takeProfit: '40000' }), [10001, 'Request parameter error: takeProfit is not supported by the simulator']);
      assert.deepEqual(await refused({ ...spot, side: 'buy' }), [170117, 'Invalid side.']);
      assert.deepEqual(await refused({ ...spot, orderType: 'Stop' }), [170116, 'Invalid orderType.']);
      assert.deepEqual(await refused({ ...spot, timeInForce: 'GTD' }), [170115, 'Invalid timeInForce.']);
      assert.deepEqual(await refused({ ...spot, symbol: 'btcusdt' }), [170121, 'Invalid symbol.']);
      assert.deepEqual(await refused({ ...spot, qty: '' }), [170105, "Parameter 'qty' was empty."]);
      assert.deepEqual(await refused({ ...spot, qty: 'abc' }), [170130, "Data sent for paramter 'qty' is not valid."]);
      assert.deepEqual(await refused({ ...spot, category: 'futures' }), [10404, 'category is not correct/supported']);
      assert.deepEqual(await refused({ ...linear, symbol: 'BTCUSD' }), [10001, 'Request parameter error: symbol is invalid']);
      assert.deepEqual(await refused({ ...linear, category: 'option', symbol: 'BTC-30DEC25-100000-C' }), [10001, 'Request parameter error: orderLinkId is required']);
      assert.deepEqual(sim.trade.orders(), [], 'nothing was placed');
    });

    it('unknown orders: 110001 in the servers\' words, 170213 for spot', async () => {
      assert.deepEqual(await refused({ category: 'linear', symbol: 'BTCUSDT', orderId: 'nope' }, 'order.cancel'), [110001, 'order not exists or too late to cancel']);
      assert.deepEqual(await refused({ category: 'linear', symbol: 'BTCUSDT', orderLinkId: 'nope', price: '1' }, 'order.amend'), [110001, 'order not exists or too late to replace']);
      assert.deepEqual(await refused({ category: 'spot', symbol: 'BTCUSDT', orderId: '1' }, 'order.cancel'), [170213, 'Order does not exist.']);
      await fund('USDT', '100000');
      const r = await ask(orderFrame('order.create', { ...spot, orderType: 'Market', qty: '10' }));
      const filled = await ask(orderFrame('order.cancel', { category: 'spot', symbol: 'BTCUSDT', orderId: r.data.orderId }));
      assert.equal(filled.retCode, 170213, 'a filled order cannot be cancelled');
    });

    it('insufficient balance: 110007 for derivatives, 170131 for spot', async () => {
      await fund('USDT', '100');
      assert.deepEqual(await refused({ ...linear, qty: '1' }), [110007, 'Available balance is insufficient']);
      assert.deepEqual(await refused({ ...spot, qty: '1' }), [170131, 'Balance insufficient']);
      assert.deepEqual(await refused({ ...spot, side: 'Sell', qty: '1' }), [170131, 'Balance insufficient'], 'no BTC to sell');
      assert.deepEqual(sim.trade.orders(), []);
    });

    it('duplicate orderLinkId: 110072, spot 170141; amending below the filled qty: 110064', async () => {
      await fund('USDT', '1000000');
      assert.equal((await ask(orderFrame('order.create', { ...linear, orderLinkId: 'dup' }))).retCode, 0);
      assert.deepEqual(await refused({ ...linear, orderLinkId: 'dup' }), [110072, 'OrderLinkedID is duplicate']);
      assert.equal((await ask(orderFrame('order.create', { ...spot, orderLinkId: 'dup' }))).retCode, 0);
      assert.deepEqual(await refused({ ...spot, orderLinkId: 'dup' }), [170141, 'Duplicate clientOrderId']);

      const { asks } = book('BTCUSDT');
      const part = await ask(orderFrame('order.create', { ...linear, qty: String(asks[0][1] + 1), price: String(asks[0][0]), orderLinkId: 'part' }));
      assert.equal(part.retCode, 0);
      assert.deepEqual(await refused({ category: 'linear', symbol: 'BTCUSDT', orderLinkId: 'part', qty: String(asks[0][1]) }, 'order.amend'), [110064, 'The modified contract quantity cannot be less than or equal to the filled quantity.']);
    });

    it('duplicate reqId (20006), stale or missing X-BAPI-TIMESTAMP (10002, 10001)', async () => {
      await fund('USDT', '1000000');
      const first = orderFrame('order.create', linear);
      assert.equal((await ask(first)).retCode, 0);
      const dup = await ask({ ...first });
      assert.deepEqual([dup.retCode, dup.retMsg], [20006, 'reqId is duplicated']);
      const stale = await ask(orderFrame('order.create', linear, { header: { 'X-BAPI-TIMESTAMP': String(Date.now() - 60_000) } }));
      assert.deepEqual([stale.retCode, stale.retMsg], [10002, 'The request time exceeds the time window range.']);
      const missing = await ask(orderFrame('order.create', linear, { header: {} }));
      assert.equal(missing.retCode, 10001);
      assert.equal(sim.trade.orders().length, 1);
    });

    it('over the rate limit: 10006 with the header counting down to 0 (limit set over HTTP)', async () => {
      await fund('USDT', '1000000');
      assert.equal((await control(sim, '/control/trade-rate-limit', { op: 'order.create', limit: 2, windowMs: 60_000 })).status, 200);
      const statuses: string[] = [];
      for (let i = 0; i < 2; i++) {
        const r = await ask(orderFrame('order.create', linear));
        assert.equal(r.retCode, 0);
        statuses.push(`${r.header['X-Bapi-Limit']}/${r.header['X-Bapi-Limit-Status']}`);
      }
      assert.deepEqual(statuses, ['2/1', '2/0']);
      const over = await ask(orderFrame('order.create', linear));
      assert.deepEqual([over.retCode, over.retMsg, over.header['X-Bapi-Limit-Status']], [10006, 'Too many visits!', '0']);
      assert.ok(Number(over.header['X-Bapi-Limit-Reset-Timestamp']) > Date.now() + 50_000, 'resets when the window frees a slot');
      // Other ops have their own budget.
      assert.equal((await ask(orderFrame('order.cancel', { category: 'linear', symbol: 'BTCUSDT', orderId: 'x' }))).retCode, 110001);
      assert.equal(sim.trade.orders().length, 2);
      await control(sim, '/control/trade-rate-limit', { limit: null, windowMs: 1000 });
      assert.equal((await ask(orderFrame('order.create', linear))).retCode, 0);
    });
  });

  describe('control routes', () => {
    beforeEach(() => authed());

    it('leaves the next request unanswered, with or without carrying it out', async () => {
      await fund('USDT', '10000');
      const order = { category: 'spot', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: '0.01', price: '1000' };
      assert.equal((await control(sim, '/control/trade-silence', { n: 1 })).status, 200);
      const dropped = orderFrame('order.create', order);
      trade.send(dropped);
      await trade.request({ op: 'ping', reqId: 'p1' }, (f) => f.op === 'pong');
      assert.equal(trade.received.filter((f) => f.reqId === dropped.reqId).length, 0);
      assert.deepEqual(sim.trade.orders(), [], 'not carried out');

      await control(sim, '/control/trade-silence', { n: 1, execute: true });
      const silent = orderFrame('order.create', order);
      trade.send(silent);
      const placed = await priv.next(topicIs('order'));
      assert.equal(placed.data[0].orderStatus, 'New', 'carried out: the order stream shows it');
      await trade.request({ op: 'ping', reqId: 'p2' }, (f) => f.op === 'pong');
      assert.equal(trade.received.filter((f) => f.reqId === silent.reqId).length, 0);
      assert.equal((await ask(orderFrame('order.create', order))).retCode, 0, 'the switch is spent');
    });

    it('places, lists and fills orders over HTTP; the fill is a maker execution on the stream', async () => {
      await fund('BTC', '1');
      const placed = await control(sim, '/control/trade-order', { category: 'spot', symbol: 'BTCUSDT', side: 'Sell', orderType: 'Limit', qty: '0.5', price: '99999' });
      assert.equal(placed.status, 200, JSON.stringify(placed.body));
      const listed = await control(sim, `/control/trade-orders?key=${KEY}&open=true`, undefined, { method: 'GET' });
      assert.deepEqual(listed.body.orders.map((o: Frame) => [o.orderId, o.orderStatus, o.key]), [[placed.body.orderId, 'New', KEY]]);
      const filled = await control(sim, '/control/trade-fill', { orderId: placed.body.orderId, qty: '0.2' });
      assert.equal(filled.body.orderStatus, 'PartiallyFilled');
      const exec = (await priv.next(topicIs('execution'))).data[0];
      assert.deepEqual([exec.isMaker, exec.execPrice, exec.execQty, exec.feeCurrency], [true, '99999', '0.2', 'USDT']);
      const refused = await control(sim, '/control/trade-order', { category: 'spot', symbol: 'BTCUSDT', side: 'Sell', orderType: 'Limit', qty: '5', price: '1' });
      assert.deepEqual([refused.status, refused.body.error], [422, '170131 Balance insufficient']);
    });

    it('drops trade sockets only', async () => {
      const closed = trade.closed;
      assert.equal((await control(sim, '/control/drop', { path: TRADE, code: 4000, reason: 'trade restart' })).status, 200);
      assert.deepEqual(await closed, { code: 4000, reason: 'trade restart' });
      assert.equal(sim.clientCount(PRIVATE), 1);
    });
  });
});
