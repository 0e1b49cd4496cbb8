/**
 * The example flows (Import → Examples): each is checked for what a user relies on when
 * importing it (a comment first, only core nodes and ours, the simulator's URLs), then run in
 * the Node-RED runtime against the simulator to show it does what its comment says.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Simulator } from '../src/simulator';
import { ALL_NODES, helper, nextEvent, withSimulator, type FlowNode, type Msg } from './support/flows';

const REPO = path.resolve(__dirname, '../..');
const EXAMPLES = path.join(REPO, 'examples');
const SIM_PORT = 8765;

/* eslint-disable @typescript-eslint/no-require-imports */
const CORE = {
  inject: require('@node-red/nodes/core/common/20-inject.js'),
  debug: require('@node-red/nodes/core/common/21-debug.js'),
  comment: require('@node-red/nodes/core/common/90-comment.js'),
  switch: require('@node-red/nodes/core/function/10-switch.js'),
  change: require('@node-red/nodes/core/function/15-change.js'),
  function: require('@node-red/nodes/core/function/10-function.js'),
  template: require('@node-red/nodes/core/function/80-template.js'),
  rbe: require('@node-red/nodes/core/function/rbe.js'),
  csv: require('@node-red/nodes/core/parsers/70-CSV.js'),
  file: require('@node-red/nodes/core/storage/10-file.js'),
  http: require('@node-red/nodes/core/network/21-httpin.js'),
  httpRequest: require('@node-red/nodes/core/network/21-httprequest.js'),
};
type Reply = Promise<{ status: number; body: Record<string, unknown> }>;
interface PostRequest {
  set(name: string, value: string): PostRequest;
  send(body: unknown): Reply;
}
const supertest = require('supertest') as (app: unknown) => { get(url: string): Reply; post(url: string): PostRequest };
/* eslint-enable @typescript-eslint/no-require-imports */

/** Types the examples may use: Node-RED core nodes (loaded above, plus catch/complete) and this package's. */
const CORE_TYPES = ['tab', 'comment', 'inject', 'debug', 'switch', 'change', 'function', 'template', 'rbe', 'csv', 'file', 'http in', 'http response', 'http request', 'catch', 'complete'];
/** The dashboard examples' FlowFuse Dashboard 2 nodes: config nodes, and the widgets that take msgs. */
const DASHBOARD_CONFIG = ['ui-base', 'ui-page', 'ui-group', 'ui-theme'];
const DASHBOARD_WIDGETS = ['ui-chart', 'ui-table'];

interface ExampleNode extends FlowNode {
  z?: string;
  name?: string;
  credentials?: Record<string, string>;
}

function exampleFiles(): string[] {
  return fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.json')).sort();
}

function readExample(file: string, port = SIM_PORT): ExampleNode[] {
  const text = fs.readFileSync(path.join(EXAMPLES, file), 'utf8');
  return JSON.parse(text.split(`127.0.0.1:${SIM_PORT}`).join(`127.0.0.1:${port}`)) as ExampleNode[];
}

function packageTypes(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { 'node-red': { nodes: Record<string, string> } };
  return Object.keys(pkg['node-red'].nodes);
}

/** The id of the node of `type` named `name` in an example. */
function idOf(flow: ExampleNode[], type: string, name: string): string {
  const node = flow.find((n) => n.type === type && n.name === name);
  assert.ok(node, `no ${type} named "${name}"`);
  return node.id;
}

describe('example flows', function () {
  it('each starts with a comment, uses only core nodes and ours, and points at the simulator', function () {
    const files = exampleFiles();
    assert.ok(files.length >= 10, `expected the ten examples, found ${files.join(', ')}`);
    const allowed = [...CORE_TYPES, ...packageTypes()];
    const dashboardAllowed = [...allowed, ...DASHBOARD_CONFIG, ...DASHBOARD_WIDGETS];
    for (const file of files) {
      const flow = readExample(file);
      const onCanvas = flow.filter((n) => n.type !== 'tab' && n.z !== undefined);
      assert.equal(onCanvas[0]?.type, 'comment', `${file}: the first node is a comment`);
      const types = file.startsWith('dashboard-') ? dashboardAllowed : allowed;
      for (const n of flow) assert.ok(types.includes(n.type), `${file}: ${n.type} is neither core nor ours${file.startsWith('dashboard-') ? ' nor a dashboard widget' : ''}`);
      const connections = flow.filter((n) => n.type === 'bybit-connection');
      assert.equal(connections.length, 1, `${file}: one connection`);
      assert.equal(connections[0].network, 'custom');
      assert.equal(connections[0].publicUrl, `ws://127.0.0.1:${SIM_PORT}/v5/public/spot`);
      assert.equal(connections[0].privateUrl, `ws://127.0.0.1:${SIM_PORT}/v5/private`);
      for (const n of flow.filter((x) => x.type.startsWith('bybit-') && x.type !== 'bybit-connection')) {
        assert.equal(n.connection, connections[0].id, `${file}: ${n.id} uses the example's connection`);
      }
      const ids = flow.map((n) => n.id);
      assert.equal(new Set(ids).size, ids.length, `${file}: ids are unique`);
    }
  });

  it('the dashboard examples share one dashboard (ui-base and ui-theme) and have a page each', function () {
    const dashboards = exampleFiles().filter((f) => f.startsWith('dashboard-'));
    assert.deepEqual(dashboards, ['dashboard-account.json', 'dashboard-market.json']);
    const shared = dashboards.map((f) => JSON.stringify(readExample(f).filter((n) => n.type === 'ui-base' || n.type === 'ui-theme')));
    // Identical config nodes: importing both examples, or `npm start -- --example dashboard`, keeps one of each.
    assert.equal(shared[0], shared[1]);
    assert.match(shared[0], /"path":"\/dashboard"/);
    const pages = dashboards.map((f) => readExample(f).filter((n) => n.type === 'ui-page').map((n) => n.path));
    assert.deepEqual(pages, [['/account'], ['/market']]);
  });

  it('the README links every example', function () {
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    for (const file of exampleFiles()) assert.ok(readme.includes(`(examples/${file})`), `README links examples/${file}`);
  });

  describe('running against the simulator', function () {
    let sim: Simulator;
    let httpNode: unknown;

    beforeEach(async function () {
      sim = await withSimulator({ tickMs: 50, seed: 3, credentials: [{ key: 'demo-key', secret: 'demo-secret' }] });
    });

    afterEach(async function () {
      await helper.unload();
      await sim.close();
    });

    async function load(file: string, transform = (flow: ExampleNode[]) => flow): Promise<ExampleNode[]> {
      const flow = transform(readExample(file, sim.port));
      const credentials: Record<string, unknown> = {};
      for (const n of flow) {
        if (n.credentials) credentials[n.id] = n.credentials;
      }
      // The http in node registers its route on RED.httpNode: keep it to send requests.
      const keepHttp = (RED: { httpNode: unknown }): void => {
        httpNode = RED.httpNode;
      };
      await helper.load([keepHttp, ...Object.values(CORE), ...ALL_NODES], flow.map(({ credentials: _c, ...n }) => n), credentials);
      return flow;
    }

    it('price alert: a notification text says where the price is', async function () {
      const flow = await load('price-alert.json');
      const alert = await nextEvent<Msg>(idOf(flow, 'debug', 'alert'), 'input', () => true, 10_000);
      assert.match(String(alert.payload), /^BTCUSDT is (above 30005|below 29995|back between 29995 and 30005): last price \d+(\.\d+)? \(24 h change -?\d/);
    });

    it('spread monitor: one chart-ready number per symbol', async function () {
      const flow = await load('spread-monitor.json');
      const seen = new Map<string, unknown>();
      await nextEvent<Msg>(idOf(flow, 'debug', 'chart input'), 'input', (msg) => {
        seen.set(String(msg.topic), msg.payload);
        return seen.size === 2;
      }, 10_000);
      assert.deepEqual([...seen.keys()].sort(), ['BTCUSDT', 'ETHUSDT']);
      for (const spread of seen.values()) assert.ok(typeof spread === 'number' && spread >= 0 && spread < 100, `spread ${spread} bps`);
    });

    it('candle logger: a closed candle becomes one CSV line', async function () {
      const subscribed = new Promise<void>((resolve) => sim.on('subscribe', (ev: { topics: string[] }) => ev.topics.includes('kline.1.BTCUSDT') && resolve()));
      const flow = await load('candle-logger.json');
      const csv = nextEvent<Msg>(idOf(flow, 'debug', 'csv'), 'input', () => true, 10_000);
      await subscribed;
      // Tests cannot wait for the minute to end: the simulator closes the candle now.
      sim.closeCandle('kline.1.BTCUSDT');
      const line = String((await csv).payload);
      assert.match(line, /^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z,BTCUSDT,\d+(\.\d+)?,\d+(\.\d+)?,\d+(\.\d+)?,\d+(\.\d+)?,\d+(\.\d+)?\n$/);
    });

    it('dynamic watch-list: inject buttons and HTTP change and list the symbols', async function () {
      const started = new Promise<void>((resolve) => sim.on('subscribe', (ev: { topics: string[] }) => ev.topics.includes('tickers.BTCUSDT') && resolve()));
      const flow = await load('dynamic-watch-list.json');
      const inject = (name: string) => helper.getNode(idOf(flow, 'inject', name)).receive({});
      const watching = idOf(flow, 'debug', 'watching');
      // The complete node passes each control msg on once Bybit has confirmed it.
      const confirmed = (count: number) => {
        let seen = 0;
        return nextEvent(idOf(flow, 'change', 'ok'), 'input', () => ++seen === count);
      };
      await started;

      const both = confirmed(2);
      inject('watch ETHUSDT');
      inject('watch SOLUSDT, XRPUSDT (array payload)');
      await both;
      const listed = nextEvent<Msg>(watching, 'input');
      inject('list');
      assert.deepEqual([...((await listed).payload as string[])].sort(), ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT']);

      // Only a JSON POST changes the list: a GET (an <img> on any web page) and a form-style body do not.
      const get = await supertest(httpNode).get('/bybit/watch?action=unsubscribe&symbol=ETHUSDT');
      assert.equal(get.status, 404);
      const form = await supertest(httpNode).post('/bybit/watch').set('Content-Type', 'text/plain').send('action=unsubscribe&symbol=ETHUSDT');
      assert.equal(form.status, 415);
      assert.equal(form.body.ok, false);
      const ok = await supertest(httpNode).post('/bybit/watch').send({ action: 'unsubscribe', symbol: 'ETHUSDT,SOLUSDT' });
      assert.equal(ok.status, 200);
      assert.deepEqual(ok.body, { ok: true, action: 'unsubscribe', symbol: 'ETHUSDT,SOLUSDT' });
      const bad = await supertest(httpNode).post('/bybit/watch').send({ action: 'subscribe', symbol: 'ethusdt' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.ok, false);
      // The test helper's RED._ returns catalog keys, not texts.
      assert.match(String(bad.body.error), /errors\.symbolInvalid/);

      const relisted = nextEvent<Msg>(watching, 'input');
      inject('list');
      assert.deepEqual([...((await relisted).payload as string[])].sort(), ['BTCUSDT', 'XRPUSDT']);
    });

    it('order-book imbalance: a number between -1 and 1 from the top levels', async function () {
      const flow = await load('order-book-imbalance.json');
      const msg = await nextEvent<Msg>(idOf(flow, 'debug', 'imbalance'), 'input', () => true, 10_000);
      const p = msg.payload as { symbol: string; bestBid: number; bestAsk: number; imbalance: number };
      assert.equal(p.symbol, 'BTCUSDT');
      assert.ok(p.bestBid < p.bestAsk, 'an uncrossed book');
      assert.ok(p.imbalance >= -1 && p.imbalance <= 1, `imbalance ${p.imbalance}`);
    });

    it('balances and fills: the simulated balance and the two fills become text lines', async function () {
      this.timeout(20_000);
      const flow = await load('balances-and-fills.json');
      const balances = nextEvent<Msg>(idOf(flow, 'debug', 'balances'), 'input', () => true, 15_000);
      let fills = 0;
      const fill = nextEvent<Msg>(idOf(flow, 'debug', 'fills'), 'input', () => ++fills === 2, 15_000);
      assert.match(String((await balances).payload), /^USDT 10\d\d(\.\d+)? \(free \d+(\.\d+)?, locked 25\)$/);
      assert.match(String((await fill).payload), /^Fill: Buy 0\.005 BTCUSDT at \d+(\.\d+)?, fee \d+(\.\d+)? BTC$/);
    });

    it('funding-rate watcher: linear tickers become one funding alert text per symbol', async function () {
      const flow = await load('funding-rate-watcher.json');
      const alert = await nextEvent<Msg>(idOf(flow, 'debug', 'funding alert'), 'input', () => true, 10_000);
      assert.match(String(alert.payload), /^(BTCUSDT|ETHUSDT) funding -?\d+\.\d{4} % \((high|negative|normal)\), next funding \d{4}-\d\d-\d\dT[\d:.]+Z, mark \d+(\.\d+)?$/);
    });

    it('liquidation feed: the simulated liquidation becomes a text line', async function () {
      const flow = await load('liquidation-feed.json');
      const line = await nextEvent<Msg>(idOf(flow, 'debug', 'liquidations'), 'input', (m) => String(m.payload).includes('25 ETHUSDT'), 10_000);
      assert.equal(line.payload, 'Liquidated: Sell 25 ETHUSDT at 2100.5');
    });

    it('position PnL monitor: the simulated long becomes a PnL line', async function () {
      const flow = await load('position-pnl-monitor.json');
      const line = await nextEvent<Msg>(idOf(flow, 'debug', 'pnl'), 'input', () => true, 10_000);
      assert.match(String(line.payload), /^BTCUSDT long 0\.5 @ 30000: unrealised [+-]\d+(\.\d+)? \(mark \d+(\.\d+)?, liq \d+(\.\d+)?\)$/);
    });

    /** A dashboard example without the dashboard: each chart and table becomes a helper node receiving its msgs. */
    function withoutDashboard(flow: ExampleNode[]): ExampleNode[] {
      return flow
        .filter((n) => !DASHBOARD_CONFIG.includes(n.type))
        .map((n) => (DASHBOARD_WIDGETS.includes(n.type) ? { id: n.id, type: 'helper', z: n.z, name: n.name } : n));
    }

    it('market dashboard: price and spread lines, a 10-level book table and the newest trades first', async function () {
      const flow = await load('dashboard-market.json', withoutDashboard);
      const series = new Set<string>();
      const price = nextEvent<Msg>(idOf(flow, 'helper', 'price chart'), 'input', (msg) => {
        assert.ok(typeof msg.payload === 'number' && msg.payload > 0, `price ${msg.payload}`);
        series.add(String(msg.topic));
        return series.size === 2;
      }, 10_000);
      const spread = nextEvent<Msg>(idOf(flow, 'helper', 'spread chart'), 'input', () => true, 10_000);
      const book = nextEvent<Msg>(idOf(flow, 'helper', 'order book table'), 'input', () => true, 10_000);
      const trades = nextEvent<Msg>(idOf(flow, 'helper', 'last trades table'), 'input', (msg) => (msg.payload as unknown[]).length >= 3, 10_000);

      await price;
      assert.deepEqual([...series].sort(), ['last trade', 'mid']);
      const s = await spread;
      assert.equal(s.topic, 'spread (bps)');
      assert.ok(typeof s.payload === 'number' && s.payload > 0 && s.payload < 100, `spread ${s.payload} bps`);

      const rows = (await book).payload as { bidQty: number; bid: number; ask: number; askQty: number }[];
      assert.equal(rows.length, 10);
      assert.ok(rows[0].bid < rows[0].ask, 'best bid below best ask');
      for (let i = 1; i < rows.length; i++) assert.ok(rows[i].bid < rows[i - 1].bid && rows[i].ask > rows[i - 1].ask, `level ${i + 1} is further from the touch`);

      const recent = (await trades).payload as { time: string; side: string; price: number; qty: number }[];
      assert.ok(recent.length <= 15);
      for (const t of recent) {
        assert.match(t.time, /^\d\d:\d\d:\d\d\.\d{3}$/);
        assert.ok(t.side === 'Buy' || t.side === 'Sell');
      }
      for (let i = 1; i < recent.length; i++) {
        const [newer, older] = [recent[i - 1].time, recent[i].time];
        // Newest first; UTC midnight between two trades is the one place a later time reads smaller.
        assert.ok(newer >= older || (newer < '00:01' && older > '23:59'), `${newer} listed before ${older}`);
      }
    });

    it('account dashboard: a balance row per coin and the newest fills first', async function () {
      this.timeout(20_000);
      const flow = await load('dashboard-account.json', withoutDashboard);
      const balances = nextEvent<Msg>(idOf(flow, 'helper', 'balances table'), 'input', (msg) => (msg.payload as unknown[]).length === 2, 15_000);
      const fills = nextEvent<Msg>(idOf(flow, 'helper', 'fills table'), 'input', (msg) => (msg.payload as unknown[]).length >= 2, 15_000);
      const rows = (await balances).payload as { coin: string; total: number; free: number; locked: number }[];
      // Arrays made in the function node's sandbox have its Array prototype: copy before deepEqual.
      assert.deepEqual(Array.from(rows, (r) => r.coin), ['BTC', 'USDT']);
      assert.ok(rows[1].total >= 1000 && rows[1].total <= 1100 && rows[1].locked === 25, JSON.stringify(rows[1]));
      const recent = (await fills).payload as { symbol: string; side: string; qty: number; fee: string }[];
      assert.deepEqual(Array.from(recent.slice(0, 2), (f) => [f.symbol, f.side, f.qty]), [['BTCUSDT', 'Buy', 0.005], ['BTCUSDT', 'Buy', 0.005]]);
      assert.match(recent[0].fee, /^\d+(\.\d+)? BTC$/);
    });

    it('order in, fill out: the placed limit order fills in part on the order and execution nodes, and the button cancels the rest', async function () {
      this.timeout(20_000);
      const flow = await load('order-in-fill-out.json');
      const mine = (m: Msg) => (m.payload as { clientOrderId?: string }).clientOrderId === 'example-1';
      const partly = nextEvent<Msg>(idOf(flow, 'debug', 'orders'), 'input', (m) => mine(m) && (m.payload as { status: string }).status === 'PartiallyFilled', 10_000);
      const fill = nextEvent<Msg>(idOf(flow, 'debug', 'fills'), 'input', mine, 10_000);
      const reply = await nextEvent<Msg>(idOf(flow, 'debug', 'reply'), 'input', () => true, 10_000);
      assert.deepEqual([(reply.payload as { retCode: number }).retCode, (reply.payload as { orderLinkId: string }).orderLinkId], [0, 'example-1']);
      const orderId = (reply.payload as { orderId: string }).orderId;
      assert.equal(((await partly).payload as { orderId: string }).orderId, orderId);
      assert.equal(((await fill).payload as { orderId: string }).orderId, orderId);
      const cancelled = nextEvent<Msg>(idOf(flow, 'debug', 'orders'), 'input', (m) => mine(m) && /Cancel/.test((m.payload as { status: string }).status), 10_000);
      helper.getNode(idOf(flow, 'inject', 'cancel the rest')).receive({});
      assert.equal(((await cancelled).payload as { status: string }).status, 'PartiallyFilledCanceled', 'spot: the filled half stays, the rest is cancelled');
    });

    it('order-fill notifier: the simulated order ends in one "Filled" text', async function () {
      this.timeout(20_000);
      const flow = await load('order-fill-notifier.json');
      // The inject node places the first simulated order 3 s after deploy.
      const note = await nextEvent<Msg>(idOf(flow, 'debug', 'notification'), 'input', () => true, 15_000);
      assert.match(String(note.payload), /^Filled: Buy 0\.01 BTCUSDT at \d+(\.\d+)? \(order \d+\)$/);
    });
  });
});
