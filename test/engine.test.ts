/**
 * The connection engine from plain Node.js (no Node-RED), against the simulator:
 * heartbeat, backoff, ref counting and malformed frames.
 */
import assert from 'node:assert/strict';
import { Backoff, BybitClient, type ConnectionStateEvent } from '../src/engine';
import type { OutputItem } from '../src/dialects';
import { startSimulator, type Simulator } from '../src/simulator';
import { payloadOf } from './support/items';

function nextState(client: BybitClient, state: ConnectionStateEvent['state'], timeoutMs = 5000): Promise<ConnectionStateEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${state}" state within ${timeoutMs} ms`)), timeoutMs);
    const on = (ev: ConnectionStateEvent) => {
      if (ev.state !== state) return;
      clearTimeout(timer);
      client.off('state', on);
      resolve(ev);
    };
    client.on('state', on);
  });
}

/** Never run: the build fails if these listeners type-check, so the event map decides what a listener receives. */
export function _listenersTheMapRefuses(client: BybitClient): void {
  // @ts-expect-error: a state listener receives an event object, not a number
  client.on('state', (n: number) => n.toFixed());
  // @ts-expect-error: no such event
  client.on('sttae', () => undefined);
  // @ts-expect-error: only the client emits its events
  client.emit('dead', 'why', 'public');
}

describe('connection engine', function () {
  let sim: Simulator;
  let client: BybitClient | undefined;

  beforeEach(async function () {
    sim = await startSimulator({ port: 0, seed: 7, tickMs: 20 });
  });

  afterEach(async function () {
    await client?.close();
    client = undefined;
    await sim.close();
  });

  it('works without Node-RED: subscribe and receive normalized items', async function () {
    client = new BybitClient({ network: 'custom', publicUrl: sim.url('/v5/public/spot') });
    const got = new Promise<OutputItem>((resolve) => {
      const sub = client!.subscriber({ items: (_spec, items) => resolve(items[0]) });
      void sub.add({ channel: 'ticker', symbol: 'ETHUSDT' });
    });
    const item = await got;
    assert.equal(item.topic, 'ticker.ETHUSDT');
    assert.equal(payloadOf(item, 'ticker').symbol, 'ETHUSDT');
  });

  it('declares the socket dead when nothing arrives after a ping, and reconnects', async function () {
    client = new BybitClient({
      network: 'custom',
      publicUrl: sim.url('/v5/public/spot'),
      pingIntervalMs: 100,
      pongTimeoutMs: 300,
      backoff: { baseMs: 50 },
    });
    const sub = client.subscriber({});
    await sub.add({ channel: 'trade', symbol: 'BTCUSDT' });
    const dead = new Promise<string>((resolve) => client!.once('dead', resolve));
    const reconnecting = nextState(client, 'reconnecting');
    sim.setPingReplies(false);
    const reason = await dead;
    assert.match(reason, /no frame within 300 ms/);
    await reconnecting;
    sim.setPingReplies(true);
    await sim.waitFor('subscribe', (ev: { topics: string[] }) => ev.topics.includes('publicTrade.BTCUSDT'));
    assert.equal(client.stateOf('public'), 'open');
  });

  it('counts malformed frames without throwing and keeps streaming', async function () {
    client = new BybitClient({ network: 'custom', publicUrl: sim.url('/v5/public/spot') });
    const reasons: string[] = [];
    client.on('malformed', (reason: string) => reasons.push(reason));
    let items = 0;
    const sub = client.subscriber({ items: () => items++ });
    await sub.add({ channel: 'trade', symbol: 'BTCUSDT' });
    sim.sendRaw('{not json');
    sim.sendRaw(JSON.stringify({ hello: 'world' }));
    sim.sendRaw(Buffer.from([1, 2, 3]));
    const before = items;
    await new Promise<void>((resolve) => {
      const sub2 = client!.subscriber({ items: () => (items > before + 2 ? resolve() : undefined) });
      void sub2.add({ channel: 'trade', symbol: 'BTCUSDT' });
    });
    assert.equal(reasons.length, 3);
    assert.match(reasons[0], /invalid JSON/);
    assert.match(reasons[1], /unknown shape/);
    assert.match(reasons[2], /binary/);
  });

  it('opens no socket until a topic is wanted and closes it when the last one goes', async function () {
    client = new BybitClient({ network: 'custom', publicUrl: sim.url('/v5/public/spot') });
    const a = client.subscriber({});
    const b = client.subscriber({});
    assert.equal(sim.connectionAttempts(), 0);
    await Promise.all([a.add({ channel: 'trade', symbol: 'BTCUSDT' }), b.add({ channel: 'trade', symbol: 'BTCUSDT' })]);
    assert.equal(sim.clientCount(), 1);
    assert.deepEqual(sim.subscriptions(), ['publicTrade.BTCUSDT']);
    a.close();
    assert.deepEqual(sim.subscriptions(), ['publicTrade.BTCUSDT']);
    const gone = sim.waitFor('disconnect');
    b.close();
    await gone;
    assert.equal(sim.clientCount(), 0);
  });

  it('reports the state of the socket in use, not of one it just closed for being idle', async function () {
    client = new BybitClient({ network: 'custom', publicUrl: sim.url('/v5/public/spot') });
    const states: string[] = [];
    client.on('state', (ev: ConnectionStateEvent) => states.push(ev.state));
    const sub = client.subscriber({});
    await sub.add({ channel: 'ticker', symbol: 'BTCUSDT' });
    const oldGone = sim.waitFor('disconnect');
    // The last topic leaves (its socket closes) and a new one comes in the same tick.
    sub.remove({ channel: 'ticker', symbol: 'BTCUSDT' });
    await sub.add({ channel: 'ticker', symbol: 'ETHUSDT' });
    await oldGone;
    // One more round trip: the old socket's close has surely been handled by now.
    await sub.add({ channel: 'trade', symbol: 'ETHUSDT' });
    assert.equal(states[states.length - 1], 'open', states.join(' > '));
    assert.ok(!states.includes('closed'), states.join(' > '));
  });

  it('treats "already subscribed" as success', async function () {
    client = new BybitClient({ network: 'custom', publicUrl: sim.url('/v5/public/spot') });
    const keep = client.subscriber({});
    await keep.add({ channel: 'trade', symbol: 'BTCUSDT' }); // keeps the socket open
    const a = client.subscriber({});
    await a.add({ channel: 'ticker', symbol: 'BTCUSDT' });
    // Leave and come back in one tick: no unsubscribe goes out, so the server still holds the
    // topic when it is asked again and answers "already subscribed".
    a.remove({ channel: 'ticker', symbol: 'BTCUSDT' });
    const b = client.subscriber({});
    await b.add({ channel: 'ticker', symbol: 'BTCUSDT' });
    const asks = sim.requests.filter((r) => (r.args ?? []).includes('tickers.BTCUSDT'));
    assert.deepEqual(asks.map((r) => r.op), ['subscribe', 'subscribe']);
    assert.deepEqual(b.list(), [{ channel: 'ticker', symbol: 'BTCUSDT' }]);
    assert.deepEqual(sim.subscriptions(), ['publicTrade.BTCUSDT', 'tickers.BTCUSDT']);
  });

  it('asks again for a book snapshot that does not follow a resubscribe in time', async function () {
    client = new BybitClient({ network: 'custom', publicUrl: sim.url('/v5/public/spot'), requestTimeoutMs: 300 });
    const resyncs: string[] = [];
    client.on('resync', (_key: string, why: string) => resyncs.push(why));
    let latest: { valid: boolean; u: number | null } = { valid: false, u: null };
    const sub = client.subscriber({ book: (_spec, book) => (latest = { valid: book.isValid, u: book.updateId }) });
    await sub.add({ channel: 'orderbook', symbol: 'BTCUSDT', depth: 50 });
    // The server goes quiet just as the book breaks: the first resubscribe gets no snapshot.
    sim.setPingReplies(false);
    sim.injectBookGap('orderbook.50.BTCUSDT');
    sim.sendRaw(JSON.stringify({ topic: 'orderbook.50.BTCUSDT', type: 'delta', ts: Date.now(), data: { s: 'BTCUSDT', b: [], a: [], u: 1e12, seq: 1 } }));
    const retried = new Promise<void>((resolve) => client!.on('resync', (_k: string, why: string) => why === 'no-snapshot' && resolve()));
    await retried;
    sim.setPingReplies(true);
    const healthy = new Promise<void>((resolve) => {
      const sub2 = client!.subscriber({ book: (_s, book) => book.isValid && resolve() });
      void sub2.add({ channel: 'orderbook', symbol: 'BTCUSDT', depth: 50 });
    });
    await healthy;
    assert.equal(resyncs[0], 'gap');
    assert.ok(resyncs.includes('no-snapshot'), resyncs.join(','));
    assert.ok(latest.valid);
  });

  it('keeps one unanswered resubscribe per book topic on record, however often it asks again', async function () {
    client = new BybitClient({ network: 'custom', publicUrl: sim.url('/v5/public/spot'), requestTimeoutMs: 150 });
    const sub = client.subscriber({});
    await sub.add({ channel: 'orderbook', symbol: 'BTCUSDT', depth: 50 });
    // The server stops answering just as the book breaks: every resubscribe goes unanswered.
    sim.setPingReplies(false);
    let retries = 0;
    const asked = new Promise<void>((resolve) => client!.on('resync', (_k, why) => why === 'no-snapshot' && ++retries === 4 && resolve()));
    sim.sendRaw(JSON.stringify({ topic: 'orderbook.50.BTCUSDT', type: 'delta', ts: Date.now(), data: { s: 'BTCUSDT', b: [], a: [], u: 1e12, seq: 1 } }));
    await asked;
    await new Promise((resolve) => setImmediate(resolve));
    const subscribes = sim.requests.filter((r) => r.op === 'subscribe' && (r.args ?? []).includes('orderbook.50.BTCUSDT'));
    assert.ok(subscribes.length >= 5, `${subscribes.length} subscribes`);
    // The newest ask replaces the unanswered one: one subscribe and at most one unsubscribe wait.
    const pending = client.existingConnection('public')?.pendingRequests;
    assert.ok(pending !== undefined && pending <= 2, `${pending} requests on record`);
    sim.setPingReplies(true);
  });

  it('declares its events: listeners get the argument types of the event map', async function () {
    client = new BybitClient({ network: 'custom', publicUrl: sim.url('/v5/public/spot') });
    const states: string[] = [];
    client.on('state', (ev) => states.push(ev.state.toUpperCase()));
    const malformed = new Promise<string>((resolve) => client!.once('malformed', (reason, count, endpoint) => resolve(`${count.toFixed(0)} ${endpoint} ${reason.slice(0, 12)}`)));
    await client.subscriber({}).add({ channel: 'trade', symbol: 'BTCUSDT' });
    sim.sendRaw('{oops');
    assert.equal(await malformed, '1 public invalid JSON');
    assert.deepEqual(states, ['CONNECTING', 'OPEN']);
  });

  it('backs off exponentially with jitter up to a cap, and resets', function () {
    const mid = new Backoff({ baseMs: 500, capMs: 30_000, jitter: 0.2, random: () => 0.5 });
    assert.deepEqual(Array.from({ length: 9 }, () => mid.next()), [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    mid.reset();
    assert.equal(mid.next(), 500);
    const low = new Backoff({ baseMs: 500, jitter: 0.2, random: () => 0 });
    const high = new Backoff({ baseMs: 500, jitter: 0.2, random: () => 0.999999 });
    assert.equal(low.next(), 400);
    assert.equal(high.next(), 600);
  });
});
