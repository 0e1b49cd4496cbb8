/**
 * Bybit refuses more than 21,000 characters of "args" on one public connection
 * (v5 websocket/wss-authentication.mdx, "Public channel - Args limits"). The engine spreads an
 * endpoint's topics over as many sockets as that budget needs, resubscribes each socket's own
 * topics after a drop, and closes a socket once nobody needs its topics.
 */
import assert from 'node:assert/strict';
import { BybitClient } from '../src/engine';
import type { TopicSpec } from '../src/dialects';
import { startSimulator, type Simulator } from '../src/simulator';
import { connection, getNode, lastStatus, loadFlow, nextStatus, paletteNode, simulatorPerTest, type Msg } from './support/flows';

const PATH = '/v5/public/spot';
const BUDGET = 21_000;

/** 1,200 well-formed symbols whose ticker topics ("tickers.COIN00001USDT", 21 characters) total 25,200 characters. */
export function manySymbols(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `COIN${String(i + 1).padStart(5, '0')}USDT`);
}

/** Topic characters a socket's subscribe requests added (unsubscribes taken off), per connection id. */
function heldChars(sim: Simulator): Map<string, number> {
  const held = new Map<string, Set<string>>();
  for (const r of sim.requests) {
    if (r.path !== PATH || !Array.isArray(r.args)) continue;
    const set = held.get(r.connId) ?? new Set<string>();
    held.set(r.connId, set);
    for (const t of r.args) {
      if (typeof t !== 'string') continue;
      if (r.op === 'subscribe') set.add(t);
      else if (r.op === 'unsubscribe') set.delete(t);
    }
  }
  const chars = new Map<string, number>();
  for (const [id, set] of held) chars.set(id, [...set].reduce((n, t) => n + t.length, 0));
  return chars;
}

describe('topics spread over public sockets by the 21,000-character budget', function () {
  let sim: Simulator;
  let client: BybitClient | undefined;

  beforeEach(async function () {
    sim = await startSimulator({ port: 0, seed: 11, tickMs: 0 });
  });

  afterEach(async function () {
    await client?.close();
    client = undefined;
    await sim.close();
  });

  it('subscribes 1,200 tickers over two sockets, none past 21,000 characters, and every one streams', async function () {
    client = new BybitClient({ network: 'custom', publicUrl: sim.url(PATH) });
    const seen = new Set<string>();
    let allSeen!: () => void;
    const everyOne = new Promise<void>((resolve) => (allSeen = resolve));
    const sub = client.subscriber({
      items: (spec) => {
        seen.add(spec.symbol ?? '');
        if (seen.size === 1200) allSeen();
      },
    });
    const symbols = manySymbols(1200);
    await Promise.all(symbols.map((symbol) => sub.add({ channel: 'ticker', symbol })));
    assert.equal(client.connectionsOf('public').length, 2);
    const chars = heldChars(sim);
    assert.equal(chars.size, 2, 'subscribe requests came from two sockets');
    for (const [id, n] of chars) assert.ok(n <= BUDGET, `socket ${id} holds ${n} characters`);
    assert.equal(sim.subscriptions(PATH).length, 1200);
    // Tickers start with a snapshot right after the subscribe reply.
    await everyOne;
    assert.equal(seen.size, 1200);
  });

  it('after a drop each socket resubscribes its own topics, still within the budget', async function () {
    client = new BybitClient({ network: 'custom', publicUrl: sim.url(PATH), backoff: { baseMs: 20 } });
    const sub = client.subscriber({});
    await Promise.all(manySymbols(1200).map((symbol) => sub.add({ channel: 'ticker', symbol })));
    const before = sim.clients(PATH).map((c) => c.topics.length).sort();
    sim.requests.length = 0;
    const back = new Promise<void>((resolve) => {
      const onSub = (): void => {
        if (sim.subscriptions(PATH).length < 1200) return;
        sim.off('subscribe', onSub);
        resolve();
      };
      sim.on('subscribe', onSub);
    });
    sim.dropAll();
    await back;
    assert.deepEqual(sim.clients(PATH).map((c) => c.topics.length).sort(), before);
    for (const [id, n] of heldChars(sim)) assert.ok(n <= BUDGET, `socket ${id} holds ${n} characters`);
    assert.equal(new Set(sim.subscriptions(PATH)).size, 1200, 'no topic on two sockets');
  });

  it('closes a socket whose topics were all released, and keeps the other streaming', async function () {
    client = new BybitClient({ network: 'custom', publicUrl: sim.url(PATH) });
    const sub = client.subscriber({});
    const specs: TopicSpec[] = manySymbols(1200).map((symbol) => ({ channel: 'ticker', symbol }));
    await Promise.all(specs.map((s) => sub.add(s)));
    const [first, second] = client.connectionsOf('public');
    const closed = new Promise<void>((resolve) => second.on('state', (ev) => ev.state === 'closed' && resolve()));
    // The second socket took what did not fit the first: release those.
    for (const spec of specs) if (second.holds(`tickers.${spec.symbol}`)) sub.remove(spec);
    await closed;
    assert.deepEqual(client.connectionsOf('public'), [first]);
    assert.equal(sim.clientCount(PATH), 1);
    assert.equal(client.stateOf('public'), 'open');
  });
});

describe('a ticker node set to 1,200 symbols', function () {
  let sim: Simulator;

  simulatorPerTest({ tickMs: 0 }, (s) => (sim = s));

  it('streams all 1,200 over at least two public sockets, none past 21,000 characters, and shows subscribed', async function () {
    const symbols = manySymbols(1200);
    const seen = new Set<string>();
    let allSeen!: () => void;
    const everyOne = new Promise<void>((resolve) => (allSeen = resolve));
    await loadFlow([connection(sim), ...paletteNode('bybit-ticker', { symbols: symbols.join(',') })]);
    getNode('n1-out').on('input', (m: Msg) => {
      seen.add(m.symbol ?? '');
      if (seen.size === 1200) allSeen();
    });
    await everyOne;
    const chars = heldChars(sim);
    assert.ok(chars.size >= 2, `subscribe requests came from ${chars.size} socket(s)`);
    for (const [id, n] of chars) assert.ok(n <= BUDGET, `socket ${id} holds ${n} characters`);
    assert.equal(sim.subscriptions(PATH).length, 1200);
    assert.deepEqual([...seen].sort(), symbols);
    if (lastStatus('n1')?.fill !== 'green') await nextStatus('n1', (s) => s.fill === 'green');
    assert.match(lastStatus('n1')?.text ?? '', /1200|subscribed/i);
  });
});
