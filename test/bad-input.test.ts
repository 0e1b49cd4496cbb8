/**
 * The bad-input matrix: every palette node gets msgs of every wrong type and shape. Each
 * must end in done(err) with a clear (catalog) message, reach a Catch node, and change
 * nothing: no request reaches the server, the node's subscriptions stay as they were and
 * its data keeps flowing. Absent config values take their defaults; present but unusable
 * ones are test/config-rule.test.ts's.
 */
import assert from 'node:assert/strict';
import type { Simulator } from '../src/simulator';
import { catcher, connection, getNode, helper, isPrivateType as isPrivate, lastStatus, loadFlow, nextMsg, paletteNode, simulatorPerSuite, paletteTypes, SHARED, type FlowNode, type Msg } from './support/flows';

const KEY = 'matrix-key';
const SECRET = 'matrix-secret';

/** Wrong in every node type, with the error key each must produce. */
const COMMON: [string, Record<string, unknown>, string][] = [
  ['no action', { payload: 'BTCUSDT' }, 'errors.actionMissing'],
  ['an action that is not a string', { action: ['subscribe'] }, 'errors.actionType'],
  ['a numeric action', { action: 1 }, 'errors.actionType'],
  ['an unknown action', { action: 'sub' }, 'errors.actionUnknown'],
  ['a numeric symbol', { action: 'subscribe', symbol: 42 }, 'errors.symbolType'],
  ['an object symbol', { action: 'subscribe', symbol: { BTCUSDT: true } }, 'errors.symbolType'],
  ['a null symbol', { action: 'subscribe', symbol: null }, 'errors.symbolType'],
  ['an empty symbol', { action: 'subscribe', symbol: '' }, 'errors.symbolInvalid'],
  ['a 42-character symbol (too long for spot and derivative symbols)', { action: 'subscribe', symbol: 'B'.repeat(42) }, 'errors.symbolInvalid'],
  ['a lower-case symbol', { action: 'subscribe', symbol: 'btcusdt' }, 'errors.symbolInvalid'],
  ['a symbol with spaces', { action: 'subscribe', symbol: 'BTC USDT' }, 'errors.symbolInvalid'],
  ['a symbol with punctuation', { action: 'subscribe', symbol: 'BTC/USDT' }, 'errors.symbolInvalid'],
  ['an array holding a number', { action: 'subscribe', symbol: ['BTCUSDT', 1] }, 'errors.symbolType'],
  ['500 symbols', { action: 'subscribe', symbol: Array.from({ length: 500 }, (_, i) => `S${i}USDT`) }, 'errors.tooManySymbols'],
  ['unsubscribing a malformed symbol', { action: 'unsubscribe', symbol: 'eth-usdt' }, 'errors.symbolInvalid'],
];

function casesFor(type: string): [string, Record<string, unknown>, string][] {
  const cases = [...COMMON];
  if (type === 'bybit-account') {
    // The account stream has no symbols at all: naming one is a mistake worth telling.
    cases.push(['a symbol for the account stream', { action: 'subscribe', symbol: 'BTCUSDT' }, 'errors.accountSymbols']);
  }
  if (!isPrivate(type)) cases.push(['subscribe without a symbol', { action: 'subscribe' }, 'errors.symbolMissing']);
  if (type === 'bybit-kline') {
    cases.push(['an unknown interval', { action: 'subscribe', symbol: 'ETHUSDT', interval: '7' }, 'errors.intervalInvalid']);
    cases.push(['an interval of the wrong type', { action: 'subscribe', symbol: 'ETHUSDT', interval: { m: 1 } }, 'errors.intervalInvalid']);
  }
  return cases;
}

describe('bad input matrix', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let tried = 0;
  let rejected = 0;

  simulatorPerSuite({ tickMs: 20, credentials: [{ key: KEY, secret: SECRET }] }, (s) => (sim = s));
  after(function () {
    console.log(`      bad inputs: ${tried} tried, ${rejected} rejected with errors`);
  });

  // The order entry node takes orders, not subscriptions: its own matrix below.
  for (const type of paletteTypes().filter((t) => t !== 'bybit-order-entry')) {
    it(`${type}: rejects every malformed msg with done(err) and changes nothing`, async function () {
      await loadFlow([connection(sim), ...paletteNode(type, { symbols: isPrivate(type) ? '' : 'BTCUSDT', interval: '1', depth: 50 }), ...catcher()], { conn: { apiKey: KEY, apiSecret: SECRET } });
      if (!isPrivate(type)) await nextMsg('n1-out');
      else if (sim.subscriptions('/v5/private').length === 0) await sim.waitFor('subscribe', (ev: { path: string }) => ev.path === '/v5/private');
      const listBefore = await list();
      const requestsBefore = wireRequests();
      for (const [what, msg, key] of casesFor(type)) {
        tried++;
        const caught = nextMsg('caught', () => true, 3000);
        getNode('n1').receive(msg);
        const err = await caught.catch(() => undefined);
        assert.ok(err, `${what}: no error reached the Catch node`);
        assert.equal(err.error?.message, `Error: ${SHARED}${key}`, what);
        rejected++;
      }
      assert.equal(wireRequests(), requestsBefore, 'a bad msg sent something to the server');
      assert.deepEqual(await list(), listBefore);
      if (!isPrivate(type)) await nextMsg('n1-out');
    });
  }

  it('bybit-order-entry: rejects every malformed order msg with done(err) and sends nothing', async function () {
    await loadFlow([connection(sim, { allowOrders: true }), ...paletteNode('bybit-order-entry', { maxQty: '', maxNotional: '' }), ...catcher()], { conn: { apiKey: KEY, apiSecret: SECRET } });
    const order = { category: 'linear', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: '0.01', price: '20000' };
    const cases: [string, Record<string, unknown>, string][] = [
      ['no payload', {}, 'payload'],
      ['a string payload', { payload: 'BTCUSDT' }, 'payload'],
      ['an array payload', { payload: [order] }, 'payload'],
      ['an unknown action', { action: 'close', payload: order }, 'action'],
      ['a numeric action', { action: 1, payload: order }, 'action'],
      ['no category', { payload: { ...order, category: undefined } }, 'required'],
      ['an unknown category', { payload: { ...order, category: 'futures' } }, 'category'],
      ['no symbol', { payload: { ...order, symbol: '' } }, 'required'],
      ['a lower-case symbol', { payload: { ...order, symbol: 'btcusdt' } }, 'symbol'],
      ['a numeric symbol', { payload: { ...order, symbol: 42 } }, 'symbol'],
      ['a lower-case side', { payload: { ...order, side: 'buy' } }, 'word'],
      ['no side', { payload: { ...order, side: undefined } }, 'required'],
      ['an unknown order type', { payload: { ...order, orderType: 'Stop' } }, 'word'],
      ['an unknown timeInForce', { payload: { ...order, timeInForce: 'GTD' } }, 'word'],
      ['a negative qty', { payload: { ...order, qty: '-1' } }, 'decimal'],
      ['a zero qty', { payload: { ...order, qty: 0 } }, 'decimal'],
      ['an exponent qty', { payload: { ...order, qty: 1e-9 } }, 'decimal'],
      ['a qty that is not a number', { payload: { ...order, qty: 'lots' } }, 'decimal'],
      ['a limit order without price', { payload: { ...order, price: undefined } }, 'required'],
      ['a 37-character orderLinkId', { payload: { ...order, orderLinkId: 'x'.repeat(37) } }, 'orderLinkId'],
      ['an amend naming no order', { action: 'amend', payload: { category: 'linear', symbol: 'BTCUSDT', qty: '1' } }, 'reference'],
      ['a cancel with a numeric orderId', { action: 'cancel', payload: { category: 'linear', symbol: 'BTCUSDT', orderId: 7 } }, 'orderId'],
    ];
    for (const [what, msg, key] of cases) {
      tried++;
      const caught = nextMsg('caught', () => true, 3000);
      getNode('n1').receive(msg);
      const err = await caught.catch(() => undefined);
      assert.ok(err, `${what}: no error reached the Catch node`);
      assert.equal(err.error?.message, `Error: ${SHARED}errors.order.${key}`, what);
      rejected++;
    }
    assert.equal(sim.requests.filter((r) => r.path === '/v5/trade' && r.op?.startsWith('order.')).length, 0, 'a bad msg sent an order');
  });

  function wireRequests(): number {
    return sim.requests.filter((r) => r.op === 'subscribe' || r.op === 'unsubscribe').length;
  }

  async function list(): Promise<unknown> {
    const listed = nextMsg('n1-out', (m: Msg) => m.topic === 'subscriptions');
    getNode('n1').receive({ action: 'list' });
    return (await listed).payload;
  }

  it('gives every field a flow saved by an older version lacks its default, silently', async function () {
    const absent = (node: FlowNode, ...fields: string[]) => {
      for (const f of fields) delete node[f];
      return node;
    };
    const [trade, tradeOut] = paletteNode('bybit-trade', {}, 'a');
    const [kline, klineOut] = paletteNode('bybit-kline', {}, 'b');
    const [book, bookOut] = paletteNode('bybit-orderbook', {}, 'c');
    const subscribed = sim.waitFor('subscribe', () => ['publicTrade.BTCUSDT', 'kline.1.BTCUSDT', 'orderbook.50.BTCUSDT'].every((t) => sim.subscriptions().includes(t)));
    await loadFlow([
      absent(connection(sim), 'pingInterval', 'api'),
      absent(trade, 'output', 'throttle'), tradeOut,
      absent(kline, 'interval', 'closedOnly'), klineOut,
      absent(book, 'depth'), bookOut,
    ]);
    await subscribed;
    const msg = await nextMsg('a-out', (m) => m.topic === 'trade.BTCUSDT');
    assert.equal(typeof (msg.payload as { price?: unknown }).price, 'number', 'normalized output');
    const complaints = helper.log().args.filter((a: [{ level: number; type?: string }]) => a[0].level <= 30 && a[0].type?.startsWith('bybit'));
    assert.deepEqual(complaints, [], 'no error or warning for an absent value');
  });

  it('refuses an unknown network or api with a red status instead of connecting anywhere', async function () {
    for (const bad of [{ network: 'moon' }, { api: 'v4' }]) {
      const attempts = sim.connectionAttempts();
      await loadFlow([connection(sim, bad), ...paletteNode('bybit-trade')]);
      assert.equal(lastStatus('n1')?.fill, 'red', JSON.stringify(bad));
      assert.equal(sim.connectionAttempts(), attempts);
      await helper.unload();
    }
  });
});
