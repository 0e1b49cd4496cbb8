/**
 * The order entry node in the real Node-RED runtime over real sockets to the simulator's V5
 * Trade API (`/v5/trade`, bybit-docs v5/websocket/trade/guideline.mdx): round trips, Bybit's
 * refusals at a Catch node, no reply and dropped sockets (never sent twice), the allowOrders
 * switch and the guards (nothing sent), the rate limit (queued, not refused), and the fills
 * that come back on the same connection's order and execution nodes.
 */
import assert from 'node:assert/strict';
import type { Simulator } from '../src/simulator';
import { control } from './support/control';
import { catcher, collect, completer, connection, getNode, helper, inject, keepSubstitutions, lastStatus, loadFlow, nextMsg, paletteNode, SHARED, simulatorPerTest, type FlowNode, type Msg } from './support/flows';

const KEY = 'entry-key-5d1c';
const SECRET = 'entry-secret-a7f0';
const TRADE = '/v5/trade';
const PRIVATE = '/v5/private';
const CREDENTIALS = { conn: { apiKey: KEY, apiSecret: SECRET } };

const payload = (m: Msg) => m.payload as Record<string, unknown>;
const limitBuy = (extra: Record<string, unknown> = {}) => ({ category: 'linear', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: '0.01', price: '20000', ...extra });

function entryNode(extra: Record<string, unknown> = {}, id = 'oe'): FlowNode[] {
  return [
    { id, type: 'bybit-order-entry', connection: 'conn', maxQty: '', maxNotional: '', wires: [[`${id}-out`]], ...extra },
    { id: `${id}-out`, type: 'helper' },
  ];
}

describe('order entry node: V5 Trade API', function () {
  let sim: Simulator;

  simulatorPerTest({ tickMs: 0, credentials: [{ key: KEY, secret: SECRET }] }, (s) => (sim = s));

  /** Order requests the simulator received on /v5/trade (auth and pings left out). */
  const orderRequests = () => sim.requests.filter((r) => r.path === TRADE && typeof r.op === 'string' && r.op.startsWith('order.'));

  async function deploy(flow: FlowNode[], connExtra: Record<string, unknown> = { allowOrders: true }): Promise<void> {
    sim.injectBalance({ coin: 'USDT', walletBalance: '1000000' });
    await loadFlow([connection(sim, connExtra), ...flow, ...catcher(), ...completer(['oe'])], CREDENTIALS, [keepSubstitutions]);
  }

  /** Sends one msg and resolves with what the node sent, or rejects with the error Catch saw. */
  async function send(msg: Record<string, unknown>): Promise<Msg> {
    const out = nextMsg('oe-out', (m) => m.tag === msg.tag);
    const caught = nextMsg('caught', (m) => m.tag === msg.tag);
    const done = await inject('oe', msg);
    if (done.error) throw new Error(done.error.message);
    return Promise.race([out, caught.then((m) => Promise.reject(new Error(m.error?.message)))]);
  }

  /** Sends one msg that must fail; resolves with the Catch node's msg. */
  async function refused(msg: Record<string, unknown>): Promise<Msg> {
    const caught = nextMsg('caught', (m) => m.tag === msg.tag);
    getNode('oe').receive(msg);
    return caught;
  }

  it('creates, amends and cancels an order: one reply each, msg properties kept, orderLinkId made up and returned', async function () {
    await deploy(entryNode());
    const created = await send({ tag: 'c', topic: 'mine', correlation: { row: 7 }, payload: limitBuy() });
    const p = payload(created);
    assert.equal(p.retCode, 0);
    assert.equal(p.retMsg, 'OK');
    assert.equal(p.op, 'order.create');
    assert.match(String(p.orderId), /.{8,}/);
    assert.match(String(p.orderLinkId), /^nr-[0-9a-z]+-[0-9a-f]{16}$/);
    assert.ok(String(p.orderLinkId).length <= 36);
    const header = p.header as Record<string, string>;
    assert.equal(header['X-Bapi-Limit'], '10', 'rate-limit header of linear order.create');
    assert.equal(header['X-Bapi-Limit-Status'], '9');
    assert.deepEqual([created.topic, created.correlation], ['mine', { row: 7 }]);

    const amended = await send({ tag: 'a', action: 'amend', payload: { category: 'linear', symbol: 'BTCUSDT', orderLinkId: p.orderLinkId, price: 21000 } });
    assert.deepEqual([payload(amended).retCode, payload(amended).op, payload(amended).orderId], [0, 'order.amend', p.orderId]);
    const amendFrame = orderRequests().find((r) => r.op === 'order.amend')!;
    assert.equal((amendFrame.args![0] as Record<string, unknown>).price, '21000', 'a number goes out as Bybit\'s decimal string');

    const cancelled = await send({ tag: 'x', action: 'cancel', payload: { category: 'linear', symbol: 'BTCUSDT', orderId: p.orderId } });
    assert.deepEqual([payload(cancelled).retCode, payload(cancelled).op, payload(cancelled).orderLinkId], [0, 'order.cancel', p.orderLinkId]);
    const order = sim.trade.orders(KEY).find((o) => o.orderId === p.orderId)!;
    assert.equal(order.status, 'Cancelled');
    assert.equal(order.price, 21_000n * 10n ** BigInt(String(order.price).length - 5), 'the amended price is what Bybit holds');
    assert.deepEqual(orderRequests().map((r) => r.op), ['order.create', 'order.amend', 'order.cancel'], 'one request per msg');
  });

  const REFUSALS: { name: string; before?: (sim: Simulator) => Promise<unknown> | void; msgs: Record<string, unknown>[]; code: number; text: string }[] = [
    { name: 'cancel of an unknown order', msgs: [{ action: 'cancel', payload: { category: 'linear', symbol: 'BTCUSDT', orderId: 'nope-1' } }], code: 110001, text: 'order not exists or too late to cancel' },
    { name: 'amend of an unknown order', msgs: [{ action: 'amend', payload: { category: 'linear', symbol: 'BTCUSDT', orderLinkId: 'nope-2', qty: '0.02' } }], code: 110001, text: 'order not exists or too late to replace' },
    { name: 'spot cancel of an unknown order', msgs: [{ action: 'cancel', payload: { category: 'spot', symbol: 'BTCUSDT', orderId: 'nope-3' } }], code: 170213, text: 'Order does not exist.' },
    { name: 'insufficient balance', msgs: [{ payload: limitBuy({ qty: '100000' }) }], code: 110007, text: 'Available balance is insufficient' },
    { name: 'spot insufficient balance', msgs: [{ payload: { category: 'spot', symbol: 'ETHBTC', side: 'Buy', orderType: 'Limit', qty: '1', price: '0.05' } }], code: 170131, text: 'Balance insufficient' },
    { name: 'duplicate orderLinkId', msgs: [{ payload: limitBuy({ orderLinkId: 'dup-1' }) }, { payload: limitBuy({ orderLinkId: 'dup-1' }) }], code: 110072, text: 'OrderLinkedID is duplicate' },
    { name: 'spot duplicate orderLinkId', msgs: [{ payload: { category: 'spot', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: '0.01', price: '20000', orderLinkId: 'dup-2' } }, { payload: { category: 'spot', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: '0.01', price: '20000', orderLinkId: 'dup-2' } }], code: 170141, text: 'Duplicate clientOrderId' },
    { name: 'hedge-mode positionIdx', msgs: [{ payload: limitBuy({ positionIdx: 1 }) }], code: 10001, text: 'position idx not match position mode' },
    { name: 'a rate limit the server lowered (two requests sent before its header is known)', before: (s) => control(s, '/control/trade-rate-limit', { limit: 1 }), msgs: [{ payload: limitBuy() }, { payload: limitBuy() }], code: 10006, text: 'Too many visits!' },
  ];

  for (const r of REFUSALS) {
    it(`${r.name}: Bybit's ${r.code} reaches a Catch node in Bybit's words, no msg out`, async function () {
      await deploy(entryNode());
      await r.before?.(sim);
      const out = collect('oe-out');
      const caught = nextMsg('caught', (m) => (m.error?.message ?? '').includes(String(r.code)));
      const accepted = r.msgs.length > 1 ? nextMsg('oe-out') : undefined;
      for (const [i, m] of r.msgs.entries()) getNode('oe').receive({ ...m, tag: `t${i}` });
      const got = await caught;
      await accepted;
      assert.ok(got.error!.message.includes(`errors.order.refused {"op":"order.${r.msgs[0].action ?? 'create'}","retCode":${r.code},"retMsg":${JSON.stringify(r.text)}`), got.error!.message);
      assert.equal(out.stop().length, r.msgs.length - 1, 'only the accepted requests send a msg');
      assert.equal(orderRequests().length, r.msgs.length, 'each msg sent once');
    });
  }

  it('no reply: done(err) once with "unknown", never sent again; the next order still goes', async function () {
    helper.settings({ bybitWs: { orderTimeoutMs: 300 } });
    await deploy(entryNode());
    await control(sim, '/control/trade-silence', { n: 1 });
    const caught = collect('caught');
    const err = await refused({ tag: 's', payload: limitBuy({ orderLinkId: 'silent-1' }) });
    assert.match(err.error!.message, /orderLinkId silent-1|silent-1/);
    assert.match(err.error!.message, /unknown, check the order stream/);
    const next = await send({ tag: 'n', payload: limitBuy({ orderLinkId: 'after-1' }) });
    assert.equal(payload(next).retCode, 0);
    assert.equal(orderRequests().filter((r) => JSON.stringify(r.args).includes('silent-1')).length, 1, 'sent exactly once');
    assert.equal(caught.stop().filter((m) => m.tag === 's').length, 1, 'one error for the msg');
    helper.settings({});
  });

  it('a dropped trade socket fails the request in flight as unknown and does not resend it', async function () {
    await deploy(entryNode());
    await send({ tag: 'warm', payload: limitBuy() });
    await control(sim, '/control/trade-silence', { n: 1 });
    const caught = nextMsg('caught', (m) => m.tag === 'd');
    const sent = sim.waitFor('request', (r: { path: string; op?: string }) => r.path === TRADE && r.op === 'order.create');
    getNode('oe').receive({ tag: 'd', payload: limitBuy({ orderLinkId: 'dropped-1' }) });
    await sent;
    sim.dropAll({ path: TRADE, mode: 'terminate' });
    const err = await caught;
    assert.match(err.error!.message, /dropped before Bybit replied: unknown, check the order stream/);
    const again = await send({ tag: 'after', payload: limitBuy() });
    assert.equal(payload(again).retCode, 0, 'the socket came back for the next order');
    assert.equal(orderRequests().filter((r) => JSON.stringify(r.args).includes('dropped-1')).length, 1);
  });

  it('with allowOrders off nothing reaches the server: red status, and every msg fails saying why', async function () {
    await deploy(entryNode(), {});
    assert.equal(lastStatus('oe')?.text, `${SHARED}status.ordersOff {}`);
    assert.equal(lastStatus('oe')?.fill, 'red');
    const err = await refused({ tag: 'o', payload: limitBuy() });
    assert.match(err.error!.message, /errors\.ordersOff/);
    assert.equal(sim.requests.filter((r) => r.path === TRADE).length, 0, 'no trade socket frame at all');
  });

  it('the guards refuse an oversize order before sending', async function () {
    await deploy(entryNode({ maxQty: '0.05', maxNotional: '1000' }), { allowOrders: true });
    const tooMuch = await refused({ tag: 'q', payload: limitBuy({ qty: '0.06' }) });
    assert.match(tooMuch.error!.message, /errors\.order\.maxQty.*"qty":"0\.06".*"max":"0\.05"/);
    const tooDear = await refused({ tag: 'v', payload: limitBuy({ qty: '0.04', price: '30000' }) });
    assert.match(tooDear.error!.message, /errors\.order\.maxNotional.*"notional":"1200"/);
    const market = await refused({ tag: 'm', payload: { category: 'linear', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Market', qty: '0.01' } });
    assert.match(market.error!.message, /errors\.order\.guardMarket/);
    const ok = await send({ tag: 'ok', payload: limitBuy({ qty: '0.04', price: '20000' }) });
    assert.equal(payload(ok).retCode, 0, 'within both guards it goes');
    assert.equal(orderRequests().length, 1, 'only the order within the guards was sent');
  });

  it('refuses unreadable orders before sending: missing fields, wrong words, bad numbers, bad symbols', async function () {
    await deploy(entryNode(), { allowOrders: true });
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ payload: limitBuy({ side: 'buy' }) }, /errors\.order\.word.*side/],
      [{ payload: limitBuy({ orderType: 'Stop' }) }, /errors\.order\.word.*orderType/],
      [{ payload: limitBuy({ qty: '-1' }) }, /errors\.order\.decimal.*qty/],
      [{ payload: limitBuy({ qty: 0 }) }, /errors\.order\.decimal.*qty/],
      [{ payload: limitBuy({ price: undefined }) }, /errors\.order\.required.*price/],
      [{ payload: limitBuy({ category: 'futures' }) }, /errors\.order\.category/],
      [{ payload: limitBuy({ symbol: 'btc usdt' }) }, /errors\.order\.symbol/],
      [{ payload: limitBuy({ category: 'option' }) }, /errors\.order\.symbol/],
      [{ action: 'cancel', payload: { category: 'linear', symbol: 'BTCUSDT' } }, /errors\.order\.reference/],
      [{ action: 'close', payload: limitBuy() }, /errors\.order\.action/],
      [{ payload: 'BTCUSDT' }, /errors\.order\.payload/],
    ];
    for (const [i, [msg, want]] of cases.entries()) {
      const err = await refused({ ...msg, tag: `b${i}` });
      assert.match(err.error!.message, want);
    }
    assert.equal(orderRequests().length, 0);
  });

  it('queues requests over Bybit\'s per-op limit instead of drawing 10006', async function () {
    await deploy(entryNode());
    const n = 12; // linear order.create: 10 per second (rate-limit.mdx)
    const outs = Array.from({ length: n }, (_, i) => nextMsg('oe-out', (m) => m.tag === `r${i}`, 8000));
    const caught = collect('caught');
    for (let i = 0; i < n; i++) getNode('oe').receive({ tag: `r${i}`, payload: limitBuy() });
    const got = await Promise.all(outs);
    assert.deepEqual(got.map((m) => payload(m).retCode), Array(n).fill(0));
    assert.equal(caught.stop().length, 0);
  });

  it('an order placed by the node comes back as order and execution msgs on the same connection', async function () {
    await deploy([
      ...entryNode(),
      ...paletteNode('bybit-order', { symbols: '', category: 'linear' }, 'ord'),
      ...paletteNode('bybit-execution', { symbols: '', category: 'linear' }, 'exe'),
    ]);
    // The order is linear: the nodes follow that category's own topics (a spot node never sends a linear item).
    await sim.waitFor('subscribe', () => ['order.linear', 'execution.linear'].every((t) => sim.subscriptions(PRIVATE).includes(t)));
    const ask = sim.market.book('BTCUSDT', 1).view().asks[0][0];
    const order = nextMsg('ord-out', (m) => payload(m).clientOrderId === 'fill-1' && payload(m).status === 'Filled');
    const fill = nextMsg('exe-out', (m) => payload(m).clientOrderId === 'fill-1' || (m.raw !== undefined && JSON.stringify(m).includes('fill-1')));
    const reply = await send({ tag: 'f', payload: limitBuy({ price: String(Number(ask) + 100), orderLinkId: 'fill-1', timeInForce: 'IOC' }) });
    assert.equal(payload(reply).retCode, 0);
    assert.equal(payload(await order).orderId, payload(reply).orderId);
    assert.equal(payload(await fill).orderId, payload(reply).orderId);
  });

  it('a wrong secret: Bybit\'s 10004 reaches a Catch node once, the order fails saying so and is never sent', async function () {
    sim.injectBalance({ coin: 'USDT', walletBalance: '1000000' });
    await loadFlow([connection(sim, { allowOrders: true }), ...entryNode(), ...catcher()], { conn: { apiKey: KEY, apiSecret: 'wrong-secret' } }, [keepSubstitutions]);
    const atDeploy = await nextMsg('caught');
    assert.match(atDeploy.error!.message, /errors\.authFailed.*10004 Error sign, please check your signature generation algorithm\./);
    const err = await refused({ tag: 'w', payload: limitBuy() });
    assert.match(err.error!.message, /errors\.authFailed.*10004 Error sign/);
    assert.equal(orderRequests().length, 0, 'no order on a socket that is not authenticated');
    assert.equal(lastStatus('oe')?.fill, 'red');
  });

  it('on a demo connection the node says demo trading has no Trade API and sends nothing', async function () {
    await loadFlow([{ id: 'conn', type: 'bybit-connection', network: 'demo', api: 'v5', allowOrders: true }, ...entryNode(), ...catcher()], CREDENTIALS, [keepSubstitutions]);
    assert.equal(lastStatus('oe')?.text, `${SHARED}status.demoNoTrade {}`);
    const err = await refused({ tag: 'demo', payload: limitBuy() });
    assert.match(err.error!.message, /errors\.demoNoTrade/);
  });
});
