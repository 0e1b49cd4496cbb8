/**
 * Private streams in the engine, from plain Node.js against the simulator: the auth frame we
 * sign, auth before subscribe, re-auth after a drop, slow retries after a rejection, the
 * wss-or-loopback rule, and the demo network's endpoints.
 */
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { BybitClient, checkEndpointUrl, signAuth, type ConnectionStateEvent, type EngineError } from '../src/engine';
import { getDialect, type OutputItem } from '../src/dialects';
import { startSimulator, type Simulator } from '../src/simulator';
import { payloadOf } from './support/items';

const KEY = 'engine-key-4d2f';
const SECRET = 'engine-secret-8c1e';
const PRIVATE = '/v5/private';
const v5 = getDialect('v5');

/** Opens a raw socket, sends one frame, resolves with the dialect's reading of the first reply. */
async function rawAuth(url: string, frame: string): Promise<ReturnType<typeof v5.decode>> {
  const ws = new WebSocket(url);
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const reply = new Promise<string>((resolve) => ws.once('message', (data) => resolve(data.toString())));
    ws.send(frame);
    return v5.decode(await reply, 'private');
  } finally {
    ws.terminate();
  }
}

function nextState(client: BybitClient, pred: (ev: ConnectionStateEvent) => boolean, timeoutMs = 5000): Promise<ConnectionStateEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('state', on);
      reject(new Error(`no matching state within ${timeoutMs} ms`));
    }, timeoutMs);
    const on = (ev: ConnectionStateEvent) => {
      if (!pred(ev)) return;
      clearTimeout(timer);
      client.off('state', on);
      resolve(ev);
    };
    client.on('state', on);
  });
}

describe('V5 private frames, normalized (PROTOCOL.md vectors)', function () {
  const decodeItems = (text: string, channel: 'account' | 'order' | 'execution') => {
    const d = v5.decode(text, 'private');
    assert.equal(d.kind, 'data');
    return v5.normalize({ channel }, d.kind === 'data' ? d.frame : undefined);
  };

  it('wallet: total = walletBalance, free = total - locked', function () {
    const items = decodeItems(JSON.stringify({ id: '592324d2bce751-ad38-48eb-8f42-4671d1fb4d4e', topic: 'wallet', creationTime: 1700034722104,
      data: [{ accountType: 'UNIFIED', totalEquity: '3.31', coin: [{ coin: 'BTC', equity: '0.5', walletBalance: '0.5', locked: '0.1', usdValue: '18000' }] }] }), 'account');
    assert.deepEqual(items.map((i) => [i.topic, i.symbol, i.payload]), [['account', '', { category: 'spot', time: 1700034722104, balances: [{ coin: 'BTC', total: 0.5, free: 0.4, locked: 0.1, borrowed: null, equity: 0.5, usdValue: 18000 }] }]]);
  });

  it('order: V5 words, numbers, string ids, avgPrice null until filled', function () {
    const order = { category: 'spot', symbol: 'BTCUSDT', orderId: '1321052653536515584', orderLinkId: 'my-1', side: 'Buy',
      orderType: 'Limit', price: '30000', qty: '0.01', timeInForce: 'GTC', orderStatus: 'PartiallyFilled', avgPrice: '30000',
      leavesQty: '0.005', cumExecQty: '0.005', cumExecValue: '150', cumFeeDetail: { BTC: '0.000005' }, createdTime: '1672364262444', updatedTime: '1672364262457' };
    const frame = (o: object) => JSON.stringify({ id: '5923240c6880ab-c59f-420b-9adb-3639adc9dd90', topic: 'order', creationTime: 1672364262474, data: [o] });
    const [item] = decodeItems(frame(order), 'order');
    assert.equal(item.topic, 'order.BTCUSDT');
    assert.deepEqual(item.payload, { category: 'spot', symbol: 'BTCUSDT', orderId: '1321052653536515584', clientOrderId: 'my-1', side: 'Buy', type: 'Limit', timeInForce: 'GTC',
      price: 30000, qty: 0.01, status: 'PartiallyFilled', cumQty: 0.005, cumQuote: 150, avgPrice: 30000, createdTime: 1672364262444, updatedTime: 1672364262457,
      marketUnit: null, leavesQty: 0.005, fee: null, triggerPrice: null, stopOrderType: null, rejectReason: null, cancelType: null });
    assert.deepEqual(item.raw, order, 'raw mode gets the exchange item itself');
    const fresh = payloadOf(decodeItems(frame({ ...order, orderStatus: 'New', avgPrice: '0', cumExecQty: '0', cumExecValue: '0', orderLinkId: '' }), 'order')[0], 'order');
    assert.deepEqual([fresh.status, fresh.avgPrice, fresh.clientOrderId], ['New', null, null]);
    const conditional = payloadOf(decodeItems(frame({ ...order, orderStatus: 'Untriggered', cumExecQty: '0', avgPrice: '' }), 'order')[0], 'order');
    assert.equal(conditional.status, 'Untriggered');
  });

  it('execution: one item per fill, fee and fee coin, isMaker', function () {
    const items = decodeItems(JSON.stringify({ id: '592324803b2785-26fa-4214-9963-bdd4727f07be', topic: 'execution', creationTime: 1672364174455,
      data: [{ category: 'spot', symbol: 'BTCUSDT', orderId: '1321052653536515584', orderLinkId: 'my-1', side: 'Buy', execId: 'e0cbe81d-0f18-5866-9415-cf319b5dab3b',
        execPrice: '30000', execQty: '0.005', execValue: '150', execFee: '0.000005', feeCurrency: 'BTC', isMaker: false, execType: 'Trade', execTime: '1672364174443', seq: 4688002127 }] }), 'execution');
    assert.deepEqual(items.map((i) => [i.topic, i.payload]), [['execution.BTCUSDT', { category: 'spot', symbol: 'BTCUSDT', execId: 'e0cbe81d-0f18-5866-9415-cf319b5dab3b', orderId: '1321052653536515584',
      clientOrderId: 'my-1', side: 'Buy', price: 30000, qty: 0.005, fee: 0.000005, feeCoin: 'BTC', isMaker: false, time: 1672364174443,
      execValue: 150, feeRate: null, execType: 'Trade', orderType: null, seq: 4688002127 }]]);
  });
});

describe('private streams in the engine', function () {
  let sim: Simulator;
  let client: BybitClient | undefined;

  beforeEach(async function () {
    sim = await startSimulator({ port: 0, seed: 3, tickMs: 0, credentials: [{ key: KEY, secret: SECRET }] });
  });

  afterEach(async function () {
    await client?.close();
    client = undefined;
    await sim.close();
  });

  function privateClient(extra: Partial<ConstructorParameters<typeof BybitClient>[0]> = {}): BybitClient {
    client = new BybitClient({ network: 'custom', privateUrl: sim.url(PRIVATE), credentials: { apiKey: KEY, apiSecret: SECRET }, ...extra });
    return client;
  }

  it('signs the auth frame so the simulator accepts it, and a wrong secret or an expired time is refused', async function () {
    const url = sim.url(PRIVATE);
    const expires = Date.now() + 10_000;
    // Bybit's documented vector shape: hex HMAC-SHA256 of "GET/realtime" + expires.
    assert.match(signAuth(SECRET, expires), /^[0-9a-f]{64}$/);
    assert.notEqual(signAuth(SECRET, expires), signAuth(SECRET, expires + 1));

    const good = await rawAuth(url, v5.encodeAuth(KEY, expires, signAuth(SECRET, expires), 'a1'));
    assert.deepEqual(good, { kind: 'auth', success: true, message: '' });

    const wrong = await rawAuth(url, v5.encodeAuth(KEY, expires, signAuth('not-the-secret', expires), 'a2'));
    assert.equal(wrong.kind, 'auth');
    assert.equal(wrong.kind === 'auth' && wrong.success, false);

    const past = Date.now() - 1000;
    const expired = await rawAuth(url, v5.encodeAuth(KEY, past, signAuth(SECRET, past), 'a3'));
    assert.deepEqual(expired, { kind: 'auth', success: false, message: 'error:request expired' });
  });

  it('authenticates first and subscribes only after the auth reply', async function () {
    // Replies come 150 ms late: a client that did not wait would subscribe at once.
    sim.delayReplies(150);
    const c = privateClient();
    const items: OutputItem[] = [];
    const sub = c.subscriber({ items: (_s, got) => items.push(...got) });
    await Promise.all([sub.add({ channel: 'order' }), sub.add({ channel: 'execution' }), sub.add({ channel: 'account' })]);
    const mine = sim.requests.filter((r) => r.path === PRIVATE && (r.op === 'auth' || r.op === 'subscribe'));
    assert.deepEqual(mine.map((r) => r.op), ['auth', 'subscribe']);
    assert.ok(mine[1].time - mine[0].time >= 140, `subscribe sent ${mine[1].time - mine[0].time} ms after auth`);
    // One request for all three private topics.
    assert.deepEqual([...(mine[1].args as string[])].sort(), ['execution.spot', 'order.spot', 'wallet']);
    const args = mine[0].args as unknown[];
    assert.equal(args[0], KEY);
    assert.equal(typeof args[1], 'number');
    assert.ok((args[1] as number) > mine[0].time && (args[1] as number) <= mine[0].time + 10_500, 'expires is about now + 10 s');
    assert.equal(args[2], signAuth(SECRET, args[1] as number));
    assert.equal(c.stateOf('private'), 'open');
  });

  it('re-authenticates and resubscribes after the server drops the socket', async function () {
    const c = privateClient({ backoff: { baseMs: 20 } });
    const orders: OutputItem[] = [];
    const sub = c.subscriber({ items: (_s, got) => orders.push(...got) });
    await sub.add({ channel: 'order' });
    const reauth = sim.waitFor('request', (r) => r.path === PRIVATE && r.op === 'auth');
    const resubscribed = sim.waitFor('subscribe', (ev) => ev.path === PRIVATE && ev.topics.includes('order.spot'));
    sim.dropAll({ mode: 'terminate' });
    await reauth;
    await resubscribed;
    const auths = sim.requests.filter((r) => r.path === PRIVATE && r.op === 'auth');
    assert.equal(auths.length, 2);
    assert.notEqual((auths[0].args as unknown[])[2], undefined);
    const got = new Promise<OutputItem>((resolve) => {
      const again = c.subscriber({ items: (_s, items) => resolve(items[0]) });
      void again.add({ channel: 'order' });
    });
    sim.placeOrder({ symbol: 'BTCUSDT', side: 'Buy', price: '30000', qty: '0.01' });
    assert.equal((await got).topic, 'order.BTCUSDT');
  });

  it('retries a rejected auth at most once per authRetryMs and reports each failure once', async function () {
    const retryMs = 250;
    sim.setAuthRejection(true, 'Params Error');
    // A backoff that never grows past 20 ms: only the auth retry rule can keep attempts apart.
    const c = privateClient({ authRetryMs: retryMs, backoff: { baseMs: 10, capMs: 20 } });
    const failures: EngineError[] = [];
    c.on('auth-failed', (err: EngineError) => failures.push(err));
    const connections: number[] = [];
    sim.on('connection', (ev: { path: string }) => {
      if (ev.path === PRIVATE) connections.push(Date.now());
    });
    const sub = c.subscriber({});
    const first = sub.add({ channel: 'order' });
    await assert.rejects(first, (err: EngineError) => err.code === 'auth-failed' && err.detail === 'Params Error');
    const start = Date.now();
    await sim.waitFor('request', (r) => r.op === 'auth' && sim.requests.filter((q) => q.op === 'auth').length >= 5, 5000);
    const window = Date.now() - start;
    const attempts = sim.connectionAttempts(PRIVATE);
    assert.equal(attempts, 5);
    // Five attempts need at least four full retry waits between them.
    assert.ok(window >= 4 * retryMs - 20, `5 attempts in ${window} ms`);
    for (let i = 1; i < connections.length; i++) {
      assert.ok(connections[i] - connections[i - 1] >= retryMs - 5, `attempts ${connections[i] - connections[i - 1]} ms apart`);
    }
    assert.equal(failures.length, 1, 'one error for the failure, none per retry');
    assert.equal(c.stateOf('private'), 'auth-failed');
    assert.deepEqual(sim.subscriptions(PRIVATE), []);

    // The server now refuses the sockets themselves: still no faster than one attempt per authRetryMs.
    const before = sim.connectionAttempts(PRIVATE);
    const t0 = Date.now();
    sim.refuseConnections(3 * retryMs);
    await sim.waitFor('connection', (ev) => ev.path === PRIVATE);
    const refusedWindow = Date.now() - t0;
    const refusedAttempts = sim.connectionAttempts(PRIVATE) - before;
    assert.ok(refusedAttempts >= 2, `${refusedAttempts} attempts`);
    assert.ok(refusedAttempts <= Math.floor(refusedWindow / retryMs) + 1, `${refusedAttempts} attempts in ${refusedWindow} ms`);

    // Once the key works again the next retry succeeds and the topic is subscribed.
    sim.setAuthRejection(false);
    await sim.waitFor('subscribe', (ev) => ev.path === PRIVATE && ev.topics.includes('order.spot'));
    assert.deepEqual(sim.subscriptions(PRIVATE), ['order.spot']);
  });

  it('never lets the key or secret through in a server reason', async function () {
    sim.setAuthRejection(true, `invalid key ${KEY} for secret ${SECRET}`);
    const c = privateClient();
    const failed = new Promise<EngineError>((resolve) => c.once('auth-failed', resolve));
    const state = nextState(c, (ev) => ev.state === 'auth-failed');
    void c.subscriber({}).add({ channel: 'account' }).catch(() => undefined);
    const err = await failed;
    assert.equal(err.detail, 'invalid key *** for secret ***');
    assert.equal((await state).detail, 'invalid key *** for secret ***');
    assert.ok(!err.message.includes(KEY) && !err.message.includes(SECRET));
  });

  it('opens no private socket without credentials', async function () {
    client = new BybitClient({ network: 'custom', privateUrl: sim.url(PRIVATE) });
    assert.equal(client.hasCredentials, false);
    await assert.rejects(client.subscriber({}).add({ channel: 'order' }), (err: EngineError) => err.code === 'no-credentials');
    assert.equal(sim.connectionAttempts(), 0);
  });

  it('refuses to send credentials over plain ws:// to another host', async function () {
    assert.equal(checkEndpointUrl('ws://127.0.0.1:8765/v5/private', true), undefined);
    assert.equal(checkEndpointUrl('ws://localhost:8765/v5/private', true), undefined);
    assert.equal(checkEndpointUrl('wss://stream.bybit.com/v5/private', true), undefined);
    assert.equal(checkEndpointUrl('ws://example.com/v5/public/spot', false), undefined);
    assert.equal(checkEndpointUrl('ws://example.com/v5/private', true)?.code, 'insecure');
    assert.equal(checkEndpointUrl('ws://192.168.1.20:8765/v5/private', true)?.code, 'insecure');

    client = new BybitClient({ network: 'custom', privateUrl: 'ws://192.0.2.1:8765/v5/private', credentials: { apiKey: KEY, apiSecret: SECRET } });
    const topicErrors: EngineError[] = [];
    const sub = client.subscriber({ topicError: (_s, err) => topicErrors.push(err) });
    await assert.rejects(sub.add({ channel: 'order' }), (err: EngineError) => err.code === 'insecure' && !err.message.includes(SECRET));
    assert.deepEqual(topicErrors.map((e) => e.code), ['insecure']);
    assert.equal(client.stateOf('private'), 'error');
  });

  it('demo network: private stream on the demo host, public data from mainnet', function () {
    const demo = new BybitClient({ network: 'demo' });
    assert.deepEqual(demo.endpoints, {
      public: 'wss://stream.bybit.com/v5/public/spot', private: 'wss://stream-demo.bybit.com/v5/private',
      'public-linear': 'wss://stream.bybit.com/v5/public/linear', 'public-inverse': 'wss://stream.bybit.com/v5/public/inverse', 'public-option': 'wss://stream.bybit.com/v5/public/option',
    });
    const testnet = new BybitClient({ network: 'testnet' });
    assert.equal(testnet.endpoints.private, 'wss://stream-testnet.bybit.com/v5/private');
    assert.equal(new BybitClient({ network: 'mainnet' }).endpoints.private, 'wss://stream.bybit.com/v5/private');
  });
});
