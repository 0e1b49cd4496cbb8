/**
 * Account, order and execution nodes in the real Node-RED runtime, over real sockets to the
 * simulator's V5 private endpoint: auth, normalized and raw output, the symbol filter, the
 * stream switch, auth failures, missing credentials, and credentials never leaking.
 */
import assert from 'node:assert/strict';
import type { Simulator } from '../src/simulator';
import { catcher, collect, completer, connection, getNode, helper, inject, keepSubstitutions, loadFlow, nextMsg, nextStatus, paletteNode, SHARED, simulatorPerTest, type FlowNode, type Msg } from './support/flows';

const KEY = 'node-key-71be';
const SECRET = 'node-secret-e93a';
const PRIVATE = '/v5/private';
const CREDENTIALS = { conn: { apiKey: KEY, apiSecret: SECRET } };

type Status = { fill?: string; shape?: string; text?: string };
interface SpyCall {
  thisValue: { id?: string };
  args: unknown[];
}

/** Every call of a Node method since the flow was loaded (the helper spies on Node.prototype). */
function calls(method: 'status' | 'log' | 'warn' | 'error' | 'send'): SpyCall[] {
  return (helper._NodePrototype[method] as { getCalls(): SpyCall[] }).getCalls();
}

function statusesOf(id: string): Status[] {
  return calls('status').filter((c) => c.thisValue.id === id).map((c) => (c.args[0] ?? {}) as Status);
}

/** A status already shown (e.g. at deploy) or the next one that matches. */
async function statusSeen(id: string, pred: (s: Status) => boolean): Promise<Status> {
  const seen = statusesOf(id).find(pred);
  return seen ?? nextStatus(id, pred);
}

function privateNode(type: string, extra: Record<string, unknown> = {}, id = 'n1'): FlowNode[] {
  return paletteNode(type, { symbols: '', ...extra }, id);
}

const payload = (m: Msg) => m.payload as Record<string, unknown>;

describe('private nodes: account, order, execution', function () {
  let sim: Simulator;

  simulatorPerTest({ tickMs: 0, credentials: [{ key: KEY, secret: SECRET }] }, (s) => (sim = s));

  /** Deploys and waits until the simulator holds `topics` on the private socket. */
  async function deploy(flow: FlowNode[], topics: string[], credentials: Record<string, unknown> = CREDENTIALS, before: unknown[] = []): Promise<void> {
    const subscribed = sim.waitFor('subscribe', () => topics.every((t) => sim.subscriptions(PRIVATE).includes(t)));
    await loadFlow([connection(sim), ...flow], credentials, before);
    await subscribed;
  }

  it('streams an order lifecycle as normalized order.<SYMBOL> messages, in order', async function () {
    await deploy(privateNode('bybit-order'), ['order.spot']);
    await statusSeen('n1', (s) => s.fill === 'green' && s.text === `${SHARED}status.streamAll`);
    const got = collect('n1-out');
    const filled = nextMsg('n1-out', (m) => payload(m).status === 'Filled');
    const orderId = sim.orderLifecycle({ symbol: 'BTCUSDT', side: 'Buy', price: '30000', qty: '0.01', orderLinkId: 'my-1', fills: 2 });
    await filled;
    const cancelled = nextMsg('n1-out', (m) => payload(m).status === 'PartiallyFilledCanceled');
    const second = sim.placeOrder({ symbol: 'ETHUSDT', side: 'Sell', price: '2000', qty: '1' });
    sim.fillOrder(second, '0.25');
    sim.cancelOrder(second);
    await cancelled;
    const msgs = got.stop();

    assert.deepEqual(msgs.map((m) => [m.topic, m.symbol, payload(m).orderId, payload(m).status]), [
      ['order.BTCUSDT', 'BTCUSDT', orderId, 'New'],
      ['order.BTCUSDT', 'BTCUSDT', orderId, 'PartiallyFilled'],
      ['order.BTCUSDT', 'BTCUSDT', orderId, 'Filled'],
      ['order.ETHUSDT', 'ETHUSDT', second, 'New'],
      ['order.ETHUSDT', 'ETHUSDT', second, 'PartiallyFilled'],
      ['order.ETHUSDT', 'ETHUSDT', second, 'PartiallyFilledCanceled'],
    ]);
    const order = sim.accounts.order(orderId);
    assert.ok(order);
    assert.deepEqual(msgs[0].payload, {
      category: 'spot', symbol: 'BTCUSDT', orderId, clientOrderId: 'my-1', side: 'Buy', type: 'Limit', timeInForce: 'GTC',
      price: 30000, qty: 0.01, status: 'New', cumQty: 0, cumQuote: 0, avgPrice: null,
      createdTime: order.createdTime, updatedTime: order.createdTime,
      // order.mdx: plain orders carry cancelType UNKNOWN, rejectReason EC_NoError, stopOrderType "" (null), triggerPrice 0 (null).
      marketUnit: null, leavesQty: 0.01, fee: 0, triggerPrice: null, stopOrderType: null, rejectReason: 'EC_NoError', cancelType: 'UNKNOWN',
    });
    assert.deepEqual(msgs[1].payload, { ...payload(msgs[0]), status: 'PartiallyFilled', cumQty: 0.005, cumQuote: 150, avgPrice: 30000, updatedTime: payload(msgs[1]).updatedTime,
      leavesQty: 0.005, fee: payload(msgs[1]).fee });
    assert.deepEqual(msgs[2].payload, { ...payload(msgs[0]), status: 'Filled', cumQty: 0.01, cumQuote: 300, avgPrice: 30000, updatedTime: order.updatedTime,
      leavesQty: 0, fee: payload(msgs[2]).fee });
    assert.equal(payload(msgs[3]).clientOrderId, null);
    assert.deepEqual([payload(msgs[5]).cumQty, payload(msgs[5]).cumQuote], [0.25, 500]);
  });

  it('sends each fill as a normalized execution.<SYMBOL> message', async function () {
    await deploy(privateNode('bybit-execution'), ['execution.spot']);
    const got = nextMsg('n1-out');
    const orderId = sim.placeOrder({ symbol: 'ETHUSDT', side: 'Sell', price: '2000', qty: '1', orderLinkId: 'e-1' });
    const fill = sim.fillOrder(orderId, '0.4');
    const msg = await got;
    assert.equal(msg.topic, 'execution.ETHUSDT');
    assert.equal(msg.symbol, 'ETHUSDT');
    const p = payload(msg);
    assert.deepEqual({ ...p, fee: 0 }, {
      category: 'spot', symbol: 'ETHUSDT', execId: fill.execId, orderId, clientOrderId: 'e-1', side: 'Sell',
      price: 2000, qty: 0.4, fee: 0, feeCoin: 'USDT', isMaker: false, time: fill.time,
      execValue: 800, feeRate: p.feeRate, execType: 'Trade', orderType: 'Limit', seq: p.seq,
    });
    assert.ok(typeof p.fee === 'number' && p.fee > 0 && p.fee < 8, `fee ${p.fee}`);
  });

  it('sends balance changes as account messages with total, free and locked', async function () {
    await deploy(privateNode('bybit-account', { symbols: undefined }), ['wallet']);
    await statusSeen('n1', (s) => s.fill === 'green' && s.text === `${SHARED}status.streamAccount`);
    const got = nextMsg('n1-out');
    sim.injectBalance({ coin: 'USDT', walletBalance: '1000', locked: '250.5' });
    const msg = await got;
    assert.equal(msg.topic, 'account');
    assert.equal('symbol' in msg, false);
    const p = payload(msg);
    assert.ok(typeof p.time === 'number' && p.time > 1.6e12);
    assert.deepEqual(p.balances, [{ coin: 'USDT', total: 1000, free: 749.5, locked: 250.5, borrowed: 0, equity: 1000, usdValue: 1000 }]);
  });

  it('passes the exchange data items through in raw mode', async function () {
    await deploy([...privateNode('bybit-order', { output: 'raw' }), ...privateNode('bybit-account', { output: 'raw' }, 'acc')], ['order.spot', 'wallet']);
    const order = nextMsg('n1-out');
    const account = nextMsg('acc-out');
    sim.placeOrder({ symbol: 'BTCUSDT', side: 'Buy', price: '30000', qty: '0.01', orderLinkId: 'raw-1' });
    sim.injectBalance({ coin: 'BTC', walletBalance: '0.5' });
    const o = payload(await order);
    assert.equal(o.orderStatus, 'New');
    assert.equal(o.orderLinkId, 'raw-1');
    assert.equal(typeof o.price, 'string');
    const a = (await account).payload as Record<string, unknown>[];
    assert.equal(a[0].accountType, 'UNIFIED');
    assert.equal((a[0].coin as Record<string, unknown>[])[0].coin, 'BTC');
  });

  it('throttled: order updates arrive as arrays holding every update of their window, balances merge per coin', async function () {
    await deploy([...privateNode('bybit-order', { throttle: 150 }), ...privateNode('bybit-account', { throttle: 150 }, 'acc')], ['order.spot', 'wallet']);
    const orders = collect('n1-out');
    const statuses = (m: Msg) => (m.payload as Record<string, unknown>[]).map((p) => p.status);
    const windowed = nextMsg('n1-out', (m) => statuses(m).includes('Filled'));
    sim.orderLifecycle({ symbol: 'BTCUSDT', side: 'Buy', price: '100', qty: '1', fills: 3 });
    await windowed;
    const got = orders.stop();
    // The first update goes out at once; the rest of its window follows in one msg.
    assert.deepEqual(got.map((m) => [m.topic, statuses(m)]), [
      ['order.BTCUSDT', ['New']],
      ['order.BTCUSDT', ['PartiallyFilled', 'PartiallyFilled', 'Filled']],
    ]);

    const balances = collect('acc-out');
    const merged = nextMsg('acc-out', (m) => (payload(m).balances as unknown[]).length === 2);
    sim.injectBalance({ coin: 'USDT', walletBalance: '1' });
    sim.injectBalance({ coin: 'BTC', walletBalance: '2' });
    sim.injectBalance({ coin: 'USDT', walletBalance: '3' });
    const m = await merged;
    assert.equal(balances.stop().length, 2);
    // USDT 1 went out at once; the window's BTC 2 and USDT 3 fold into one msg, latest per coin.
    assert.deepEqual(payload(m).balances, [
      { coin: 'BTC', total: 2, free: 2, locked: 0, borrowed: 0, equity: 2, usdValue: (payload(m).balances as { usdValue: number }[])[0].usdValue },
      { coin: 'USDT', total: 3, free: 3, locked: 0, borrowed: 0, equity: 3, usdValue: 3 },
    ]);
  });

  it('filters orders and fills by symbol; an empty filter passes every symbol', async function () {
    await deploy([
      ...privateNode('bybit-order', { symbols: ' ethusdt, SOLUSDT' }, 'a'),
      ...privateNode('bybit-order', { symbols: '' }, 'b'),
      ...privateNode('bybit-execution', { symbols: 'ETHUSDT' }, 'c'),
    ], ['order.spot', 'execution.spot']);
    await statusSeen('a', (s) => s.fill === 'green' && s.text === `${SHARED}status.streamSymbols`);
    // Two order nodes, one server subscription.
    assert.deepEqual(sim.subscriptions(PRIVATE), ['execution.spot', 'order.spot']);
    const [a, b, c] = [collect('a-out'), collect('b-out'), collect('c-out')];
    const done = Promise.all([
      nextMsg('a-out', (m) => m.symbol === 'SOLUSDT' && payload(m).status === 'Filled'),
      nextMsg('b-out', (m) => m.symbol === 'SOLUSDT' && payload(m).status === 'Filled'),
      nextMsg('c-out', (m) => m.symbol === 'ETHUSDT'),
    ]);
    for (const symbol of ['BTCUSDT', 'ETHUSDT', 'SOLUSDT']) sim.orderLifecycle({ symbol, side: 'Buy', price: '10', qty: '1' });
    await done;
    const seen = (msgs: Msg[]) => [...new Set(msgs.map((m) => m.topic))];
    assert.deepEqual(seen(a.stop()), ['order.ETHUSDT', 'order.SOLUSDT']);
    assert.deepEqual(seen(b.stop()), ['order.BTCUSDT', 'order.ETHUSDT', 'order.SOLUSDT']);
    assert.deepEqual(seen(c.stop()), ['execution.ETHUSDT']);
  });

  it('authenticates once per socket and subscribes every private topic after the auth reply', async function () {
    sim.delayReplies(100);
    await deploy([
      ...privateNode('bybit-account', {}, 'acc'),
      ...privateNode('bybit-order', {}, 'ord'),
      ...privateNode('bybit-execution', { symbols: 'BTCUSDT' }, 'exe'),
    ], ['wallet', 'order.spot', 'execution.spot']);
    const mine = sim.requests.filter((r) => r.path === PRIVATE && r.op !== 'ping');
    assert.deepEqual(mine.map((r) => r.op), ['auth', 'subscribe']);
    assert.ok(mine[1].time - mine[0].time >= 90, 'subscribe waited for the auth reply');
    assert.deepEqual([...(mine[1].args as string[])].sort(), ['execution.spot', 'order.spot', 'wallet']);
    assert.equal(sim.clientCount(PRIVATE), 1);
    assert.equal(sim.connectionAttempts('/v5/public/spot'), 0, 'no public socket for private nodes');
    await statusSeen('acc', (s) => s.fill === 'green' && s.text === `${SHARED}status.streamAccount`);
    await statusSeen('ord', (s) => s.fill === 'green' && s.text === `${SHARED}status.streamAll`);
    await statusSeen('exe', (s) => s.fill === 'green' && s.text === `${SHARED}status.streamSymbols`);
  });

  it('re-authenticates and resubscribes after the server drops the socket', async function () {
    helper.settings({ bybitWs: { reconnectBaseMs: 20 } });
    await deploy([...privateNode('bybit-order'), ...privateNode('bybit-account', {}, 'acc')], ['order.spot', 'wallet']);
    const reauth = sim.waitFor('request', (r) => r.path === PRIVATE && r.op === 'auth');
    const back = sim.waitFor('subscribe', () => sim.subscriptions(PRIVATE).length === 2 && sim.clientCount(PRIVATE) === 1);
    sim.dropAll({ mode: 'terminate' });
    await nextStatus('n1', (s) => s.text === `${SHARED}status.reconnecting`);
    await reauth;
    await back;
    const ops = sim.requests.filter((r) => r.path === PRIVATE && r.op !== 'ping').map((r) => r.op);
    assert.deepEqual(ops, ['auth', 'subscribe', 'auth', 'subscribe']);
    assert.deepEqual(sim.subscriptions(PRIVATE), ['order.spot', 'wallet']);
    await statusSeen('n1', (s) => s.fill === 'green');
    const got = nextMsg('n1-out', (m) => payload(m).status === 'Filled');
    sim.orderLifecycle({ symbol: 'BTCUSDT', side: 'Buy', price: '100', qty: '1' });
    assert.equal((await got).topic, 'order.BTCUSDT');
  });

  it('a rejected key turns every private node red with one error each, retries slowly and recovers', async function () {
    helper.settings({ bybitWs: { authRetryMs: 200, reconnectBaseMs: 10 } });
    sim.setAuthRejection(true, 'Params Error');
    await loadFlow([connection(sim), ...privateNode('bybit-order'), ...privateNode('bybit-execution', {}, 'n2'), ...catcher()], CREDENTIALS);
    await statusSeen('n1', (s) => s.fill === 'red' && s.text === `${SHARED}status.authFailed`);
    await statusSeen('n2', (s) => s.fill === 'red' && s.text === `${SHARED}status.authFailed`);
    const redAt = statusesOf('n1').length;
    await sim.waitFor('request', () => sim.requests.filter((r) => r.op === 'auth').length >= 4);
    const errors = calls('error').filter((c) => c.thisValue.id === 'n1' || c.thisValue.id === 'n2');
    assert.deepEqual(errors.map((c) => [c.thisValue.id, c.args[0]]).sort(), [['n1', `${SHARED}errors.authFailed`], ['n2', `${SHARED}errors.authFailed`]]);
    assert.deepEqual(sim.subscriptions(PRIVATE), []);
    // Retries do not flash "reconnecting": the nodes keep saying why they are red.
    assert.deepEqual(statusesOf('n1').slice(redAt), []);

    sim.setAuthRejection(false);
    await sim.waitFor('subscribe', () => sim.subscriptions(PRIVATE).length === 2);
    await statusSeen('n1', (s) => s.fill === 'green');
    await statusSeen('n2', (s) => s.fill === 'green');
    assert.equal(calls('error').filter((c) => c.thisValue.id === 'n1').length, 1);
    const caught = calls('send').filter((c) => c.thisValue.id === 'catcher').map((c) => (c.args[0] as Msg).error?.message);
    assert.deepEqual(caught, [`${SHARED}errors.authFailed`, `${SHARED}errors.authFailed`], "a Catch node sees each node's error once");
  });

  it('a wrong secret is refused by the simulator and the status names the server reason', async function () {
    helper.settings({ bybitWs: { authRetryMs: 60_000 } });
    await loadFlow([connection(sim), ...privateNode('bybit-order')], { conn: { apiKey: KEY, apiSecret: 'wrong-secret' } }, [keepSubstitutions]);
    const red = await statusSeen('n1', (s) => s.fill === 'red');
    assert.equal(red.text, `${SHARED}status.authFailed {"detail":"Params Error"}`);
    assert.deepEqual(sim.subscriptions(PRIVATE), []);
    assert.equal(sim.requests.filter((r) => r.op === 'subscribe').length, 0, 'nothing subscribed before a successful auth');
  });

  it('never shows the key or the secret in any status, log, warning, error or msg', async function () {
    helper.settings({ bybitWs: { authRetryMs: 100, reconnectBaseMs: 10 } });
    // The server echoes the credentials in its reason: they must be scrubbed before anyone sees them.
    sim.setAuthRejection(true, `key ${KEY} secret ${SECRET} not accepted`);
    const msgs: Msg[] = [];
    await loadFlow([
      connection(sim, { allowOrders: true }),
      ...privateNode('bybit-order', { symbols: 'BTCUSDT' }),
      ...privateNode('bybit-execution', {}, 'n2'),
      ...privateNode('bybit-account', {}, 'n3'),
      { id: 'n4', type: 'bybit-order-entry', connection: 'conn', maxQty: '', maxNotional: '', wires: [['n4-out']] },
      { id: 'n4-out', type: 'helper' },
      ...catcher(),
      ...completer(['n1', 'n2', 'n3', 'n4']),
    ], CREDENTIALS, [keepSubstitutions]);
    for (const id of ['n1-out', 'n2-out', 'n3-out', 'n4-out', 'caught', 'completed']) getNode(id).on('input', (m: Msg) => msgs.push(m));
    await statusSeen('n1', (s) => s.fill === 'red');
    // The order entry node's own socket is refused with the same words: scrubbed there too.
    await statusSeen('n4', (s) => s.fill === 'red');
    const orderRefused = nextMsg('caught', (m) => m.tag === 'refused-order');
    getNode('n4').receive({ tag: 'refused-order', payload: { category: 'spot', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: '0.001', price: '100' } });
    await orderRefused;
    sim.setAuthRejection(false);
    await sim.waitFor('subscribe', () => sim.subscriptions(PRIVATE).length === 3);
    const filled = nextMsg('n1-out', (m) => payload(m).status === 'Filled');
    sim.orderLifecycle({ symbol: 'BTCUSDT', side: 'Buy', price: '100', qty: '1', fills: 2 });
    sim.injectBalance({ coin: 'USDT', walletBalance: '5' });
    await filled;
    // The trade socket retries its auth (authRetryMs) and places an order with the same key.
    await statusSeen('n4', (s) => s.fill === 'green');
    const placed = nextMsg('n4-out');
    getNode('n4').receive({ payload: { category: 'spot', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: '0.001', price: '100' } });
    assert.equal(payload(await placed).retCode, 0);
    await inject('n1', { action: 'list' });
    const refused = nextMsg('caught', (m) => /accountSymbols/.test(m.error?.message ?? ''));
    getNode('n3').receive({ action: 'subscribe', symbol: 'BTCUSDT' });
    await refused;
    sim.dropAll({ mode: 'terminate' });
    await sim.waitFor('subscribe', () => sim.subscriptions(PRIVATE).length === 3);

    const captured = JSON.stringify(
      {
        log: helper.log().getCalls().map((c: SpyCall) => c.args),
        status: calls('status').map((c) => c.args),
        warn: calls('warn').map((c) => c.args),
        error: calls('error').map((c) => c.args),
        nodeLog: calls('log').map((c) => c.args),
        send: calls('send').map((c) => c.args),
        msgs,
      },
      (_k, v: unknown) => (v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v),
    );
    // The capture is real: it holds the scrubbed server reason and the streamed data.
    assert.ok(captured.includes('key *** secret *** not accepted'), 'the auth failure reason was captured');
    assert.ok(captured.includes('order.BTCUSDT') && captured.includes('account'));
    assert.ok(captured.includes('order.create') && captured.includes('X-Bapi-Limit'), 'the order entry reply was captured');
    assert.equal(captured.includes(SECRET), false, 'secret leaked');
    assert.equal(captured.includes(KEY), false, 'API key leaked');
  });

  it('without credentials: red status at deploy, one error, no private socket; public nodes still work', async function () {
    await loadFlow([
      connection(sim),
      ...privateNode('bybit-order'),
      ...privateNode('bybit-account', {}, 'n2'),
      ...paletteNode('bybit-trade', {}, 'pub'),
      ...catcher(),
    ], {});
    await sim.waitFor('subscribe', (ev) => ev.path === '/v5/public/spot');
    for (const id of ['n1', 'n2']) {
      await statusSeen(id, (s) => s.fill === 'red' && s.text === `${SHARED}status.noCredentials`);
      assert.deepEqual(calls('error').filter((c) => c.thisValue.id === id).map((c) => c.args[0]), [`${SHARED}errors.noCredentials`]);
    }
    const caught = nextMsg('caught');
    getNode('n1').receive({ action: 'subscribe' });
    assert.equal((await caught).error?.message, `Error: ${SHARED}errors.noCredentials`);
    assert.equal(sim.connectionAttempts(PRIVATE), 0);
    assert.equal(sim.connectionAttempts('/v5/public/spot'), 1);
  });

  it('refuses to send credentials over plain ws:// to another host', async function () {
    await loadFlow([connection(sim, { privateUrl: 'ws://192.0.2.1:8765/v5/private' }), ...privateNode('bybit-order'), ...catcher()], CREDENTIALS);
    await statusSeen('n1', (s) => s.fill === 'red' && s.text === `${SHARED}status.insecure`);
    assert.deepEqual(calls('error').filter((c) => c.thisValue.id === 'n1').map((c) => c.args[0]), [`${SHARED}errors.insecure`]);
    assert.equal(sim.connectionAttempts(), 0);
  });

  it('subscribe and unsubscribe switch the stream; symbols change the filter; list sends it', async function () {
    await deploy([...privateNode('bybit-order'), ...privateNode('bybit-account', {}, 'acc'), ...completer(['n1'])], ['order.spot', 'wallet']);
    const list = async () => {
      const listed = nextMsg('n1-out', (m) => m.topic === 'subscriptions');
      await inject('n1', { action: 'list' });
      const m = await listed;
      return [m.payload, m.active];
    };
    assert.deepEqual(await list(), [[], true]);

    let unsub = sim.waitFor('unsubscribe', (ev) => ev.path === PRIVATE);
    await inject('n1', { action: 'unsubscribe' });
    assert.deepEqual((await unsub).topics, ['order.spot']);
    await statusSeen('n1', (s) => s.fill === 'grey' && s.text === `${SHARED}status.streamOff`);
    assert.deepEqual(await list(), [[], false]);
    assert.deepEqual(sim.subscriptions(PRIVATE), ['wallet'], 'the account node keeps its stream');

    const sub = sim.waitFor('subscribe', (ev) => ev.path === PRIVATE);
    await inject('n1', { action: 'subscribe', symbol: 'ETHUSDT' });
    assert.deepEqual((await sub).topics, ['order.spot']);
    await inject('n1', { action: 'subscribe', payload: ['SOLUSDT'] });
    assert.deepEqual(await list(), [['ETHUSDT', 'SOLUSDT'], true]);
    await statusSeen('n1', (s) => s.fill === 'green' && s.text === `${SHARED}status.streamSymbols`);

    const got = collect('n1-out');
    const eth = nextMsg('n1-out', (m) => m.symbol === 'ETHUSDT' && payload(m).status === 'Filled');
    sim.orderLifecycle({ symbol: 'BTCUSDT', side: 'Buy', price: '10', qty: '1' });
    sim.orderLifecycle({ symbol: 'ETHUSDT', side: 'Buy', price: '10', qty: '1' });
    await eth;
    assert.deepEqual([...new Set(got.stop().map((m) => m.topic))], ['order.ETHUSDT']);

    // Removing the last filtered symbol switches the stream off rather than widening it.
    unsub = sim.waitFor('unsubscribe', (ev) => ev.path === PRIVATE);
    await inject('n1', { action: 'unsubscribe', symbol: 'ETHUSDT,SOLUSDT' });
    assert.deepEqual((await unsub).topics, ['order.spot']);
    assert.deepEqual(await list(), [[], false]);

    const again = sim.waitFor('subscribe', (ev) => ev.path === PRIVATE);
    await inject('n1', { action: 'subscribe' });
    assert.deepEqual((await again).topics, ['order.spot']);
    assert.deepEqual(await list(), [[], true]);
  });

  it('rejects bad input with done(err) and changes nothing', async function () {
    await deploy([...privateNode('bybit-order'), ...privateNode('bybit-account', {}, 'acc'), ...catcher()], ['order.spot', 'wallet']);
    const cases: [string, Record<string, unknown>, string][] = [
      ['acc', { action: 'subscribe', symbol: 'BTCUSDT' }, 'errors.accountSymbols'],
      ['acc', { action: 'unsubscribe', payload: 'BTCUSDT' }, 'errors.accountSymbols'],
      ['n1', { action: 'unsubscribe', symbol: 'BTCUSDT' }, 'errors.filterEmpty'],
      ['n1', { action: 'subscribe', symbol: 'btcusdt' }, 'errors.symbolInvalid'],
      ['n1', { action: 'subscribe', symbol: 42 }, 'errors.symbolType'],
      ['n1', { action: 'stop' }, 'errors.actionUnknown'],
      ['n1', { payload: 'BTCUSDT' }, 'errors.actionMissing'],
    ];
    const before = sim.requests.length;
    for (const [id, msg, key] of cases) {
      const caught = nextMsg('caught');
      getNode(id).receive(msg);
      assert.equal((await caught).error?.message, `Error: ${SHARED}${key}`, `${id} ${JSON.stringify(msg)}`);
    }
    assert.deepEqual(sim.requests.slice(before).filter((r) => r.op !== 'ping'), []);
    assert.deepEqual(sim.subscriptions(PRIVATE), ['order.spot', 'wallet']);
    const listed = nextMsg('n1-out', (m) => m.topic === 'subscriptions');
    getNode('n1').receive({ action: 'list' });
    assert.deepEqual([(await listed).payload, (await listed).active], [[], true]);
    const got = nextMsg('n1-out', (m) => m.topic === 'order.BTCUSDT');
    sim.placeOrder({ symbol: 'BTCUSDT', side: 'Buy', price: '10', qty: '1' });
    await got;
  });

  it('demo network: private socket on the demo host, public data from mainnet', async function () {
    await loadFlow([{ id: 'conn', type: 'bybit-connection', network: 'demo', api: 'v5', pingInterval: 20 }]);
    const conn = helper.getNode('conn') as { client?: { endpoints: Record<string, string> } };
    assert.deepEqual(conn.client?.endpoints, {
      public: 'wss://stream.bybit.com/v5/public/spot', private: 'wss://stream-demo.bybit.com/v5/private',
      'public-linear': 'wss://stream.bybit.com/v5/public/linear', 'public-inverse': 'wss://stream.bybit.com/v5/public/inverse', 'public-option': 'wss://stream.bybit.com/v5/public/option',
    });
  });
});

describe('spot v3 order node: order and stopOrder are one subscription', function () {
  const V3_PRIVATE = '/spot/private/v3';
  let sim: Simulator;

  simulatorPerTest({ tickMs: 0, credentials: [{ key: KEY, secret: SECRET }] }, (s) => (sim = s));

  const v3Connection = () => connection(sim, { api: 'spot-v3', publicUrl: sim.url('/spot/public/v3'), privateUrl: sim.url(V3_PRIVATE) });
  const subscribes = () => sim.requests.filter((r) => r.path === V3_PRIVATE && r.op === 'subscribe').map((r) => r.args);

  it('a refused stopOrder ends the subscribe in an error, holds no topic and closes the socket; closing the node releases both', async function () {
    // Bybit fails a whole request for one bad topic and names it.
    sim.rejectNext(1, 'error:handler not found,topic:stopOrder', 'stopOrder');
    const socketClosed = sim.waitFor('disconnect', (ev: { path: string }) => ev.path === V3_PRIVATE);
    await loadFlow([v3Connection(), ...privateNode('bybit-order'), ...completer(['n1']), ...catcher()], CREDENTIALS);
    // The refusal needs the auth and the subscribe round trips: it comes after the flow loaded.
    const caught = nextMsg('caught');
    assert.match((await caught).error?.message ?? '', /errors\.rejected$/);
    await statusSeen('n1', (s) => s.fill === 'red' && s.text === `${SHARED}status.refused`);
    // The sibling `order` is released with it: never sent again on its own, never held.
    await socketClosed;
    assert.deepEqual(subscribes(), [['order', 'stopOrder']]);
    assert.equal(sim.clientCount(V3_PRIVATE), 0);

    // Asked again (the server accepts now), both are held; once the node is gone, neither is.
    const done = await inject('n1', { action: 'subscribe' });
    assert.equal(done.error, undefined);
    assert.deepEqual(sim.subscriptions(V3_PRIVATE).sort(), ['order', 'stopOrder']);
    const closedAgain = sim.waitFor('disconnect', (ev: { path: string }) => ev.path === V3_PRIVATE);
    await helper.unload();
    await closedAgain;
    assert.equal(sim.clientCount(V3_PRIVATE), 0);
    assert.deepEqual(subscribes(), [['order', 'stopOrder'], ['order', 'stopOrder']]);
  });
});
