/**
 * The dashboard examples in a real browser: both FlowFuse Dashboard 2 examples deployed against
 * the simulator, /dashboard opened in headless Chromium, and the chart's points and the tables'
 * rows seen changing as simulator data arrives. Screenshots go to artifacts/e2e/.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, deployFlow, exampleFlow, launchBrowser, startEditorEnv, type Browser, type EditorEnv } from './editor-env';

const EXAMPLES = ['dashboard-market.json', 'dashboard-account.json'];

/** Node ids in the examples, by the name the node has there. */
function idByName(flow: { id: string; name?: unknown }[], name: string): string {
  const node = flow.find((n) => n.name === name);
  assert.ok(node, `the dashboard examples have a node named "${name}"`);
  return node.id;
}

describe('dashboard examples in a real browser', function () {
  this.timeout(120_000);

  let env: EditorEnv;
  let browser: Browser;
  let page: Page;
  let ids: Record<'price' | 'spread' | 'book' | 'trades' | 'balances' | 'fills', string>;
  const pageErrors: string[] = [];

  before(async function () {
    this.timeout(180_000);
    env = await startEditorEnv(path.join(ARTIFACTS, 'node-red-dashboard.log'));
    const flow = exampleFlow(EXAMPLES, env.sim) as { id: string; name?: unknown }[];
    ids = {
      price: idByName(flow, 'price chart'),
      spread: idByName(flow, 'spread chart'),
      book: idByName(flow, 'order book table'),
      trades: idByName(flow, 'last trades table'),
      balances: idByName(flow, 'balances table'),
      fills: idByName(flow, 'fills table'),
    };
    // Node-RED finds the dashboard (a devDependency) in the node_modules it is installed in.
    const modules = (await (await fetch(`${env.url}nodes`, { headers: { Accept: 'application/json' } })).json()) as { module: string }[];
    assert.ok(modules.some((m) => m.module === '@flowfuse/node-red-dashboard'), 'Node-RED loaded @flowfuse/node-red-dashboard');
    await deployFlow(env, flow);
    browser = await launchBrowser();
    // Dashboard 2 keeps its chart components in window.uiCharts when it runs under a test runner
    // (it checks window.Cypress): the way to read the points a chart draws on its canvas.
    await browser.context.addInitScript(() => {
      const win = globalThis as unknown as DashboardWindow & { Cypress: object };
      win.Cypress = {};
      win.tableRows = (widget) =>
        [...win.document.querySelectorAll(`#nrdb-ui-widget-${widget} tbody tr`)].map((tr) =>
          [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim()).join(' '),
        );
    });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('pageerror', (err) => pageErrors.push(err.stack ?? err.message));
  });

  after(async function () {
    this.timeout(30_000);
    await browser?.close();
    await env?.stop();
  });

  /** Points per series of a chart, e.g. {mid: 12, 'last trade': 12}. */
  function chartPoints(id: string): Promise<Record<string, number>> {
    return page.evaluate((chartId) => {
      const charts = (globalThis as unknown as DashboardWindow).uiCharts ?? {};
      const series = charts[chartId]?.chart?.getOption().series ?? [];
      return Object.fromEntries(series.map((s) => [s.name, s.data.length]));
    }, id);
  }

  /** Waits until every named series of a chart has more points than `than` (or at least `min`). */
  async function chartGrows(id: string, names: string[], than: Record<string, number>, min = 1): Promise<Record<string, number>> {
    await page.waitForFunction(
      ([chartId, wanted, before, least]) => {
        const charts = (globalThis as unknown as DashboardWindow).uiCharts ?? {};
        const series = charts[chartId]?.chart?.getOption().series ?? [];
        return wanted.every((name) => {
          const n = series.find((s) => s.name === name)?.data.length ?? 0;
          return n >= least && n > (before[name] ?? 0);
        });
      },
      [id, names, than, min] as const,
      { timeout: 30_000 },
    );
    return chartPoints(id);
  }

  /** A table's rows, each as its cells' texts joined by spaces. */
  function rows(id: string): Promise<string[]> {
    return page.evaluate((widget) => (globalThis as unknown as DashboardWindow).tableRows(widget), id);
  }

  /** Waits until a table shows at least `count` rows and they differ from `before`. */
  async function rowsChange(id: string, before: string[], count = 1): Promise<string[]> {
    await page.waitForFunction(
      ([widget, old, least]) => {
        const now = (globalThis as unknown as DashboardWindow).tableRows(widget);
        return now.length >= least && now.join('\n') !== old.join('\n');
      },
      [id, before, count] as const,
      { timeout: 30_000 },
    );
    return rows(id);
  }

  /** A screenshot of the page down to its last group (the rest of the viewport is empty). */
  async function screenshot(file: string): Promise<void> {
    const bottom = await page.evaluate(() => {
      const groups = [...(globalThis as unknown as DashboardWindow).document.querySelectorAll('.nrdb-ui-group')];
      return Math.max(...groups.map((g) => g.getBoundingClientRect().bottom));
    });
    await page.screenshot({ path: path.join(ARTIFACTS, file), clip: { x: 0, y: 0, width: 1400, height: Math.min(900, Math.ceil(bottom) + 12) } });
  }

  it('opens /dashboard on the market page: price and spread lines gain points as data arrives', async function () {
    await page.goto(`${env.url}dashboard`);
    await page.waitForURL(/\/dashboard\/market$/);
    await page.locator(`#nrdb-ui-widget-${ids.price} canvas`).first().waitFor();
    const first = await chartGrows(ids.price, ['mid', 'last trade'], {}, 2);
    const later = await chartGrows(ids.price, ['mid', 'last trade'], first);
    assert.ok(later.mid > first.mid && later['last trade'] > first['last trade'], JSON.stringify({ first, later }));
    const spread = await chartGrows(ids.spread, ['spread (bps)'], {}, 2);
    await chartGrows(ids.spread, ['spread (bps)'], spread);
  });

  it('shows the top 10 levels of the order book, bids below asks, and updates them', async function () {
    const before = await rowsChange(ids.book, [], 10);
    assert.equal(before.length, 10);
    const cells = await page.locator(`#nrdb-ui-widget-${ids.book} tbody tr`).first().locator('td').allTextContents();
    const [bidQty, bid, ask, askQty] = cells.map(Number);
    assert.ok(bidQty > 0 && askQty > 0 && bid > 0 && bid < ask, `best level ${cells.join(' | ')}`);
    const after = await rowsChange(ids.book, before, 10);
    assert.equal(after.length, 10);
  });

  it('lists the last trades, newest first, and adds new ones as they happen', async function () {
    const before = await rowsChange(ids.trades, [], 3);
    for (const row of before) assert.match(row, /^\d\d:\d\d:\d\d\.\d{3} (Buy|Sell) \d+(\.\d+)? \d+(\.\d+)?$/);
    const after = await rowsChange(ids.trades, before);
    assert.notEqual(after[0], before[0], 'a newer trade is on top');
    await screenshot('dashboard-market.png');
  });

  it('shows the account page: a balance row per coin and the newest fills, updated as the simulated account moves', async function () {
    await page.goto(`${env.url}dashboard/account`);
    // The example's inject nodes have the simulator set balances and fill an order every 5 s.
    const balances = await rowsChange(ids.balances, [], 2);
    assert.deepEqual(balances.map((r) => r.split(' ')[0]), ['BTC', 'USDT']);
    const fills = await rowsChange(ids.fills, [], 2);
    for (const row of fills) assert.match(row, /^\d\d:\d\d:\d\d BTCUSDT Buy \d+(\.\d+)? 0\.005 \S+ BTC$/);
    const more = await rowsChange(ids.fills, fills, fills.length + 1);
    assert.ok(more.length > fills.length, 'a new fill adds a row');
    await rowsChange(ids.balances, balances, 2);
    await screenshot('dashboard-account.png');
  });

  it('raised no script error in the dashboard', function () {
    assert.deepEqual(pageErrors, []);
  });
});

/** The slice of the dashboard page's globals these tests use (the test compiles without DOM types). */
interface DomElement {
  textContent: string | null;
  querySelectorAll(selector: string): Iterable<DomElement>;
  getBoundingClientRect(): { bottom: number };
}
interface DashboardWindow {
  uiCharts?: Record<string, { chart?: { getOption(): { series: { name: string; data: unknown[] }[] } } }>;
  document: DomElement;
  /** Installed by the init script: a table widget's rows, each as its cells' texts joined by spaces. */
  tableRows(widget: string): string[];
}
