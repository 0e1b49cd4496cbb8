/**
 * The shared editor script (resources/bybit-editor.js) runs in the browser, but what it
 * computes must agree with the runtime: the endpoints it previews with the dialects' own
 * tables, the symbols it accepts with the runtime's parser.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { getDialect, type ApiName, type Endpoints, type Network } from '../src/dialects';
import { parseConfigSymbols } from '../nodes/common/input';

const SCRIPT = path.resolve(__dirname, '../../resources/bybit-editor.js');

interface BybitEditor {
  endpoints(network: string, api: string, publicUrl: string, privateUrl: string): Endpoints & { error?: string };
  splitSymbols(text: string): string[];
  firstBadSymbol(text: string): string | null;
  nodeLabel(channel: string, symbols: string): string;
}

/** Loads the script as the editor does, into a window of its own; only its pure helpers are used. */
function loadEditorScript(): BybitEditor {
  const window: { BybitEditor?: BybitEditor } = {};
  vm.runInNewContext(fs.readFileSync(SCRIPT, 'utf8'), { window }, { filename: SCRIPT });
  const inner = window.BybitEditor;
  assert.ok(inner, 'the script defines window.BybitEditor');
  // Its objects come from another realm: copy them into this one so deepEqual compares values.
  const copy = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));
  return {
    endpoints: (...args) => copy(inner.endpoints(...args)),
    splitSymbols: (text) => copy(inner.splitSymbols(text)),
    firstBadSymbol: (text) => inner.firstBadSymbol(text),
    nodeLabel: (channel, symbols) => inner.nodeLabel(channel, symbols),
  };
}

const APIS: ApiName[] = ['v5', 'spot-v3', 'spot-v1'];
const NETWORKS: Network[] = ['mainnet', 'testnet', 'demo', 'custom'];
const CUSTOM = { publicUrl: 'ws://127.0.0.1:8765/spot/quote/ws/v1', privateUrl: 'ws://127.0.0.1:8765/spot/ws' };

describe('editor script', function () {
  const editor = loadEditorScript();

  it('previews the same endpoints the dialects connect to, for every network and API', function () {
    for (const api of APIS) {
      for (const network of NETWORKS) {
        const shown = editor.endpoints(network, api, CUSTOM.publicUrl, CUSTOM.privateUrl);
        let expected: Endpoints | undefined;
        try {
          expected = getDialect(api).endpoints(network, CUSTOM);
        } catch {
          expected = undefined; // the runtime refuses the combination
        }
        if (!expected) {
          assert.equal(shown.error, 'demoV5Only', `${api}/${network}: the editor flags it too`);
          continue;
        }
        const { error, ...urls } = shown;
        assert.equal(error, undefined, `${api}/${network}`);
        // Compare defined URLs only: the runtime leaves absent ones out or undefined.
        const defined = (e: Endpoints) => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined));
        assert.deepEqual(defined(urls), defined(expected), `${api}/${network}`);
      }
    }
  });

  it('shows the documented V5 endpoints', function () {
    assert.deepEqual(editor.endpoints('mainnet', 'v5', '', ''), { public: 'wss://stream.bybit.com/v5/public/spot', private: 'wss://stream.bybit.com/v5/private' });
    assert.deepEqual(editor.endpoints('demo', 'v5', '', ''), { public: 'wss://stream.bybit.com/v5/public/spot', private: 'wss://stream-demo.bybit.com/v5/private' });
    assert.equal(editor.endpoints('testnet', 'spot-v1', '', '').public2, 'wss://stream-testnet.bybit.com/spot/quote/ws/v2');
  });

  it('accepts exactly the symbols the runtime subscribes', function () {
    const cases = ['BTCUSDT', ' btcusdt , ETHUSDT ', 'BTCUSDT,,ETHUSDT', 'BTC-USDT', 'B', 'A'.repeat(31), 'ETHBTC,eth_btc', '', 'BTCUSDT,BTCUSDT'];
    for (const text of cases) {
      const runtime = parseConfigSymbols(text);
      assert.equal(editor.firstBadSymbol(text), runtime.invalid[0] ?? null, JSON.stringify(text));
      if (!runtime.invalid.length) assert.deepEqual(editor.splitSymbols(text), runtime.symbols, JSON.stringify(text));
    }
  });

  it('labels a node with its channel and symbols, shortening long lists', function () {
    assert.equal(editor.nodeLabel('trade', 'btcusdt, ETHUSDT'), 'trade BTCUSDT,ETHUSDT');
    assert.equal(editor.nodeLabel('kline 5', 'BTCUSDT'), 'kline 5 BTCUSDT');
    assert.equal(editor.nodeLabel('order', ''), 'order');
    assert.equal(editor.nodeLabel('ticker', 'AAA1,BBB2,CCC3,DDD4,EEE5'), 'ticker AAA1,BBB2,CCC3 +2');
  });
});
