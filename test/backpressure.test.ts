/**
 * Back-pressure: a burst of 50,000 frames within a second into a flow whose downstream node
 * is slow. Node-RED must keep running and memory must stay bounded (the socket is read no
 * faster than the flow drains, so the server's send buffer absorbs the burst); with a
 * throttle, memory stays flat. The flow runs in a child process on the real runtime (the
 * test helper records every call, which would be the biggest memory user here).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Simulator } from '../src/simulator';
import { Child } from './support/child';
import { withSimulator } from './support/flows';

const MB = 1024 * 1024;

interface Stats {
  count: number;
  baseHeap: number;
  peakHeap: number;
  heap: number;
  rss: number;
}

class Runner extends Child {
  constructor(config: Record<string, unknown>) {
    super(path.join(__dirname, 'support', 'flow-runner.js'), [JSON.stringify(config)]);
  }

  /** Memory and msg count; with gc, heap is what is still retained after a full collection. */
  async stats(gc = false): Promise<Stats> {
    this.send({ type: 'stats', gc });
    return this.next<Stats>('stats');
  }

  /** Resolves once the child's probe has seen n msgs. */
  async until(n: number): Promise<void> {
    this.send({ type: 'until', n });
    await this.next('reached', 60_000);
  }
}

describe('back-pressure', function () {
  this.timeout(120_000);
  let sim: Simulator;
  let runner: Runner | undefined;

  beforeEach(async function () {
    sim = await withSimulator({ tickMs: 0 });
  });

  afterEach(async function () {
    await runner?.stop();
    runner = undefined;
    await sim.close();
  });

  async function start(source: Record<string, unknown>, topic: string, costMicros: number): Promise<Runner> {
    const subscribed = sim.waitFor('subscribe', undefined, 20_000);
    const r = new Runner({ publicUrl: sim.url('/v5/public/spot'), source, costMicros });
    await r.next('started');
    await subscribed;
    // First data proves the path; tickers get their snapshot, trades need one frame.
    if (topic.startsWith('publicTrade')) await sim.startLoad({ topic, rate: 'max', frames: 1 });
    await r.next('ready');
    return r;
  }

  it('takes 50,000 trade frames in a second into a slow node without unbounded memory', async function () {
    runner = await start({ type: 'bybit-trade', symbols: 'BTCUSDT' }, 'publicTrade.BTCUSDT', 20);
    const result = await sim.startLoad({ topic: 'publicTrade.BTCUSDT', rate: 50_000, frames: 50_000 });
    // Every trade reaches the slow node (1 priming msg + 50,000); the burst drains at its pace.
    await runner.until(50_001);
    const stats = await runner.stats(true);
    const peak = stats.peakHeap - stats.baseHeap;
    const retained = stats.heap - stats.baseHeap;
    console.log(`      50,000 trade frames at 50,000/s into a 20 µs/msg node: ${stats.count - 1} msgs, sent in ${result.durationMs} ms, peak heap growth ${(peak / MB).toFixed(1)} MB, retained ${(retained / MB).toFixed(1)} MB, rss ${(stats.rss / MB).toFixed(0)} MB`);
    assert.equal(result.sent, 50_000);
    assert.ok(peak < 128 * MB, `heap peaked ${(peak / MB).toFixed(1)} MB above the start`);
    assert.ok(retained < 8 * MB, `${(retained / MB).toFixed(1)} MB still held after the burst`);
  });

  it('keeps memory flat with a throttle', async function () {
    runner = await start({ type: 'bybit-ticker', symbols: 'BTCUSDT', throttle: 200 }, 'tickers.BTCUSDT', 20);
    const before = await runner.stats(true);
    await sim.startLoad({ topic: 'tickers.BTCUSDT', rate: 50_000, frames: 50_000 });
    const after = await runner.stats(true);
    const retained = after.heap - before.heap;
    const msgs = after.count - before.count;
    console.log(`      50,000 ticker frames, throttle 200 ms: ${msgs} msgs, peak heap growth ${((after.peakHeap - before.heap) / MB).toFixed(1)} MB (garbage not yet collected included), retained ${(retained / MB).toFixed(2)} MB`);
    assert.ok(msgs < 50, `${msgs} msgs in a throttled burst`);
    assert.ok(retained < 2 * MB, `${(retained / MB).toFixed(2)} MB still held after the burst`);
  });
});
