/**
 * Fault injection: the simulator misbehaves the way exchanges do, and the nodes detect it,
 * say so in their status, back off, resubscribe everything, and lose or duplicate nothing
 * the server sent once the resubscribe completed. Each test prints what it injected and saw;
 * the summary at the end totals it.
 */
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import type { Simulator } from '../src/simulator';
import { Backoff, BybitClient } from '../src/engine';
import { catcher, collect, completer, connection, getNode, helper, inject, loadFlow, nextMsg, nextStatus, paletteNode, SHARED, simulatorPerTest, withSimulator } from './support/flows';

const tally = { faults: 0, reconnects: 0, lost: 0, duplicated: 0 };

// A root hook: the totals print once, after the whole run.
after(function () {
  console.log(`fault suite: ${tally.faults} faults injected, ${tally.reconnects} reconnects observed, ${tally.lost} frames lost, ${tally.duplicated} duplicates`);
});

/**
 * A plain client on the same topic: what it receives is what the server sent. `sync()` pings
 * and waits for the pong, which the server sends after every frame it queued before.
 */
async function referenceClient(sim: Simulator, topic: string): Promise<{ ids: string[]; sync: () => Promise<string[]>; close: () => void }> {
  const ws = new WebSocket(sim.url('/v5/public/spot'));
  const ids: string[] = [];
  let onPong: (() => void) | undefined;
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const acked = new Promise<void>((resolve) => {
    ws.on('message', (data) => {
      const f = JSON.parse(data.toString());
      if (f.op === 'subscribe') resolve();
      if (f.op === 'ping' || f.op === 'pong') onPong?.();
      if (f.topic === topic) for (const t of f.data) ids.push(t.i);
    });
  });
  ws.send(JSON.stringify({ op: 'subscribe', args: [topic] }));
  await acked;
  const sync = () => new Promise<string[]>((resolve) => {
    onPong = () => resolve([...ids]);
    ws.send(JSON.stringify({ op: 'ping' }));
  });
  return { ids, sync, close: () => ws.close() };
}

describe('fault injection', function () {
  this.timeout(60_000);
  let sim: Simulator;

  simulatorPerTest({ tickMs: 20 }, (s) => (sim = s));
  beforeEach(function () {
    helper.settings({ bybitWs: { reconnectBaseMs: 50 } });
  });

  const drops: [string, { mode: 'close' | 'terminate'; code?: number }][] = [
    ['a clean close (1000)', { mode: 'close', code: 1000 }],
    ['going away (1001)', { mode: 'close', code: 1001 }],
    ['a server error close (1011)', { mode: 'close', code: 1011 }],
    ['an application close code (4000)', { mode: 'close', code: 4000 }],
    ['an abrupt terminate', { mode: 'terminate' }],
  ];
  for (const [name, drop] of drops) {
    it(`reconnects and resubscribes everything after ${name}`, async function () {
      await loadFlow([
        connection(sim),
        ...paletteNode('bybit-trade', { symbols: 'BTCUSDT,ETHUSDT' }),
        ...paletteNode('bybit-ticker', { symbols: 'SOLUSDT' }, 'n2'),
      ]);
      if (sim.subscriptions().length < 3) await sim.waitFor('subscribe', () => sim.subscriptions().length === 3);
      const statuses: string[] = [];
      getNode('n1').on('call:status', (c: { args: [{ text?: string }] }) => statuses.push(String(c.args[0].text).replace(SHARED, '')));
      const back = sim.waitFor('subscribe', () => sim.subscriptions().length === 3 && sim.clientCount() === 1);
      sim.dropAll(drop);
      tally.faults++;
      await back;
      tally.reconnects++;
      await nextMsg('n2-out', (m) => m.topic === 'ticker.SOLUSDT');
      await nextMsg('n1-out', (m) => m.topic === 'trade.ETHUSDT');
      assert.deepEqual(sim.subscriptions(), ['publicTrade.BTCUSDT', 'publicTrade.ETHUSDT', 'tickers.SOLUSDT']);
      // The status told the truth at each stage: reconnecting, then subscribed again.
      const from = statuses.indexOf('status.reconnecting');
      assert.ok(from >= 0, `statuses: ${statuses.join(' > ')}`);
      assert.ok(statuses.slice(from).includes('status.subscribed'), `statuses: ${statuses.join(' > ')}`);
    });
  }

  it('detects a silent server through the heartbeat and comes back when it answers again', async function () {
    helper.settings({ bybitWs: { reconnectBaseMs: 50, pongTimeoutMs: 500 } });
    await loadFlow([connection(sim, { pingInterval: 5 }), ...paletteNode('bybit-trade')]);
    await nextMsg('n1-out');
    const reconnecting = nextStatus('n1', (s) => s.text === `${SHARED}status.reconnecting`, 15_000);
    sim.setPingReplies(false);
    tally.faults++;
    await reconnecting;
    sim.setPingReplies(true);
    tally.reconnects++;
    await nextStatus('n1', (s) => s.fill === 'green', 5000);
    await nextMsg('n1-out');
  });

  it('waits for late replies, and reports a reply that never comes in time', async function () {
    helper.settings({ bybitWs: { reconnectBaseMs: 50, requestTimeoutMs: 400 } });
    await loadFlow([connection(sim), ...paletteNode('bybit-trade'), ...completer(['n1']), ...catcher()]);
    await nextMsg('n1-out');
    sim.delayReplies(150);
    tally.faults++;
    const ok = await inject('n1', { action: 'subscribe', symbol: 'ETHUSDT' });
    assert.equal(ok.error, undefined);
    sim.delayReplies(1000);
    const caught = nextMsg('caught');
    getNode('n1').receive({ action: 'subscribe', symbol: 'SOLUSDT' });
    assert.match((await caught).error?.message ?? '', /errors\.timeout$/);
    // The late confirmation still counts: SOLUSDT streams once the server gets to it.
    await nextMsg('n1-out', (m) => m.topic === 'trade.SOLUSDT', 5000);
    sim.delayReplies(0);
  });

  it('rejects only the refused subscriptions and keeps the rest streaming', async function () {
    await loadFlow([connection(sim), ...paletteNode('bybit-trade'), ...completer(['n1']), ...catcher()]);
    await nextMsg('n1-out');
    sim.rejectNext(2, 'error:request limit exceeded');
    tally.faults++;
    for (const symbol of ['ETHUSDT', 'SOLUSDT']) {
      const caught = nextMsg('caught');
      getNode('n1').receive({ action: 'subscribe', symbol });
      assert.match((await caught).error?.message ?? '', /errors\.rejected$/);
    }
    await inject('n1', { action: 'subscribe', symbol: 'XRPUSDT' });
    await nextMsg('n1-out', (m) => m.topic === 'trade.XRPUSDT');
    await nextMsg('n1-out', (m) => m.topic === 'trade.BTCUSDT');
    assert.deepEqual(sim.subscriptions(), ['publicTrade.BTCUSDT', 'publicTrade.XRPUSDT']);
  });

  it('survives malformed, unknown, binary and oversized frames and warns once', async function () {
    await loadFlow([connection(sim), ...paletteNode('bybit-trade')]);
    await nextMsg('n1-out');
    const warns: unknown[] = [];
    getNode('conn').on('call:warn', (c: { args: unknown[] }) => warns.push(c.args[0]));
    sim.sendRaw('{"topic":"publicTrade.BTCUSDT","data":[');
    sim.sendRaw(JSON.stringify({ surprise: true }));
    sim.sendRaw(JSON.stringify({ topic: 'publicTrade.BTCUSDT', type: 'snapshot', data: 'not an array' }));
    sim.sendRaw(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    tally.faults += 4;
    await nextMsg('n1-out');
    await nextMsg('n1-out');
    assert.equal(warns.length, 1, 'one warning for a burst of bad frames (rate-limited)');
    // A frame over the 16 MiB limit: the client drops that socket, reconnects and resubscribes.
    const back = sim.waitFor('subscribe', (ev: { topics: string[] }) => ev.topics.includes('publicTrade.BTCUSDT'));
    sim.sendRaw(JSON.stringify({ topic: 'publicTrade.BTCUSDT', data: 'x'.repeat(17 * 1024 * 1024) }));
    tally.faults++;
    await back;
    tally.reconnects++;
    await nextMsg('n1-out', (m) => m.topic === 'trade.BTCUSDT');
  });
});

describe('fault injection on a stepped market', function () {
  this.timeout(60_000);
  let sim: Simulator;
  // No market timer: every frame is one the test asked for with step().
  simulatorPerTest({ tickMs: 0 }, (s) => (sim = s));
  beforeEach(function () {
    helper.settings({ bybitWs: { reconnectBaseMs: 50 } });
  });

  it('loses and duplicates no trade the server sent after the resubscribe completed', async function () {
    await loadFlow([connection(sim), ...paletteNode('bybit-trade')]);
    await sim.waitFor('subscribe');
    for (let round = 0; round < 3; round++) {
      const back = sim.waitFor('subscribe', (ev: { topics: string[] }) => ev.topics.includes('publicTrade.BTCUSDT'));
      sim.dropAll({ mode: round % 2 ? 'terminate' : 'close', code: 1001 });
      tally.faults++;
      await back;
      tally.reconnects++;
      const ref = await referenceClient(sim, 'publicTrade.BTCUSDT');
      const got = collect('n1-out');
      for (let i = 0; i < 50; i++) sim.step();
      // The reference has everything once its pong is back; then wait for the node to catch up.
      const expected = await ref.sync();
      assert.ok(expected.length >= 50, `${expected.length} trades sent`);
      if (got.msgs.length < expected.length) await nextMsg('n1-out', () => got.msgs.length >= expected.length);
      const ids = got.stop().map((m) => (m.payload as { id: string }).id);
      ref.close();
      const lost = expected.filter((id) => !ids.includes(id));
      const dups = ids.length - new Set(ids).size;
      tally.lost += lost.length;
      tally.duplicated += dups;
      assert.deepEqual(ids, expected);
    }
  });
});

describe('reconnect storms', function () {
  this.timeout(30_000);

  it('makes at most 8 attempts in a refused minute with the default backoff', function () {
    const backoff = new Backoff({ random: () => 1 });
    let t = 0;
    let attempts = 1; // the one that found the server gone
    for (;;) {
      t += backoff.next();
      if (t > 60_000) break;
      attempts++;
    }
    assert.ok(attempts <= 8, `${attempts} attempts`);
  });

  it('backs off against a server that refuses connections, then gets back in', async function () {
    const sim = await withSimulator({ tickMs: 20 });
    // The same backoff shape as the default (0.5 s doubling to a 30 s cap), 10x faster.
    const client = new BybitClient({ network: 'custom', publicUrl: sim.url('/v5/public/spot'), backoff: { baseMs: 50, capMs: 3000 } });
    try {
      await client.subscriber({}).add({ channel: 'trade', symbol: 'BTCUSDT' });
      const start = sim.connectionAttempts();
      sim.refuseConnections(6000);
      tally.faults++;
      const back = sim.waitFor('subscribe', undefined, 15_000);
      sim.dropAll({ mode: 'terminate' });
      await back;
      tally.reconnects++;
      const attempts = sim.connectionAttempts() - start;
      // 50, 100, 200, 400, 800, 1600, 3000, 3000 ms (±20%) covers 6 s in 8 or 9 attempts.
      assert.ok(attempts >= 6 && attempts <= 10, `${attempts} connection attempts over a refused 6 s`);
    } finally {
      await client.close();
      await sim.close();
    }
  });
});
