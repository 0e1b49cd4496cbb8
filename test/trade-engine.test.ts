/**
 * The engine's order socket without Node-RED: where it connects (websocket/trade/guideline.mdx
 * URLs, demo has none), the allowOrders and wss:// rules, and Bybit's per-op rate limits
 * (rate-limit/rate-limit.mdx, Trade table) kept on the client side.
 */
import assert from 'node:assert/strict';
import { tradeEndpoint } from '../src/dialects/v5-trade';
import { BybitClient, EngineError } from '../src/engine';
import { rateBucket, TradeRateLimiter } from '../src/engine/trade-rate';

const CREDS = { apiKey: 'k', apiSecret: 's' };

describe('engine: the V5 order socket', function () {
  it('connects where guideline.mdx says; demo trading has none; custom takes tradeUrl or the private URL', function () {
    assert.equal(tradeEndpoint('mainnet'), 'wss://stream.bybit.com/v5/trade');
    assert.equal(tradeEndpoint('testnet'), 'wss://stream-testnet.bybit.com/v5/trade');
    assert.equal(tradeEndpoint('demo'), undefined);
    assert.equal(tradeEndpoint('custom', { privateUrl: 'ws://127.0.0.1:8765/v5/private' }), 'ws://127.0.0.1:8765/v5/trade');
    assert.equal(tradeEndpoint('custom', { privateUrl: 'ws://127.0.0.1:8765/v5/private', tradeUrl: 'wss://x.example/v5/trade' }), 'wss://x.example/v5/trade');
    assert.equal(tradeEndpoint('custom', {}), undefined);
    assert.equal(new BybitClient({ api: 'spot-v3', credentials: CREDS }).tradeUrl, undefined, 'orders are V5 only');
  });

  it('gives no order socket unless orders are allowed', async function () {
    const client = new BybitClient({ network: 'testnet', credentials: CREDS });
    assert.throws(() => client.trade(), (err: unknown) => err instanceof EngineError && err.code === 'orders-off');
    await client.close();
  });

  it('refuses to send keys over ws:// to another host, before any socket opens', async function () {
    const client = new BybitClient({ network: 'custom', privateUrl: 'ws://example.com/v5/private', credentials: CREDS, allowOrders: true });
    await assert.rejects(client.trade().request('order.create', { category: 'spot' }), (err: unknown) => err instanceof EngineError && err.code === 'insecure');
    assert.equal(client.lastState('trade'), undefined, 'no socket was opened');
    await client.close();
  });

  it('keeps each op and category group to its documented limit, and learns a different one from X-Bapi-Limit', function () {
    const limiter = new TradeRateLimiter();
    const linear = rateBucket('order.create', 'linear');
    assert.equal(rateBucket('order.create', 'inverse'), linear, 'linear and inverse share a cell of the table');
    assert.notEqual(rateBucket('order.create', 'option'), linear);
    assert.equal(limiter.limitOf(rateBucket('order.create', 'spot')), 20);
    assert.equal(limiter.limitOf(rateBucket('order.amend', 'spot')), 10);
    assert.equal(limiter.limitOf(linear), 10);
    const slots = Array.from({ length: 10 }, () => limiter.take(linear, 1000));
    assert.ok(limiter.delay(linear, 1000) > 0, 'the 11th waits');
    assert.equal(limiter.delay(rateBucket('order.cancel', 'linear'), 1000), 0, 'another op does not');
    for (const slot of slots) limiter.answered(linear, slot, 1050, { 'X-Bapi-Limit': '10', 'X-Bapi-Limit-Status': '5' });
    assert.equal(limiter.delay(linear, 2049), 1, 'a window runs from each reply');
    assert.equal(limiter.delay(linear, 2050), 0);
    const spot = rateBucket('order.create', 'spot');
    limiter.answered(spot, limiter.take(spot, 3000), 3010, { 'X-Bapi-Limit': '2', 'X-Bapi-Limit-Status': '0' });
    assert.equal(limiter.limitOf(spot), 2, 'the server\'s limit replaces the default');
    assert.equal(limiter.delay(spot, 3010), 1000, 'none left: wait a window');
  });
});
