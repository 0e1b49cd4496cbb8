/**
 * The palette nodes' `numbers` option (issue 12 item 10): `string` keeps Bybit's own decimal
 * strings for prices, quantities and amounts; absent or `number` gives JS numbers.
 */
import assert from 'node:assert/strict';
import type { Simulator } from '../src/simulator';
import { connection, loadFlow, nextMsg, paletteNode, simulatorPerSuite } from './support/flows';

describe('numbers option: exact decimals', function () {
  this.timeout(20_000);
  let sim: Simulator;
  const KEY = 'numbers-key';
  const SECRET = 'numbers-secret';

  simulatorPerSuite({ tickMs: 0, credentials: [{ key: KEY, secret: SECRET }] }, (s) => (sim = s));

  it('a trade node set to strings sends the quantity digit for digit; one left at the default sends numbers', async function () {
    const conn = connection(sim, { api: 'v5', publicUrl: sim.url('/v5/public/spot'), privateUrl: sim.url('/v5/private') });
    const exact = paletteNode('bybit-trade', { symbols: 'BTCUSDT', numbers: 'string' }, 'n1');
    const plain = paletteNode('bybit-trade', { symbols: 'BTCUSDT' }, 'n2');
    const subscribed = sim.waitFor('subscribe', (ev: { path: string }) => ev.path === '/v5/public/spot');
    await loadFlow([conn, ...exact, ...plain]);
    await subscribed;
    const gotExact = nextMsg('n1-out', (m) => (m.payload as { qty: unknown }).qty === '10000000097.1982823144');
    const gotPlain = nextMsg('n2-out', (m) => (m.payload as { qty: unknown }).qty === Number('10000000097.1982823144'));
    // Both nodes share one subscription: the engine normalizes the frame once per numbers mode.
    const sent = sim.injectTrade({ symbol: 'BTCUSDT', price: '16578.50', qty: '10000000097.1982823144' });
    assert.ok(sent >= 1, 'the trade went out');
    const [e, p] = await Promise.all([gotExact, gotPlain]);
    assert.deepEqual([(e.payload as { price: unknown }).price, (p.payload as { price: unknown }).price], ['16578.50', 16578.5]);
  });

  it('an account node set to strings subtracts borrowed coins exactly', async function () {
    const conn = connection(sim, { api: 'v5', publicUrl: sim.url('/v5/public/spot'), privateUrl: sim.url('/v5/private') });
    const subscribed = sim.waitFor('subscribe', (ev: { path: string }) => ev.path === '/v5/private');
    await loadFlow([conn, ...paletteNode('bybit-account', { numbers: 'string' }, 'n1')], { conn: { apiKey: KEY, apiSecret: SECRET } });
    await subscribed;
    const got = nextMsg('n1-out');
    sim.injectBalance({ coin: 'BTC', walletBalance: '1.1', spotBorrow: '0.3', locked: '0.2', key: KEY });
    const [b] = ((await got).payload as { balances: Record<string, unknown>[] }).balances;
    assert.deepEqual([b.coin, b.total, b.free, b.locked, b.borrowed], ['BTC', '0.8', '0.6', '0.2', '0.3']);
  });
});
