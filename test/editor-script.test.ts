/**
 * The shared editor script (resources/bybit-editor.js) runs in the browser, but what it
 * computes must agree with the runtime: the endpoints it previews with the dialects' own
 * tables, the symbols and values it accepts with the runtime's rules. Those rules reach it
 * through resources/bybit-editor-constants.js, which the build generates from src/.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { getDialect, KLINE_INTERVALS, type Endpoints } from '../src/dialects';
import { tradeEndpoint } from '../src/dialects/v5-trade';
import { APIS, NETWORKS, ORDERBOOK_DEPTH, PING_INTERVAL, SYMBOL_PATTERN, THROTTLE_MAX_MS } from '../src/config-rules';
import type { EditorConstants } from '../src/editor-constants';
import { parseConfigSymbols } from '../nodes/common/input';

const RESOURCES = path.resolve(__dirname, '../../resources');
const SCRIPT = path.join(RESOURCES, 'bybit-editor.js');
const CONSTANTS = path.join(RESOURCES, 'bybit-editor-constants.js');

type Validator = (value: unknown, opt?: unknown) => boolean | string;
interface Property {
  value: unknown;
  validate?: Validator;
}

interface BybitEditor {
  endpoints(network: string, api: string, publicUrl: string, privateUrl: string, tradeUrl?: string): Endpoints & { error?: string };
  splitSymbols(text: string): string[];
  firstBadSymbol(text: string): string | null;
  nodeLabel(channel: string, symbols: string): string;
  fields(type: string, opts?: { rows?: string[] }): Record<string, Property>;
  connectionFields(): Record<string, Property>;
}

interface EditorWindow {
  BybitEditor?: BybitEditor;
  BybitEditorConstants?: EditorConstants;
}

/** Stands in for jQuery while the script builds its forms: every call and property chains. */
const JQUERY: unknown = new Proxy(function () {}, { get: () => JQUERY, apply: () => JQUERY });

/**
 * Runs scripts as the editor does, in a window of their own, and returns that window. The
 * test reads only pure helpers and the properties' defaults and validators.
 */
function runScripts(files: string[], window: EditorWindow = {}): EditorWindow {
  const context = vm.createContext({ window, $: JQUERY, RED: { _: (key: string) => key } });
  for (const file of files) vm.runInContext(fs.readFileSync(file, 'utf8'), context, { filename: file });
  return window;
}

/** Its objects come from another realm: copy them into this one so deepEqual compares values. */
function copy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function loadEditorScript(files = [CONSTANTS, SCRIPT]): BybitEditor {
  const inner = runScripts(files).BybitEditor;
  assert.ok(inner, 'the scripts define window.BybitEditor');
  return {
    ...inner,
    endpoints: (...args) => copy(inner.endpoints(...args)),
    splitSymbols: (text) => copy(inner.splitSymbols(text)),
  };
}

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
          // V5 also opens the order socket (demo has none): the runtime's URL for it.
          const trade = api === 'v5' ? tradeEndpoint(network, CUSTOM) : undefined;
          if (trade) expected = { ...expected, trade };
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
    // websocket/trade/guideline.mdx: the order socket; demo trading has none.
    const cats = { 'public-linear': 'wss://stream.bybit.com/v5/public/linear', 'public-inverse': 'wss://stream.bybit.com/v5/public/inverse', 'public-option': 'wss://stream.bybit.com/v5/public/option' };
    assert.deepEqual(editor.endpoints('mainnet', 'v5', '', ''), {
      public: 'wss://stream.bybit.com/v5/public/spot', private: 'wss://stream.bybit.com/v5/private', trade: 'wss://stream.bybit.com/v5/trade', ...cats,
    });
    assert.equal(editor.endpoints('testnet', 'v5', '', '').trade, 'wss://stream-testnet.bybit.com/v5/trade');
    assert.equal(editor.endpoints('custom', 'v5', '', 'ws://127.0.0.1:8765/v5/private').trade, 'ws://127.0.0.1:8765/v5/trade');
    assert.equal(editor.endpoints('custom', 'v5', '', 'ws://127.0.0.1:8765/v5/private', 'ws://10.0.0.9/v5/trade').trade, 'ws://10.0.0.9/v5/trade');
    assert.deepEqual(editor.endpoints('demo', 'v5', '', ''), { public: 'wss://stream.bybit.com/v5/public/spot', private: 'wss://stream-demo.bybit.com/v5/private', ...cats });
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

  it("is given the runtime's own rules by the build", function () {
    const generated = copy(runScripts([CONSTANTS]).BybitEditorConstants);
    assert.ok(generated, 'the build wrote resources/bybit-editor-constants.js');
    assert.deepEqual(generated.symbolPattern, { source: SYMBOL_PATTERN.source, flags: SYMBOL_PATTERN.flags });
    assert.equal(generated.throttleMaxMs, THROTTLE_MAX_MS);
    assert.deepEqual(generated.pingInterval, PING_INTERVAL);
    assert.deepEqual(generated.klineIntervals, [...KLINE_INTERVALS]);
    assert.deepEqual(generated.orderbookDepth, ORDERBOOK_DEPTH);
    assert.deepEqual(generated.networks, NETWORKS);
    assert.deepEqual(generated.apis, APIS);
    // The depths the dialog offers are exactly the V5 streams the runtime picks from.
    const streams = new Set<number>();
    for (let d = ORDERBOOK_DEPTH.min; d <= ORDERBOOK_DEPTH.max; d++) streams.add(getDialect('v5').bookDepth(d));
    assert.deepEqual(generated.bookDepths, [...streams]);
  });

  it("refuses the throttle, depth, interval and ping values outside the runtime's rules", function () {
    const ok = (p: Property, v: unknown) => p.validate?.(v) === true;
    const book = editor.fields('bybit-orderbook', { rows: ['depth'] });
    for (const v of [0, THROTTLE_MAX_MS, '']) assert.ok(ok(book.throttle, v), `throttle ${v}`);
    for (const v of [-1, THROTTLE_MAX_MS + 1, 'abc']) assert.ok(!ok(book.throttle, v), `throttle ${v}`);
    assert.equal(book.depth.value, ORDERBOOK_DEPTH.default);
    for (const v of [ORDERBOOK_DEPTH.min, 7, ORDERBOOK_DEPTH.max]) assert.ok(ok(book.depth, v), `depth ${v}`);
    for (const v of [ORDERBOOK_DEPTH.min - 1, ORDERBOOK_DEPTH.max + 1, 7.5]) assert.ok(!ok(book.depth, v), `depth ${v}`);
    const kline = editor.fields('bybit-kline', { rows: ['interval'] });
    for (const v of KLINE_INTERVALS) assert.ok(ok(kline.interval, v), `interval ${v}`);
    for (const v of ['2', 'm', '1m']) assert.ok(!ok(kline.interval, v), `interval ${v}`);
    const connection = editor.connectionFields();
    assert.equal(connection.pingInterval.value, PING_INTERVAL.default);
    for (const v of [PING_INTERVAL.min, PING_INTERVAL.max]) assert.ok(ok(connection.pingInterval, v), `ping ${v}`);
    for (const v of [PING_INTERVAL.min - 1, PING_INTERVAL.max + 1, '']) assert.ok(!ok(connection.pingInterval, v), `ping ${v}`);
  });

  it('holds no rule of its own: other generated rules change what it accepts and shows', function () {
    const rules = copy(runScripts([CONSTANTS]).BybitEditorConstants);
    assert.ok(rules);
    rules.symbolPattern = { source: '^[A-Z]{3}$', flags: '' };
    rules.throttleMaxMs = 10;
    rules.endpoints.v5.mainnet = { public: 'wss://example.test/public', private: 'wss://example.test/private' };
    rules.endpoints['spot-v3'].testnet = null;
    const other = runScripts([SCRIPT], { BybitEditorConstants: rules }).BybitEditor;
    assert.ok(other);
    assert.equal(other.firstBadSymbol('BTC,ETH,BTCUSDT'), 'BTCUSDT');
    assert.equal(other.fields('bybit-trade').throttle.validate?.(11), false);
    assert.deepEqual(copy(other.endpoints('mainnet', 'v5', '', '')), rules.endpoints.v5.mainnet);
    assert.deepEqual(copy(other.endpoints('testnet', 'spot-v3', '', '')), { error: 'demoV5Only' });
  });

  it('starts once, whichever of its two scripts the browser runs first', function () {
    // Node-RED adds a node's <script src> elements at once, and runs each as it arrives.
    for (const order of [[CONSTANTS, SCRIPT], [SCRIPT, CONSTANTS], [SCRIPT, SCRIPT, CONSTANTS, CONSTANTS, SCRIPT]]) {
      let starts = 0;
      let started: BybitEditor | undefined;
      const window = {} as EditorWindow;
      Object.defineProperty(window, 'BybitEditor', {
        get: () => started,
        set: (value: BybitEditor) => {
          starts++;
          started = value;
        },
      });
      runScripts(order, window);
      const names = order.map((f) => path.basename(f)).join(', ');
      assert.equal(starts, 1, names);
      assert.deepEqual(copy(started?.endpoints('testnet', 'v5', '', '')), { ...getDialect('v5').endpoints('testnet'), trade: tradeEndpoint('testnet') }, names);
    }
  });

  it("is loaded by every node's HTML together with its generated rules", function () {
    const nodesDir = path.resolve(__dirname, '../../nodes');
    const served = (file: string) => `resources/node-red-contrib-bybit-ws/${path.basename(file)}`;
    for (const file of fs.readdirSync(nodesDir).filter((f) => f.endsWith('.html'))) {
      const html = fs.readFileSync(path.join(nodesDir, file), 'utf8');
      const sources = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]);
      assert.deepEqual(sources, [served(CONSTANTS), served(SCRIPT)], file);
    }
  });
});
