/**
 * Bybit's instrument list for the symbol suggestions (src/instruments), against the
 * simulator's `GET /v5/market/instruments-info` on a real port: where it asks, cursor pages,
 * the cache, and the clear errors a dead, slow, huge or unhappy server gives.
 * Reply shape and paging rules: bybit-docs v5/market/instrument.mdx.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulator, type Simulator } from '../src/simulator';
import { CATALOGUE } from '../src/simulator/instruments';
import { fetchInstruments, InstrumentCache, InstrumentsError, restBase, type InstrumentCategory, type InstrumentsFailure } from '../src/instruments';
import { startConnectProxy } from './support/connect-proxy';
import { freePort } from './e2e/editor-env';

function expectFailure(reason: InstrumentsFailure): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof InstrumentsError, String(err));
    assert.equal(err.reason, reason, err.message);
    return true;
  };
}

/** A server that answers every request with `reply` (or never, when it is null). */
async function oddServer(reply: ((res: http.ServerResponse) => void) | null): Promise<{ base: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => reply?.(res));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

describe('instrument list for symbol suggestions', function () {
  let sim: Simulator;
  let base: string;

  beforeEach(async function () {
    sim = await startSimulator({ port: 0, tickMs: 0 });
    base = restBase('custom', sim.url('/v5/public/spot'));
  });

  afterEach(async function () {
    await sim.close();
  });

  it('asks Bybit mainnet for mainnet and demo, testnet for testnet, and a custom socket URL\'s own origin', function () {
    assert.equal(restBase('mainnet'), 'https://api.bybit.com');
    assert.equal(restBase('demo'), 'https://api.bybit.com');
    assert.equal(restBase('testnet'), 'https://api-testnet.bybit.com');
    assert.equal(restBase('custom', 'ws://127.0.0.1:8765/v5/public/spot'), 'http://127.0.0.1:8765');
    assert.equal(restBase('custom', 'wss://user:pw@example.com/v5/public/spot?x=1'), 'https://example.com');
    assert.equal(restBase('custom', ' https://example.com:8443/anything '), 'https://example.com:8443');
    for (const bad of ['', 'file:///etc/passwd', 'ftp://example.com/', '127.0.0.1:8765', undefined]) {
      assert.throws(() => restBase('custom', bad), expectFailure('badUrl'), String(bad));
    }
  });

  it('the simulator answers in Bybit\'s documented shape', async function () {
    const res = await fetch(`${base}/v5/market/instruments-info?category=spot`);
    const body = (await res.json()) as { retCode: number; retMsg: string; result: { category: string; list: Record<string, unknown>[]; nextPageCursor: string }; time: number };
    assert.equal(body.retCode, 0);
    assert.equal(body.retMsg, 'OK');
    assert.equal(body.result.category, 'spot');
    assert.ok(Number.isInteger(body.time));
    const btc = body.result.list.find((i) => i.symbol === 'BTCUSDT');
    assert.deepEqual({ status: btc?.status, baseCoin: btc?.baseCoin, quoteCoin: btc?.quoteCoin }, { status: 'Trading', baseCoin: 'BTC', quoteCoin: 'USDT' });
    const bad = (await (await fetch(`${base}/v5/market/instruments-info?category=futures`)).json()) as { retCode: number };
    assert.equal(bad.retCode, 10001);
  });

  it('lists every spot symbol the simulator has, sorted', async function () {
    const symbols = await fetchInstruments(base, 'spot');
    assert.deepEqual(symbols, [...CATALOGUE.spot].sort());
    assert.ok(symbols.includes('BTCUSDT'));
  });

  it('follows nextPageCursor until the last page for the paged categories', async function () {
    for (const category of ['linear', 'inverse', 'option'] as InstrumentCategory[]) {
      // market/instrument.mdx: option lists BTC by default (no baseCoin given).
      const all = CATALOGUE[category].filter((s) => category !== 'option' || s.startsWith('BTC-')).sort();
      assert.ok(all.length > 3, `${category} needs more than one page of 3`);
      assert.deepEqual(await fetchInstruments(base, category, { pageLimit: 3 }), all, category);
    }
    assert.ok((await fetchInstruments(base, 'option')).includes('BTC-27DEC26-30000-C'));
  });

  it('serves a list from the cache without asking again, even once the server has gone', async function () {
    const cache = new InstrumentCache();
    const first = await cache.get(base, 'spot');
    assert.equal(first.stale, false);
    assert.equal(first.source, base);
    await sim.close();
    const again = await cache.get(base, 'spot');
    assert.equal(again, first, 'the same list object: no new fetch');
  });

  it('shares one fetch between askers that arrive together', async function () {
    const cache = new InstrumentCache();
    const [a, b] = await Promise.all([cache.get(base, 'linear'), cache.get(base, 'linear')]);
    assert.equal(a, b);
  });

  it('asks again after an hour, and serves the last list marked stale when that fails', async function () {
    let now = 1_000_000;
    const cache = new InstrumentCache({ now: () => now });
    const first = await cache.get(base, 'spot');
    now += 3_600_000 - 1;
    assert.equal(await cache.get(base, 'spot'), first, 'fresh within the hour');
    await sim.close();
    now += 2;
    const stale = await cache.get(base, 'spot');
    assert.equal(stale.stale, true);
    assert.deepEqual(stale.symbols, first.symbols);
  });

  it('keeps a bounded number of lists, dropping the least recently used', async function () {
    const cache = new InstrumentCache({ maxEntries: 2 });
    await cache.get(base, 'spot');
    await cache.get(base, 'linear');
    await cache.get(base, 'spot');
    await cache.get(base, 'inverse');
    assert.equal(cache.size, 2);
    await sim.close();
    // spot was used more recently than linear, so it stayed; linear must be fetched again and cannot be.
    assert.equal((await cache.get(base, 'spot')).stale, false);
    await assert.rejects(cache.get(base, 'linear'), expectFailure('unreachable'));
  });

  it('offline: says the host cannot be reached, and remembers that briefly', async function () {
    const deadBase = `http://127.0.0.1:${await freePort()}`;
    await assert.rejects(fetchInstruments(deadBase, 'spot'), (err) => {
      expectFailure('unreachable')(err);
      assert.match((err as Error).message, /ECONNREFUSED/);
      return true;
    });
    const cache = new InstrumentCache();
    const failure = await cache.get(deadBase, 'spot').catch((err: unknown) => err);
    assert.equal(await cache.get(deadBase, 'spot').catch((err: unknown) => err), failure, 'the same error, not a second try');
  });

  it('gives up on a server that does not answer within the deadline', async function () {
    const silent = await oddServer(null);
    try {
      const started = Date.now();
      await assert.rejects(fetchInstruments(silent.base, 'spot', { timeoutMs: 200 }), expectFailure('timeout'));
      assert.ok(Date.now() - started < 2000);
    } finally {
      await silent.close();
    }
  });

  it('refuses an answer over the size cap, an HTTP error, a non-JSON body and a Bybit error', async function () {
    await assert.rejects(fetchInstruments(base, 'spot', { maxBytes: 100 }), expectFailure('tooLarge'));
    await assert.rejects(fetchInstruments(base, 'futures' as InstrumentCategory), (err) => {
      expectFailure('rejected')(err);
      assert.match((err as Error).message, /10001/);
      return true;
    });
    const cases: [(res: http.ServerResponse) => void, InstrumentsFailure][] = [
      [(res) => res.writeHead(503).end('busy'), 'http'],
      [(res) => res.writeHead(200).end('<html>'), 'badResponse'],
      [(res) => res.writeHead(200).end('{"retCode":0,"result":{}}'), 'badResponse'],
      // Streamed without a length: the cap still holds.
      [(res) => { res.writeHead(200); res.write('x'.repeat(200)); }, 'tooLarge'],
    ];
    for (const [reply, reason] of cases) {
      const server = await oddServer(reply);
      try {
        await assert.rejects(fetchInstruments(server.base, 'spot', { maxBytes: 100 }), expectFailure(reason));
      } finally {
        await server.close();
      }
    }
  });

  it('goes through the environment\'s HTTP proxy, as the sockets do', async function () {
    const proxy = await startConnectProxy({ 'bybit-sim.test': '127.0.0.1' });
    const saved = { http_proxy: process.env.http_proxy, no_proxy: process.env.no_proxy, NO_PROXY: process.env.NO_PROXY };
    process.env.http_proxy = proxy.url;
    delete process.env.no_proxy;
    delete process.env.NO_PROXY;
    try {
      const symbols = await fetchInstruments(`http://bybit-sim.test:${sim.port}`, 'spot');
      assert.ok(symbols.includes('BTCUSDT'));
      assert.deepEqual(proxy.targets, [`bybit-sim.test:${sim.port}`]);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await proxy.close();
    }
  });
});
