/**
 * Regional mainnets: accounts registered at bybit.tr, bybit.kz, bybit.id, bybitgeorgia.ge or
 * manepa.jp must use their region's stream host with the same paths (v5
 * websocket/wss-authentication.mdx, the info box under the endpoints); their REST hosts come from
 * v5 guide.mdx. Bybit documents them for V5 only.
 */
import assert from 'node:assert/strict';
import { getDialect } from '../src/dialects';
import { NETWORKS } from '../src/config-rules';
import { editorConstants } from '../src/editor-constants';
import { restBase } from '../src/instruments';
import type { ConnectionNode } from '../nodes/common/connection-config';
import { helper, loadFlow } from './support/flows';

const REGIONS = {
  'mainnet-tr': ['wss://stream.bybit.tr', 'https://api.bybit.tr'],
  'mainnet-kz': ['wss://stream.bybit.kz', 'https://api.bybit.kz'],
  'mainnet-id': ['wss://stream.bybit.id', 'https://api.bybit.id'],
  'mainnet-ge': ['wss://stream.bybitgeorgia.ge', 'https://api.bybitgeorgia.ge'],
  'mainnet-jp': ['wss://stream.manepa.jp', 'https://api.manepa.jp'],
} as const;

/** Every V5 public category endpoint on a stream host (mainnet's paths). */
function categories(stream: string): Record<string, string> {
  return { 'public-linear': `${stream}/v5/public/linear`, 'public-inverse': `${stream}/v5/public/inverse`, 'public-option': `${stream}/v5/public/option` };
}

describe('regional mainnet hosts', function () {
  for (const [network, [stream, rest]] of Object.entries(REGIONS) as [keyof typeof REGIONS, readonly [string, string]][]) {
    it(`${network}: V5 streams from ${stream} on mainnet's paths, the symbol list from ${rest}`, function () {
      assert.deepEqual(getDialect('v5').endpoints(network), { public: `${stream}/v5/public/spot`, private: `${stream}/v5/private`, ...categories(stream) });
      assert.equal(restBase(network), rest);
      assert.ok(NETWORKS.includes(network), 'the connection accepts it');
      const table = editorConstants().endpoints;
      // The Trade API guideline names only the Turkish and Kazakh hosts for /v5/trade.
      const trade = network === 'mainnet-tr' || network === 'mainnet-kz' ? { trade: `${stream}/v5/trade` } : {};
      assert.deepEqual(table.v5[network], { public: `${stream}/v5/public/spot`, private: `${stream}/v5/private`, ...categories(stream), ...trade }, 'the dialog previews it');
      assert.equal(table['spot-v3'][network], null, 'the dialog refuses it with spot v3');
      assert.equal(table['spot-v1'][network], null, 'the dialog refuses it with spot v1');
    });
  }

  it('refuses a regional mainnet with a retired spot API, naming V5', function () {
    for (const api of ['spot-v3', 'spot-v1'] as const) {
      assert.throws(() => getDialect(api).endpoints('mainnet-tr'), /documented for the V5 API only/);
    }
  });

  it('keeps the global mainnet on stream.bybit.com', function () {
    assert.equal(getDialect('v5').endpoints('mainnet').public, 'wss://stream.bybit.com/v5/public/spot');
    assert.equal(restBase('mainnet'), 'https://api.bybit.com');
  });

  describe('on a connection node', function () {
    beforeEach(() => new Promise<void>((resolve) => helper.startServer(resolve)));
    afterEach(async () => {
      await helper.unload();
      await new Promise<void>((resolve) => helper.stopServer(resolve));
    });

    it('a connection set to Mainnet, Japan uses stream.manepa.jp for both sockets', async function () {
      await loadFlow([{ id: 'conn', type: 'bybit-connection', network: 'mainnet-jp', api: 'v5', pingInterval: 20 }]);
      const conn = helper.getNode('conn') as ConnectionNode;
      assert.equal(conn.problem, undefined);
      assert.deepEqual(conn.client?.endpoints, { public: 'wss://stream.manepa.jp/v5/public/spot', private: 'wss://stream.manepa.jp/v5/private', ...categories('wss://stream.manepa.jp') });
    });

    it('a connection set to Mainnet, Turkey with spot v3 opens nothing and says why', async function () {
      await loadFlow([{ id: 'conn', type: 'bybit-connection', network: 'mainnet-tr', api: 'spot-v3', pingInterval: 20 }]);
      const conn = helper.getNode('conn') as ConnectionNode;
      assert.equal(conn.client, undefined);
      assert.equal(conn.problem?.key, 'config');
      assert.match(String(conn.problem?.subs.detail), /documented for the V5 API only/);
    });
  });
});
