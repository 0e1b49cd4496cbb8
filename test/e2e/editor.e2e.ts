/**
 * The editor in a real browser: headless Chromium drives Node-RED's editor with this package
 * loaded, against the simulator. One scenario, in the order a user meets things: the palette,
 * a node's dialog, the connection dialog, an example imported and deployed, live messages in
 * the debug sidebar, then the same editor in Chinese. Screenshots go to artifacts/e2e/.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { DEMO_CREDENTIALS, freePort, REPO_ROOT, startEditorEnv, type EditorEnv } from './editor-env';
import { CATALOGUE } from '../../src/simulator/instruments';

const ARTIFACTS = path.join(REPO_ROOT, 'artifacts', 'e2e');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const EXAMPLE = 'live-trades-and-ticker';

interface PackageJson {
  'node-red': { nodes: Record<string, string> };
}

/** Palette types come from the manifest, so the expectation grows as node types land. */
function paletteTypes(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson;
  return Object.keys(pkg['node-red'].nodes).filter((type) => type !== 'bybit-connection');
}

type Catalog = Record<string, unknown>;
function catalog(lang: string, type: string): Catalog {
  return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'locales', lang, `${type}.json`), 'utf8')) as Catalog;
}

/** A catalog entry by dotted key, e.g. text(cat, 'editor.label.symbols'). */
function text(cat: Catalog, key: string): string {
  const value = key.split('.').reduce<unknown>((obj, k) => (obj as Catalog | undefined)?.[k], cat);
  if (typeof value !== 'string') throw new Error(`no catalog text for ${key}`);
  return value;
}

/** The first paragraph of a node's help file in one language, as plain text. */
function helpSummary(lang: string, type: string): string {
  const html = fs.readFileSync(path.join(REPO_ROOT, 'locales', lang, `${type}.html`), 'utf8');
  const first = /<p>([\s\S]*?)<\/p>/.exec(html);
  if (!first) throw new Error(`no paragraph in ${lang}/${type}.html`);
  return first[1].replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
}

describe('editor in a real browser', function () {
  this.timeout(120_000);

  let env: EditorEnv;
  let context: BrowserContext;
  let page: Page;
  let profileDir: string;
  const pageErrors: string[] = [];

  before(async function () {
    this.timeout(180_000);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    env = await startEditorEnv(path.join(ARTIFACTS, 'node-red.log'));
    profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bybit-e2e-chromium-'));
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1400, height: 900 },
      locale: 'en-US',
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (err) => pageErrors.push(err.stack ?? err.message));
    await openEditor();
  });

  after(async function () {
    this.timeout(30_000);
    await context?.close();
    await env?.stop();
    if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
  });

  async function openEditor(): Promise<void> {
    await page.goto(env.url);
    await page.locator('#red-ui-palette-bybit').waitFor();
    // The editor is ready for input once the loading screen has gone.
    await page.locator('#red-ui-main-container').waitFor();
    await page.locator('.red-ui-loading, #red-ui-loading-progress').first().waitFor({ state: 'hidden' });
  }

  /** Shows only the bybit palette category, so it fits a screenshot. */
  async function showBybitCategory(): Promise<Locator> {
    await page.locator('#red-ui-palette button.red-ui-footer-button:has(i.fa-angle-double-up)').click();
    await page.locator('#red-ui-palette-header-bybit').click();
    await page.locator('#red-ui-palette-container-bybit.red-ui-palette-open').waitFor();
    await waitForAnimations();
    return page.locator('#red-ui-palette-bybit');
  }

  /** The palette opens and closes categories with jQuery animations: wait for them to end. */
  async function waitForAnimations(): Promise<void> {
    await page.waitForFunction(() => (globalThis as unknown as EditorWindow).$(':animated').length === 0);
  }

  /** Node-RED's last step in opening an edit tray is to focus its first field: wait for it in the top tray. */
  async function trayOpened(): Promise<void> {
    await page.waitForFunction(() => {
      const doc = (globalThis as unknown as EditorWindow).document;
      const trays = doc.querySelectorAll('.red-ui-tray');
      const top = trays[trays.length - 1];
      return Boolean(top && doc.activeElement && top.contains(doc.activeElement));
    });
  }

  /** Drags a palette node onto the workspace and returns its id. */
  async function dropFromPalette(type: string, x: number, y: number): Promise<string> {
    const before = await nodeIds(type);
    const item = page.locator(`#red-ui-palette-bybit .red-ui-palette-node[data-palette-type="${type}"]`);
    await item.scrollIntoViewIfNeeded();
    const box = await item.boundingBox();
    assert.ok(box, `${type} is not visible in the palette`);
    const chart = await page.locator('#red-ui-workspace-chart').boundingBox();
    assert.ok(chart);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(chart.x + x, chart.y + y, { steps: 12 });
    await page.mouse.up();
    await page.waitForFunction(([t, n]) => (globalThis as unknown as EditorWindow).RED.nodes.filterNodes({ type: t }).length > n, [type, before.length] as const);
    const after = await nodeIds(type);
    const added = after.find((id) => !before.includes(id));
    assert.ok(added, `dropping ${type} added no node`);
    return added;
  }

  function nodeIds(type: string): Promise<string[]> {
    return page.evaluate((t) => (globalThis as unknown as EditorWindow).RED.nodes.filterNodes({ type: t }).map((n) => n.id), type);
  }

  function nodeOnCanvas(id: string): Locator {
    return page.locator(`g.red-ui-flow-node-group[id="${id}"] rect.red-ui-flow-node`);
  }

  it('shows every palette node of the package in the bybit category', async function () {
    const expected = paletteTypes();
    assert.ok(expected.includes('bybit-trade'), 'package.json lists bybit-trade');
    const category = await showBybitCategory();
    const shown = await category.locator('.red-ui-palette-node').evaluateAll((els) =>
      els.map((el) => ({ type: el.getAttribute('data-palette-type'), label: el.textContent?.trim() })),
    );
    assert.deepEqual(shown.map((s) => s.type).sort(), [...expected].sort());
    // Palette names are the channel words of msg.topic.
    for (const { type, label } of shown) assert.equal(label, type?.replace(/^bybit-/, ''));
    await page.locator('#red-ui-palette').screenshot({ path: path.join(ARTIFACTS, 'palette.png') });
  });

  let tradeId = '';

  it('opens a trade dialog that upper-cases symbols as they are typed and flags a bad one', async function () {
    tradeId = await dropFromPalette('bybit-trade', 260, 120);
    await nodeOnCanvas(tradeId).dblclick();
    const symbols = page.locator('#node-input-symbols');
    await trayOpened();
    // A new node starts with BTCUSDT.
    assert.equal(await symbols.inputValue(), 'BTCUSDT');
    const en = catalog('en-US', 'bybit-connection');
    await assert.doesNotReject(page.locator('label[for="node-input-symbols"]', { hasText: text(en, 'editor.label.symbols') }).waitFor());

    await symbols.fill('');
    await symbols.pressSequentially('btcusdt,ethusdt');
    assert.equal(await symbols.inputValue(), 'BTCUSDT,ETHUSDT');
    assert.equal(await symbols.evaluate((el) => el.classList.contains('input-error')), false);

    await symbols.pressSequentially(',eth-usd');
    await page.locator('#node-input-symbols.input-error').waitFor();
    await page.locator('.bybit-symbols-hint.bybit-hint-error', { hasText: 'ETH-USD' }).waitFor();

    await symbols.fill('BTCUSDT, ethusdt');
    await page.locator('#node-input-symbols:not(.input-error)').waitFor();
    assert.deepEqual(await page.locator('#node-input-output option').evaluateAll((els) => els.map((el) => (el as unknown as { value: string }).value)), ['normalized', 'raw']);
    await page.locator('.red-ui-tray').first().screenshot({ path: path.join(ARTIFACTS, 'trade-dialog.png') });
  });

  it('opens the connection dialog, which shows the endpoints it will use and hides the secret', async function () {
    // The + beside the connection field opens the dialog for a new connection.
    await page.locator('#node-input-btn-connection-add').click();
    const network = page.locator('#node-config-input-network');
    await trayOpened();
    const endpoint = (name: string) => page.locator(`.bybit-endpoint[data-endpoint="${name}"] .bybit-endpoint-url`);

    assert.equal(await endpoint('public').textContent(), 'wss://stream.bybit.com/v5/public/spot');
    assert.equal(await endpoint('private').textContent(), 'wss://stream.bybit.com/v5/private');
    await network.selectOption('testnet');
    assert.equal(await endpoint('public').textContent(), 'wss://stream-testnet.bybit.com/v5/public/spot');
    await network.selectOption('demo');
    assert.equal(await endpoint('public').textContent(), 'wss://stream.bybit.com/v5/public/spot');
    assert.equal(await endpoint('private').textContent(), 'wss://stream-demo.bybit.com/v5/private');
    await page.locator('#node-config-input-api').selectOption('spot-v1');
    await page.locator('.bybit-endpoints .bybit-hint-error').waitFor();
    await network.selectOption('mainnet');
    assert.equal(await endpoint('public2').textContent(), 'wss://stream.bybit.com/spot/quote/ws/v2');

    await page.locator('#node-config-input-api').selectOption('v5');
    await network.selectOption('custom');
    await page.locator('#node-config-input-publicUrl').fill(env.sim.url('/v5/public/spot'));
    await page.locator('#node-config-input-privateUrl').fill(env.sim.url('/v5/private'));
    assert.equal(await endpoint('public').textContent(), env.sim.url('/v5/public/spot'));

    const ping = page.locator('#node-config-input-pingInterval');
    // Node-RED validates on key presses, so type like a user.
    await ping.fill('');
    await ping.pressSequentially('2');
    await page.locator('#node-config-input-pingInterval.input-error').waitFor();
    await ping.pressSequentially('0');
    await page.locator('#node-config-input-pingInterval:not(.input-error)').waitFor();

    assert.equal(await page.locator('#node-config-input-apiSecret').getAttribute('type'), 'password');
    await page.locator('#node-config-input-apiKey').fill(DEMO_CREDENTIALS.key);
    await page.locator('#node-config-input-apiSecret').fill(DEMO_CREDENTIALS.secret);
    await page.locator('.red-ui-tray').last().screenshot({ path: path.join(ARTIFACTS, 'config-dialog.png') });
    await page.locator('#node-config-dialog-ok').click();
    await network.waitFor({ state: 'detached' });

    await page.locator('#node-dialog-ok').click();
    await page.locator('#node-input-symbols').waitFor({ state: 'detached' });
    // The label names the channel and the symbols, tidied on save.
    await page.locator(`g.red-ui-flow-node-group[id="${tradeId}"] .red-ui-flow-node-label`, { hasText: 'trade BTCUSDT,ETHUSDT' }).waitFor();
    const saved = await page.evaluate((id) => (globalThis as unknown as EditorWindow).RED.nodes.node(id)?.symbols, tradeId);
    assert.equal(saved, 'BTCUSDT,ETHUSDT');
  });

  it('suggests symbols from the connection\'s instrument list as they are typed, and still takes any typed symbol', async function () {
    const en = catalog('en-US', 'bybit-connection');
    await nodeOnCanvas(tradeId).dblclick();
    await trayOpened();
    const symbols = page.locator('#node-input-symbols');
    const listHint = page.locator('.bybit-symbols-list');
    // The simulator's spot list, fetched by the runtime for this (undeployed) connection.
    const ready = text(en, 'editor.symbolList.ready').replace('__count__', String(CATALOGUE.spot.length)).replace('__category__', 'spot');
    await listHint.filter({ hasText: ready }).waitFor();

    await symbols.fill('ETHUSDT,');
    await symbols.pressSequentially('bt');
    const menu = page.locator('.bybit-symbols-menu');
    await menu.waitFor({ state: 'visible' });
    const offered = await menu.locator('.ui-menu-item').allTextContents();
    assert.ok(offered.includes('BTCUSDT'), `BTCUSDT offered: ${offered.join(' ')}`);
    assert.ok(offered.indexOf('BTCUSDT') < offered.indexOf('ETHBTC'), 'symbols starting with BT come first');
    assert.ok(offered.every((s) => s.includes('BT')), offered.join(' '));
    await page.locator('.red-ui-editor').screenshot({ path: path.join(ARTIFACTS, 'symbol-picklist.png') });
    await menu.locator('.ui-menu-item', { hasText: /^BTCUSDT$/ }).click();
    assert.equal(await symbols.inputValue(), 'ETHUSDT,BTCUSDT');
    await menu.waitFor({ state: 'hidden' });

    // A symbol the list does not have is still a symbol: typing stays allowed.
    await symbols.pressSequentially(',newcoinusdt');
    assert.equal(await symbols.inputValue(), 'ETHUSDT,BTCUSDT,NEWCOINUSDT');
    await page.locator('#node-input-symbols:not(.input-error)').waitFor();
    await page.locator('#node-dialog-cancel').click();
    await symbols.waitFor({ state: 'detached' });
  });

  it('says the symbol list is unavailable, and why, when its server cannot be reached', async function () {
    const en = catalog('en-US', 'bybit-connection');
    await nodeOnCanvas(tradeId).dblclick();
    await trayOpened();
    await page.locator('.bybit-symbols-list[data-state="ready"]').waitFor();
    // Point the connection at a port nothing listens on, from the trade dialog's pencil button.
    const publicUrl = page.locator('#node-config-input-publicUrl');
    await page.locator('#node-input-btn-connection-edit').click();
    await trayOpened();
    const workingUrl = await publicUrl.inputValue();
    await publicUrl.fill(`ws://127.0.0.1:${await freePort()}/v5/public/spot`);
    await page.locator('#node-config-dialog-ok').click();
    await publicUrl.waitFor({ state: 'detached' });

    await page.locator('#node-input-symbols').focus();
    const unavailable = text(en, 'editor.symbolList.unavailable').replace('__reason__', text(en, 'editor.symbolList.reason.unreachable'));
    await page.locator('.bybit-symbols-list.bybit-hint-error', { hasText: unavailable }).waitFor();
    await page.locator('.red-ui-tray').first().screenshot({ path: path.join(ARTIFACTS, 'symbol-list-unavailable.png') });
    // Typing still works, with the usual check.
    await page.locator('#node-input-symbols').fill('');
    await page.locator('#node-input-symbols').pressSequentially('solusdt');
    assert.equal(await page.locator('#node-input-symbols').inputValue(), 'SOLUSDT');
    await page.locator('#node-input-symbols:not(.input-error)').waitFor();

    await page.locator('#node-input-btn-connection-edit').click();
    await trayOpened();
    await publicUrl.fill(workingUrl);
    await page.locator('#node-config-dialog-ok').click();
    await publicUrl.waitFor({ state: 'detached' });
    await page.locator('#node-dialog-cancel').click();
    await page.locator('#node-input-symbols').waitFor({ state: 'detached' });
    // jQuery UI's menu goes with the field it served.
    assert.equal(await page.locator('.bybit-symbols-menu').count(), 0);
  });

  it('gives every palette node its dialog: symbols, interval, depth and closed-candles rows where they apply', async function () {
    const rows: Record<string, string[]> = {
      'bybit-kline': ['#node-input-symbols', '#node-input-interval', '#node-input-closedOnly'],
      'bybit-orderbook': ['#node-input-symbols', '#node-input-depth'],
      'bybit-account': [],
      'bybit-order': ['#node-input-symbols'],
      'bybit-execution': ['#node-input-symbols'],
    };
    const absent = ['#node-input-symbols', '#node-input-interval', '#node-input-depth', '#node-input-closedOnly'];
    for (const [index, type] of paletteTypes().entries()) {
      if (type === 'bybit-trade') continue; // opened above
      const id = await dropFromPalette(type, 260 + (index % 3) * 200, 200 + Math.floor(index / 3) * 60);
      await nodeOnCanvas(id).dblclick();
      await trayOpened();
      const expected = rows[type] ?? ['#node-input-symbols'];
      for (const field of ['#node-input-connection', '#node-input-output', '#node-input-throttle', '#node-input-name', ...expected]) {
        assert.equal(await page.locator(field).count(), 1, `${type}: ${field}`);
      }
      for (const field of absent.filter((f) => !expected.includes(f))) assert.equal(await page.locator(field).count(), 0, `${type} has no ${field}`);
      if (type === 'bybit-kline') {
        const intervals = await page.locator('#node-input-interval option').evaluateAll((els) => els.map((el) => (el as unknown as { value: string }).value));
        assert.deepEqual(intervals, ['1', '3', '5', '15', '30', '60', '120', '240', '360', '720', 'D', 'W', 'M']);
        await page.locator('#node-input-interval').selectOption('15');
        await page.locator('#node-input-closedOnly').check();
        await page.locator('.red-ui-tray').first().screenshot({ path: path.join(ARTIFACTS, 'kline-dialog.png') });
      }
      if (type === 'bybit-orderbook') {
        const depths = await page.locator('#node-input-depth option').evaluateAll((els) => els.map((el) => (el as unknown as { value: string }).value));
        assert.deepEqual(depths, ['1', '50', '200', '1000']);
        assert.equal(await page.locator('#node-input-depth').inputValue(), '50');
      }
      if (type === 'bybit-order') {
        // The private filter may stay empty: every symbol passes.
        await page.locator('#node-input-symbols').fill('');
        await page.locator('#node-input-symbols:not(.input-error)').waitFor();
      }
      await page.locator('#node-dialog-ok').click();
      await page.locator('#node-input-name').waitFor({ state: 'detached' });
      if (type === 'bybit-kline') {
        await page.locator(`g.red-ui-flow-node-group[id="${id}"] .red-ui-flow-node-label`, { hasText: 'kline 15 BTCUSDT' }).waitFor();
        const saved = await page.evaluate((nid) => (globalThis as unknown as EditorWindow).RED.nodes.node(nid), id);
        assert.equal(saved?.interval, '15');
        assert.equal(saved?.closedOnly, true);
      }
      // Only the trade node stays for the rest of the scenario.
      await page.evaluate((nid) => {
        const RED = (globalThis as unknown as EditorWindow).RED;
        RED.nodes.remove(nid);
        RED.view.redraw(true);
      }, id);
    }
  });

  let connectionId = '';

  it('imports an example from the library, deploys it and shows live trades in the debug sidebar', async function () {
    await page.locator('#red-ui-header-button-sidemenu').click();
    await page.locator('#menu-item-import').click();
    await page.locator('#red-ui-clipboard-dialog-import-tabs a', { hasText: /examples/i }).click();
    const tree = page.locator('#red-ui-clipboard-dialog-import-tab-examples');
    await tree.locator('.red-ui-treeList-label', { hasText: 'node-red-contrib-bybit-ws' }).click();
    await tree.locator('.red-ui-treeList-label', { hasText: EXAMPLE }).click();
    await page.locator('#red-ui-clipboard-dialog-ok').click();
    // Imported nodes follow the mouse until a click drops them.
    await page.mouse.click(700, 450);
    await page.waitForFunction(() => (globalThis as unknown as EditorWindow).RED.nodes.filterNodes({ type: 'bybit-ticker' }).length === 1);

    // The example points at the simulator's usual port; this one runs on a free port.
    connectionId = await page.evaluate(() => {
      const RED = (globalThis as unknown as EditorWindow).RED;
      const ticker = RED.nodes.filterNodes({ type: 'bybit-ticker' })[0];
      return String(ticker.connection);
    });
    await page.locator('#red-ui-tab-config-link-button').click();
    await page.locator(`li.red-ui-palette-node_id_${connectionId} .red-ui-palette-node-config`).dblclick();
    await trayOpened();
    await page.locator('#node-config-input-publicUrl').fill(env.sim.url('/v5/public/spot'));
    await page.locator('#node-config-input-privateUrl').fill(env.sim.url('/v5/private'));
    await page.locator('#node-config-dialog-ok').click();
    await page.locator('#node-config-input-publicUrl').waitFor({ state: 'detached' });

    await page.locator('#red-ui-header-button-deploy').click();
    await page.locator('.red-ui-notification', { hasText: /deployed/i }).waitFor();

    await page.locator('#red-ui-tab-debug-link-button').click();
    const trade = page.locator('#red-ui-sidebar-content .red-ui-debug-msg', { hasText: 'trade.BTCUSDT' });
    await trade.first().waitFor({ timeout: 30_000 });
    await page.locator('#red-ui-sidebar-content .red-ui-debug-msg', { hasText: 'ticker.BTCUSDT' }).first().waitFor({ timeout: 30_000 });
    // The example's own tab, its nodes' status dots and a full sidebar make the screenshot.
    await page.locator('#red-ui-workspace-tabs .red-ui-tab', { hasText: 'Bybit live trades' }).click();
    await page.mouse.move(700, 700); // no tab tooltip in the picture
    await page.locator('.red-ui-flow-node-status-label', { hasText: /subscribed/ }).first().waitFor();
    await page.waitForFunction(() => (globalThis as unknown as EditorWindow).document.querySelectorAll('#red-ui-sidebar-content .red-ui-debug-msg').length >= 8);
    // Notifications close by themselves after a few seconds; they would cover the header.
    await page.waitForFunction(() => (globalThis as unknown as EditorWindow).document.querySelectorAll('.red-ui-notification').length === 0, undefined, { timeout: 20_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'debug-sidebar.png') });
  });

  it('never sends the API secret back to the editor', async function () {
    assert.ok(connectionId);
    const configs = await page.evaluate(() => {
      const ids: string[] = [];
      (globalThis as unknown as EditorWindow).RED.nodes.eachConfig((n) => {
        if (n.type === 'bybit-connection') ids.push(n.id);
      });
      return ids;
    });
    const withKey = configs.filter((id) => id !== connectionId);
    assert.equal(withKey.length, 1, 'the connection made in the dialog is deployed too');
    const creds = await page.evaluate(async (id) => (await fetch(`credentials/bybit-connection/${id}`)).text(), withKey[0]);
    assert.deepEqual(JSON.parse(creds), { apiKey: DEMO_CREDENTIALS.key, has_apiSecret: true });
    const flows = await page.evaluate(async () => (await fetch('flows', { headers: { 'Node-RED-API-Version': 'v2' } })).text());
    assert.ok(!flows.includes(DEMO_CREDENTIALS.secret), 'the deployed flows carry no secret');
  });

  it('shows the dialog and the help in Chinese when the editor language is zh-CN', async function () {
    await page.evaluate(() => (globalThis as unknown as EditorWindow).localStorage.setItem('editor-language', 'zh-CN'));
    await openEditor();
    const zh = catalog('zh-CN', 'bybit-connection');
    await page.locator(`g.red-ui-flow-node-group[id="${tradeId}"]`).waitFor({ state: 'attached' });
    await page.evaluate((id) => {
      const RED = (globalThis as unknown as EditorWindow).RED;
      RED.workspaces.show(RED.nodes.node(id)?.z ?? '');
    }, tradeId);
    await nodeOnCanvas(tradeId).click();
    await page.locator('#red-ui-tab-help-link-button').click();
    await page.locator('.red-ui-help', { hasText: helpSummary('zh-CN', 'bybit-trade') }).first().waitFor();

    await nodeOnCanvas(tradeId).dblclick();
    await trayOpened();
    await page.locator('label[for="node-input-symbols"]', { hasText: text(zh, 'editor.label.symbols') }).waitFor();
    await page.locator('label[for="node-input-connection"]', { hasText: text(zh, 'editor.label.connection') }).waitFor();
    await page.locator('#node-input-output option[value="raw"]', { hasText: text(zh, 'editor.output.raw') }).waitFor({ state: 'attached' });
    await page.screenshot({ path: path.join(ARTIFACTS, 'zh-CN.png') });
    await page.locator('#node-dialog-cancel').click();
    await page.evaluate(() => (globalThis as unknown as EditorWindow).localStorage.removeItem('editor-language'));
  });

  it('raised no script error in the editor', function () {
    assert.deepEqual(pageErrors, []);
  });
});

/** The slice of the browser's globals these tests use (the test compiles without DOM types). */
interface EditorNode {
  id: string;
  type: string;
  interval?: string;
  closedOnly?: boolean;
  z?: string;
  symbols?: string;
  connection?: string;
}
interface EditorWindow {
  RED: {
    nodes: {
      filterNodes(filter: { type: string }): EditorNode[];
      node(id: string): EditorNode | undefined;
      eachConfig(cb: (node: EditorNode) => void): void;
      remove(id: string): void;
    };
    view: { redraw(updateActive?: boolean): void };
    workspaces: { show(id: string): void };
  };
  $(selector: string): { length: number };
  localStorage: { setItem(key: string, value: string): void; removeItem(key: string): void };
  document: {
    querySelectorAll(selector: string): { length: number; [index: number]: { contains(other: unknown): boolean } };
    activeElement: unknown;
  };
}
