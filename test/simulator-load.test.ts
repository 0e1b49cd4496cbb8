import assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../src/simulator';
import { parseArgs } from '../src/simulator/cli';
import { control as post } from './support/control';
import { FrameClient, type Frame } from '../src/simulator/test-client';

const PUBLIC = '/v5/public/spot';
const subscribed = (f: Frame): boolean => f.op === 'subscribe' && 'success' in f;


/** Frames on one socket arrive in order: once this pong is in, everything sent before it is too. */
async function flush(c: FrameClient): Promise<void> {
  await c.request({ op: 'ping', req_id: 'flush' }, (f) => f.req_id === 'flush');
}

describe('simulator: faults over the wire and HTTP', () => {
  let sim: Simulator;
  let client: FrameClient;

  beforeEach(async () => {
    sim = await startSimulator({ tickMs: 0 });
    client = await FrameClient.connect(sim.url(PUBLIC));
  });
  afterEach(async () => {
    await client.close();
    await sim.close();
  });

  it('sends each kind of malformed frame and keeps the socket open', async () => {
    const binary = new Promise<Buffer>((resolve) => client.ws.on('message', (d, isBinary) => isBinary && resolve(d as Buffer)));
    assert.equal(sim.sendMalformed('invalid-json'), 1);
    assert.equal(sim.sendMalformed('unknown-shape'), 1);
    sim.sendMalformed('binary');
    sim.sendMalformed('oversized', { bytes: 3_000_000 });
    const text = await client.next((f) => typeof f === 'string' && f.startsWith('{"topic"'));
    assert.throws(() => JSON.parse(text));
    const shape = await client.next((f) => f.simulator === 'unknown-shape');
    assert.ok(Array.isArray(shape.values));
    assert.ok((await binary).length > 0);
    const big = await client.next((f) => f.simulator === 'oversized');
    assert.ok(JSON.stringify(big).length >= 2_999_000);
    await flush(client);
    assert.throws(() => sim.sendMalformed('nope' as 'binary'), /unknown malformed kind/);
  });

  it('reaches every phase-1 hook over HTTP', async () => {
    await client.request({ op: 'subscribe', args: ['orderbook.50.BTCUSDT'] }, subscribed);
    const snap = await client.next((f) => f.topic === 'orderbook.50.BTCUSDT');

    assert.equal((await post(sim, '/control/book-gap', { topic: 'orderbook.50.BTCUSDT' })).status, 200);
    assert.equal((await post(sim, '/control/step', { n: 1 })).status, 200);
    assert.equal((await client.next((f) => f.topic === 'orderbook.50.BTCUSDT')).data.u, snap.data.u + 2);
    assert.equal((await post(sim, '/control/book-restart', { topic: 'orderbook.50.BTCUSDT' })).status, 200);
    assert.equal((await client.next((f) => f.topic === 'orderbook.50.BTCUSDT')).data.u, 1);
    assert.equal((await post(sim, '/control/crossed-delta', { topic: 'orderbook.50.BTCUSDT' })).status, 200);
    assert.equal((await client.next((f) => f.topic === 'orderbook.50.BTCUSDT')).type, 'delta');

    assert.equal((await post(sim, '/control/reject', { n: 1, retMsg: 'error:nope' })).status, 200);
    assert.equal((await client.request({ op: 'subscribe', args: ['tickers.BTCUSDT'] }, subscribed)).ret_msg, 'error:nope');

    assert.equal((await post(sim, '/control/raw', { data: 'hello', path: PUBLIC })).body.sent, 1);
    await client.next((f) => f === 'hello');
    assert.equal((await post(sim, '/control/malformed', { kind: 'unknown-shape' })).body.sent, 1);
    await client.next((f) => f.simulator === 'unknown-shape');
    assert.equal((await post(sim, '/control/malformed', { kind: 'weird' })).status, 400);

    assert.equal((await post(sim, '/control/delay', { ms: 100 })).status, 200);
    const t0 = Date.now();
    await flush(client);
    assert.ok(Date.now() - t0 >= 90);
    await post(sim, '/control/delay', { ms: 0 });

    assert.equal((await post(sim, '/control/pings', { enabled: false })).status, 200);
    assert.equal(sim.faults.silent, true);
    await post(sim, '/control/pings', { enabled: true });

    assert.equal((await post(sim, '/control/refuse', { ms: 60_000 })).status, 200);
    await assert.rejects(FrameClient.connect(sim.url(PUBLIC)), /HTTP 503/);
    await post(sim, '/control/refuse', { ms: 0 });

    assert.equal((await post(sim, '/control/close-candle', { topic: 'kline.1.BTCUSDT' })).status, 200);
    assert.equal((await post(sim, '/control/book-gap', { topic: 'tickers.BTCUSDT' })).status, 422);
  });

  it('parses CLI fault flags', () => {
    const o = parseArgs(['--port', '0', '--delay-ms', '50', '--drop-every', '1000', '--drop-code', '4000', '--malformed-every', '500', '--malformed-kind', 'binary', '--auth-reject', '--key', 'k', '--secret', 's']);
    assert.deepEqual([o.port, o.delayMs, o.dropEvery, o.dropCode, o.malformedEvery, o.malformedKind, o.authReject], [0, 50, 1000, 4000, 500, 'binary', true]);
    assert.deepEqual(o.credentials, [{ key: 'k', secret: 's' }]);
    const w = parseArgs(['--clock-offset-ms', '-15000', '--book-u-skips', '--legacy-wire']);
    assert.deepEqual([w.clockOffsetMs, w.bookUSkips, w.wire], [-15000, true, { echoPrivateReqId: true, v1ExecutionReport: 'array' }]);
    assert.throws(() => parseArgs(['--clock-offset-ms', '1.5']), /integer/);
    assert.throws(() => parseArgs(['--drop-code', '1006']), /cannot be sent/);
    assert.throws(() => parseArgs(['--malformed-kind', 'x']), /one of/);
    assert.throws(() => parseArgs(['--key', 'k']), /pairs/);
  });
});

describe('simulator: load mode', () => {
  let sim: Simulator;
  const clients: FrameClient[] = [];

  beforeEach(async () => {
    sim = await startSimulator({ tickMs: 0, seed: 11 });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await sim.close();
  });

  async function subscriber(topics: string[], path = PUBLIC): Promise<FrameClient> {
    const c = await FrameClient.connect(sim.url(path));
    clients.push(c);
    await c.request({ op: 'subscribe', args: topics }, subscribed);
    return c;
  }

  it("streams exactly N trade frames at 'max' to every subscriber, ts stamped at send time", async () => {
    const a = await subscriber(['publicTrade.BTCUSDT']);
    const b = await subscriber(['publicTrade.BTCUSDT']);
    const before = Date.now();
    const result = await sim.startLoad({ topic: 'publicTrade.BTCUSDT', rate: 'max', frames: 3000, payload: 'trade', tradesPerFrame: 3 });
    assert.deepEqual([result.frames, result.sent, result.recipients, result.aborted], [3000, 6000, 2, false]);
    await flush(a);
    await flush(b);
    const fa = a.drain((f) => f.topic === 'publicTrade.BTCUSDT');
    const fb = b.drain((f) => f.topic === 'publicTrade.BTCUSDT');
    assert.equal(fa.length, 3000);
    assert.equal(fb.length, 3000);
    for (const f of fa) {
      assert.equal(f.data.length, 3);
      assert.ok(f.ts >= before && f.ts <= Date.now());
      assert.equal(f.data[0].T, f.ts);
    }
    const strip = (f: Frame): string => JSON.stringify(f, (k, v) => (k === 'ts' || k === 'T' ? undefined : v));
    assert.deepEqual(fa.map(strip), fb.map(strip));
  });

  it('is a fixed sequence: the same frames on every run', async () => {
    const strip = (f: Frame): string => JSON.stringify(f, (k, v) => (k === 'ts' || k === 'T' ? undefined : v));
    const c = await subscriber(['tickers.ETHUSDT']);
    await c.next((f) => f.topic === 'tickers.ETHUSDT');
    await sim.startLoad({ topic: 'tickers.ETHUSDT', rate: 'max', frames: 50 });
    await flush(c);
    const first = c.drain((f) => f.topic === 'tickers.ETHUSDT').map(strip);
    sim.step();
    await sim.startLoad({ topic: 'tickers.ETHUSDT', rate: 'max', frames: 50 });
    await flush(c);
    const second = c.drain((f) => f.topic === 'tickers.ETHUSDT').map(strip);
    assert.equal(first.length, 50);
    assert.deepEqual(second.slice(1), first, 'one live tick, then the same 50 frames');
  });

  it('paces frames at the requested rate', async () => {
    const c = await subscriber(['publicTrade.ETHUSDT']);
    const t0 = Date.now();
    const r = await sim.startLoad({ topic: 'publicTrade.ETHUSDT', rate: 200, frames: 40 });
    assert.ok(Date.now() - t0 >= 180, `took ${Date.now() - t0} ms`);
    assert.equal(r.sent, 40);
    await flush(c);
    assert.equal(c.drain((f) => f.topic === 'publicTrade.ETHUSDT').length, 40);
  });

  it('streams a consistent order book and hands back to the live book afterwards', async () => {
    const topic = 'orderbook.50.BTCUSDT';
    const c = await subscriber([topic]);
    await c.next((f) => f.topic === topic);
    const ticker = await subscriber(['tickers.BTCUSDT']);
    await sim.startLoad({ topic, rate: 'max', frames: 500 });
    sim.step();
    await flush(c);
    const frames = c.drain((f) => f.topic === topic);
    assert.equal(frames[0].type, 'snapshot');
    const book = { bids: new Map<string, string>(), asks: new Map<string, string>(), u: 0 };
    for (const f of frames) {
      if (f.type === 'snapshot') {
        book.bids = new Map(f.data.b);
        book.asks = new Map(f.data.a);
      } else {
        assert.equal(f.data.u, book.u + 1);
        for (const [p, q] of f.data.b) {
          if (q === '0') book.bids.delete(p);
          else book.bids.set(p, q);
        }
        for (const [p, q] of f.data.a) {
          if (q === '0') book.asks.delete(p);
          else book.asks.set(p, q);
        }
      }
      book.u = f.data.u;
      const bestBid = Math.max(...[...book.bids.keys()].map(Number));
      const bestAsk = Math.min(...[...book.asks.keys()].map(Number));
      assert.ok(bestBid < bestAsk);
      assert.ok(book.bids.size <= 50 && book.asks.size <= 50);
    }
    // 500 load frames, then a live snapshot, then the live tick's delta
    assert.equal(frames.filter((f) => f.type === 'snapshot').length, 2);
    assert.equal(frames[500].type, 'snapshot');
    const live = sim.book('BTCUSDT', 50);
    assert.equal(book.u, live.u);
    assert.deepEqual([...book.bids.entries()].sort((x, y) => Number(y[0]) - Number(x[0])), live.bids);
    await flush(ticker);
  });

  it('respects socket back-pressure instead of buffering without bound', async () => {
    const c = await subscriber(['publicTrade.BTCUSDT']);
    // The client stops reading: the kernel buffers fill, then the server must wait.
    (c.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    const run = sim.startLoad({ topic: 'publicTrade.BTCUSDT', rate: 'max', frames: 4000, tradesPerFrame: 40 });
    let done = false;
    void run.then(() => (done = true));
    let peak = 0;
    for (let i = 0; i < 100 && !done && peak < 512 * 1024; i++) {
      await new Promise((r) => setTimeout(r, 10));
      peak = Math.max(peak, sim.clients(PUBLIC)[0].bufferedAmount);
    }
    assert.equal(done, false, 'the run waits for the paused client');
    assert.ok(peak > 0, 'the server did queue data');
    assert.ok(peak < 2 * 1024 * 1024, `queued ${peak} bytes`);
    (c.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    const result = await run;
    assert.equal(result.sent, 4000);
    await flush(c);
    assert.equal(c.drain((f) => f.topic === 'publicTrade.BTCUSDT').length, 4000);
  });

  it('runs from the HTTP control route and validates its options', async () => {
    const c = await subscriber(['publicTrade.SOLUSDT']);
    const r = await post(sim, '/control/load', { topic: 'publicTrade.SOLUSDT', rate: 'max', frames: 20 });
    assert.equal(r.status, 200);
    assert.deepEqual([r.body.ok, r.body.frames, r.body.sent], [true, 20, 20]);
    await flush(c);
    assert.equal(c.drain((f) => f.topic === 'publicTrade.SOLUSDT').length, 20);
    assert.equal((await post(sim, '/control/load', { topic: 'publicTrade.SOLUSDT', rate: 'max', frames: 5, payload: 'ticker' })).status, 422);
    await assert.rejects(sim.startLoad({ topic: 'publicTrade.SOLUSDT', rate: 0, frames: 5 }), /rate/);
  });

  it('stops early and resolves when the simulator closes', async () => {
    await subscriber(['publicTrade.BTCUSDT']);
    const run = sim.startLoad({ topic: 'publicTrade.BTCUSDT', rate: 20, frames: 1000 });
    await sim.waitFor('request', undefined, 100).catch(() => undefined);
    await sim.close();
    const r = await run;
    assert.equal(r.aborted, true);
    assert.ok(r.sent < 1000);
  });
});
