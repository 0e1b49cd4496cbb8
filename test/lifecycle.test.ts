/**
 * Redeploys and lifecycle: a flow with every palette node, deployed 100 times, leaves the
 * simulator with the expected sockets and the process with no more timers, sockets or
 * listeners than after the first deploy; deleting a node unsubscribes its topics; changing
 * the config moves every node to the new sockets.
 */
import assert from 'node:assert/strict';
import type { Simulator } from '../src/simulator';
import { connection, helper, isPrivateType, loadFlow, nextMsg, paletteTypes, type FlowNode, TAB, simulatorPerTest, withSimulator } from './support/flows';

const KEY = 'lifecycle-key';
const SECRET = 'lifecycle-secret';

/** One node of every palette type, each wired to its own helper node. */
function everyNodeFlow(sim: Simulator, configExtra: Record<string, unknown> = {}): FlowNode[] {
  const flow: FlowNode[] = [{ id: TAB, type: 'tab', label: 'test' }, connection(sim, configExtra)];
  for (const type of paletteTypes()) {
    flow.push({ id: `n-${type}`, type, z: TAB, connection: 'conn', symbols: isPrivateType(type) ? '' : 'BTCUSDT', interval: '1', depth: 50, output: 'normalized', throttle: 0, wires: [[`n-${type}-out`]] });
    flow.push({ id: `n-${type}-out`, type: 'helper', z: TAB });
  }
  return flow;
}

const credentials = { conn: { apiKey: KEY, apiSecret: SECRET } };

/** Resource counts by kind (Timeout, TCPSocketWrap, ...) plus process listener total. */
function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  counts.processListeners = process.eventNames().reduce((n, e) => n + process.listenerCount(e), 0);
  return counts;
}

function expectedSockets(): number {
  const types = paletteTypes();
  const hasPrivate = types.some(isPrivateType);
  return 1 + (hasPrivate ? 1 : 0);
}

describe('redeploys and lifecycle', function () {
  this.timeout(120_000);
  let sim: Simulator;

  simulatorPerTest({ tickMs: 50, credentials: [{ key: KEY, secret: SECRET }] }, (s) => (sim = s));

  /** Deploys and waits until the simulator holds exactly the sockets the flow needs. */
  async function settle(expectedTopics: number): Promise<void> {
    const ready = () => sim.clientCount() === expectedSockets() && sim.subscriptions().length >= expectedTopics;
    if (!ready()) await sim.waitFor('subscribe', ready, 10_000);
    // Sockets of the previous deploy may still be closing on the server side.
    while (sim.clientCount() > expectedSockets()) await sim.waitFor('disconnect', undefined, 5000);
  }

  it('leaks no sockets, timers or listeners over 100 full redeploys of every node type', async function () {
    const flow = everyNodeFlow(sim);
    await loadFlow(flow, credentials);
    await settle(1);
    const topics = sim.subscriptions().length;
    const before = resources();
    for (let i = 0; i < 100; i++) {
      await helper.setFlows(flow, 'full', credentials);
      await settle(topics);
    }
    assert.equal(sim.clientCount(), expectedSockets());
    const after = resources();
    const grown = Object.keys(after).filter((k) => (after[k] ?? 0) > (before[k] ?? 0));
    assert.deepEqual(grown.map((k) => `${k}: ${before[k] ?? 0} -> ${after[k]}`), []);
    console.log(`      100 redeploys of ${paletteTypes().length} nodes: ${sim.connectionAttempts()} connections seen, handles before ${JSON.stringify(before)} after ${JSON.stringify(after)}`);
  });

  it('unsubscribes the topics of a deleted node', async function () {
    const flow: FlowNode[] = [
      { id: TAB, type: 'tab', label: 'test' },
      connection(sim),
      { id: 'keep', type: 'bybit-trade', z: TAB, connection: 'conn', symbols: 'BTCUSDT', wires: [['keep-out']] },
      { id: 'keep-out', type: 'helper', z: TAB },
      { id: 'gone', type: 'bybit-ticker', z: TAB, connection: 'conn', symbols: 'ETHUSDT', wires: [[]] },
    ];
    await loadFlow(flow);
    if (sim.subscriptions().length < 2) await sim.waitFor('subscribe', () => sim.subscriptions().length === 2);
    const unsub = sim.waitFor('unsubscribe');
    await helper.setFlows(flow.filter((n) => n.id !== 'gone'), 'nodes');
    assert.deepEqual((await unsub).topics, ['tickers.ETHUSDT']);
    assert.deepEqual(sim.subscriptions(), ['publicTrade.BTCUSDT']);
    await nextMsg('keep-out');
  });

  it('moves every node to the new sockets when the config changes', async function () {
    const other = await withSimulator({ tickMs: 50, seed: 9 });
    try {
      const flow: FlowNode[] = [
        { id: TAB, type: 'tab', label: 'test' },
        connection(sim),
        { id: 'a', type: 'bybit-trade', z: TAB, connection: 'conn', symbols: 'BTCUSDT', wires: [['a-out']] },
        { id: 'a-out', type: 'helper', z: TAB },
        { id: 'b', type: 'bybit-ticker', z: TAB, connection: 'conn', symbols: 'ETHUSDT', wires: [['b-out']] },
        { id: 'b-out', type: 'helper', z: TAB },
      ];
      await loadFlow(flow);
      await nextMsg('a-out');
      const moved = other.waitFor('subscribe', () => other.subscriptions().length === 2);
      const left = sim.waitFor('disconnect');
      await helper.setFlows(flow.map((n) => (n.id === 'conn' ? connection(other) : n)), 'nodes');
      await moved;
      await left;
      assert.equal(sim.clientCount(), 0);
      assert.deepEqual(other.subscriptions(), ['publicTrade.BTCUSDT', 'tickers.ETHUSDT']);
      await nextMsg('b-out');
    } finally {
      await other.close();
    }
  });
});
