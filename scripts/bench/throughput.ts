/**
 * Socket-to-message cost, measured in one run against a baseline. The simulator runs in a
 * child process (so its CPU is not counted) and streams a fixed, seeded sequence of frames
 * in load mode; three receivers in this process take the same stream in turn:
 *   baseline  - a bare `ws` client doing JSON.parse and counting,
 *   engine    - BybitClient: socket -> dialect decode -> normalize -> listener,
 *   node-red  - the real Node-RED runtime: bybit node -> a counting node.
 * Reported: frames/s and msgs/s at full speed, CPU time per msg, p50/p99 latency from the
 * server's send timestamp at 5,000 frames/s (and what each path adds over the baseline),
 * heap per idle subscription, and time to data after the server drops the socket.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import WebSocket from 'ws';
import { BybitClient } from '../../src/engine';
import type { TopicSpec } from '../../src/dialects';
import { EmbeddedRed } from '../../test/support/embedded-red';
import type { Benchmark, BenchContext, BenchResult, Cell } from './types';

const BUILD = path.resolve(__dirname, '..', '..');
const SYMBOL = 'BTCUSDT';

interface Case {
  name: 'trade' | 'ticker' | 'orderbook';
  topic: string;
  spec: TopicSpec;
  nodeType: string;
  nodeConfig: Record<string, unknown>;
  /** Messages a frame becomes (trades per frame). */
  perFrame: number;
  /** The server timestamp a message carries, as the baseline reads it from a raw frame. */
  frameTimes(frame: { ts: number; data: unknown }): number[];
}

const TRADES_PER_FRAME = 4;
const CASES: Case[] = [
  {
    name: 'trade', topic: `publicTrade.${SYMBOL}`, spec: { channel: 'trade', symbol: SYMBOL }, nodeType: 'bybit-trade', nodeConfig: {}, perFrame: TRADES_PER_FRAME,
    frameTimes: (f) => (f.data as { T: number }[]).map((t) => t.T),
  },
  {
    name: 'ticker', topic: `tickers.${SYMBOL}`, spec: { channel: 'ticker', symbol: SYMBOL }, nodeType: 'bybit-ticker', nodeConfig: {}, perFrame: 1,
    frameTimes: (f) => [f.ts],
  },
  {
    name: 'orderbook', topic: `orderbook.50.${SYMBOL}`, spec: { channel: 'orderbook', symbol: SYMBOL, depth: 50 }, nodeType: 'bybit-orderbook', nodeConfig: { depth: 50 }, perFrame: 1,
    frameTimes: (f) => [f.ts],
  },
];

/** Wall-clock ms with sub-ms resolution, comparable with the server's Date.now() stamps. */
const nowMs = () => performance.timeOrigin + performance.now();

// ---------- the simulator child process ----------

interface SimProcess {
  wsUrl(p: string): string;
  control(route: string, body: Record<string, unknown>): Promise<unknown>;
  stop(): Promise<void>;
}

async function startSimProcess(): Promise<SimProcess> {
  const child: ChildProcess = spawn(process.execPath, [path.join(BUILD, 'src', 'simulator', 'cli.js'), '--port', '0', '--tick-ms', '0', '--seed', '7'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d) => {
      buf += d;
      if (buf.includes('\n')) resolve(buf);
    });
    child.once('exit', (code) => reject(new Error(`bybit-sim exited (${code})`)));
  });
  const port = Number(/127\.0\.0\.1:(\d+)/.exec(line)?.[1]);
  const agent = new http.Agent({ keepAlive: true });
  return {
    wsUrl: (p) => `ws://127.0.0.1:${port}${p}`,
    control: (route, body) => new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: route, method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => (res.statusCode === 200 ? resolve(text ? JSON.parse(text) : {}) : reject(new Error(`${route}: ${res.statusCode} ${text}`))));
      });
      req.on('error', reject);
      req.end(JSON.stringify(body));
    }),
    stop: () => new Promise<void>((resolve) => {
      agent.destroy();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

// ---------- receivers ----------

/** A receiver counts messages and records (receive time - server time) for each. */
interface Receiver {
  count: number;
  /** When the first message after the last reset arrived. */
  firstAt: number;
  latencies: number[];
  recordLatency: boolean;
  /** Resolves when `count` reaches n. */
  until(n: number): Promise<void>;
  close(): Promise<void>;
}

function counter(): Pick<Receiver, 'count' | 'firstAt' | 'latencies' | 'recordLatency' | 'until'> & { hit(times: number[]): void } {
  let target = Infinity;
  let wake: (() => void) | undefined;
  const r = {
    count: 0,
    firstAt: 0,
    latencies: [] as number[],
    recordLatency: false,
    hit(times: number[]) {
      if (r.firstAt === 0) r.firstAt = nowMs();
      r.count += times.length;
      if (r.recordLatency) {
        const now = nowMs();
        for (const t of times) r.latencies.push(now - t);
      }
      if (r.count >= target && wake) {
        const w = wake;
        wake = undefined;
        w();
      }
    },
    until(n: number) {
      if (r.count >= n) return Promise.resolve();
      target = n;
      return new Promise<void>((resolve, reject) => {
        // A stalled path must fail loudly: an empty event loop would end the run silently.
        const timer = setTimeout(() => reject(new Error(`stalled at ${r.count} of ${n} messages`)), 60_000);
        wake = () => (clearTimeout(timer), resolve());
      });
    },
  };
  return r;
}

async function baselineReceiver(sim: SimProcess, c: Case): Promise<Receiver> {
  const ws = new WebSocket(sim.wsUrl('/v5/public/spot'));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const r = counter();
  let acked!: () => void;
  const ack = new Promise<void>((resolve) => (acked = resolve));
  ws.on('message', (data) => {
    const f = JSON.parse(data.toString());
    if (f.topic === c.topic) r.hit(c.frameTimes(f));
    else if (f.op === 'subscribe') acked();
  });
  ws.send(JSON.stringify({ op: 'subscribe', args: [c.topic] }));
  await ack;
  return Object.assign(r, { close: () => new Promise<void>((resolve) => (ws.once('close', () => resolve()), ws.close())) });
}

async function engineReceiver(sim: SimProcess, c: Case): Promise<Receiver> {
  const client = new BybitClient({ network: 'custom', publicUrl: sim.wsUrl('/v5/public/spot') });
  const r = counter();
  const times: number[] = [];
  const sub = client.subscriber({
    items: (_spec, items) => {
      times.length = 0;
      for (const item of items) times.push((item.payload as { time: number }).time);
      r.hit(times);
    },
    book: (_spec, book) => {
      const view = book.view(50);
      r.hit([view.time ?? 0]);
    },
  });
  await sub.add(c.spec);
  return Object.assign(r, { close: () => client.close() });
}

/** The real Node-RED runtime, embedded: bybit node -> a counting probe node. */
class NodeRedHost {
  private onMsg: (msg: { payload?: unknown }) => void = () => undefined;
  private readonly red = new EmbeddedRed((msg) => this.onMsg(msg));

  start(): Promise<void> {
    return this.red.start();
  }

  async receiver(sim: SimProcess, c: Case): Promise<Receiver> {
    const r = counter();
    let ready!: () => void;
    const first = new Promise<void>((resolve) => (ready = resolve));
    this.onMsg = (msg) => {
      ready();
      r.hit([(msg.payload as { time: number }).time]);
    };
    await this.red.deploy(sim.wsUrl('/v5/public/spot'), { type: c.nodeType, symbols: SYMBOL, ...c.nodeConfig });
    // Subscribed once data flows. Prime one frame at a time, never two loads at once (two runs
    // interleaved on one topic would look like a broken book sequence).
    for (let i = 0; i < 100 && r.count === 0; i++) {
      await sim.control('/control/load', { topic: c.topic, rate: 'max', frames: 1, tradesPerFrame: TRADES_PER_FRAME });
      await Promise.race([first, new Promise((res) => setTimeout(res, 50))]);
    }
    if (r.count === 0) throw new Error(`node-red ${c.name}: no data after priming`);
    return Object.assign(r, { close: () => this.red.undeploy() });
  }

  stop(): Promise<void> {
    return this.red.stop();
  }
}

// ---------- measurements ----------

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Streams `frames` frames at full speed; returns throughput and receiver CPU per message. */
async function runMax(sim: SimProcess, r: Receiver, c: Case, frames: number): Promise<{ framesPerSec: number; msgsPerSec: number; cpuUsPerMsg: number }> {
  const start = r.count;
  const expected = start + frames * c.perFrame;
  const cpu0 = process.cpuUsage();
  r.firstAt = 0;
  // The simulator encodes the run before sending it: the clock starts at the first message.
  await sim.control('/control/load', { topic: c.topic, rate: 'max', frames, tradesPerFrame: TRADES_PER_FRAME });
  await r.until(expected);
  const seconds = (nowMs() - r.firstAt) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const msgs = r.count - start;
  return { framesPerSec: frames / seconds, msgsPerSec: msgs / seconds, cpuUsPerMsg: (cpu.user + cpu.system) / msgs };
}

async function runLatency(sim: SimProcess, r: Receiver, c: Case, frames: number, rate: number): Promise<{ p50: number; p99: number }> {
  r.latencies.length = 0;
  r.recordLatency = true;
  const expected = r.count + frames * c.perFrame;
  await sim.control('/control/load', { topic: c.topic, rate, frames, tradesPerFrame: TRADES_PER_FRAME });
  await r.until(expected);
  r.recordLatency = false;
  const sorted = [...r.latencies].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

function gc(): void {
  (global as unknown as { gc?: () => void }).gc?.();
}

/** Heap and RSS growth for 1,000 idle subscriptions held by one client (one config node). */
async function idleSubscriptions(sim: SimProcess, n: number): Promise<{ heapPerSub: number; rssPer1000: number; requests: number }> {
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const rss0 = process.memoryUsage().rss;
  const client = new BybitClient({ network: 'custom', publicUrl: sim.wsUrl('/v5/public/spot') });
  const sub = client.subscriber({});
  await Promise.all(Array.from({ length: n }, (_, i) => sub.add({ channel: 'ticker', symbol: `S${String(i).padStart(4, '0')}USDT` })));
  gc();
  const heap1 = process.memoryUsage().heapUsed;
  const rss1 = process.memoryUsage().rss;
  await client.close();
  return { heapPerSub: (heap1 - heap0) / n, rssPer1000: ((rss1 - rss0) / n) * 1000, requests: Math.ceil(n / 10) };
}

/** ms from the server dropping the socket to the next message through the engine. */
async function reconnectTime(sim: SimProcess): Promise<number> {
  const client = new BybitClient({ network: 'custom', publicUrl: sim.wsUrl('/v5/public/spot') });
  let onItem: (() => void) | undefined;
  const sub = client.subscriber({ items: () => onItem?.() });
  await sub.add({ channel: 'ticker', symbol: SYMBOL });
  const resubscribed = new Promise<number>((resolve) => {
    client.on('state', (ev: { state: string }) => {
      if (ev.state !== 'open') return;
      // Ticker topics get a snapshot on subscribe: the first item after the drop is the proof.
      onItem = () => resolve(nowMs());
    });
  });
  const t0 = nowMs();
  await sim.control('/control/drop', { mode: 'terminate' });
  const t1 = await resubscribed;
  await client.close();
  return t1 - t0;
}

async function run(ctx: BenchContext): Promise<BenchResult> {
  const frames = ctx.quick ? 5_000 : 40_000;
  const latencyFrames = ctx.quick ? 2_500 : 10_000;
  const rounds = ctx.quick ? 1 : 3;
  const sim = await startSimProcess();
  const red = new NodeRedHost();
  await red.start();
  const rows: Record<string, Cell>[] = [];
  const checks: NonNullable<BenchResult['checks']> = [];
  try {
    // BENCH_CASES=trade,ticker narrows a run (e.g. for a profile); all cases by default.
    const only = process.env.BENCH_CASES?.split(',');
    const PATHS = ['baseline', 'engine', 'node-red'] as const;
    for (const c of CASES.filter((x) => !only || only.includes(x.name))) {
      // Rounds interleave the paths, so drifts of a shared machine hit each path alike; the
      // table shows each path's median round. Latency is measured in the first round.
      const maxes: Record<string, { framesPerSec: number; msgsPerSec: number; cpuUsPerMsg: number }[]> = { baseline: [], engine: [], 'node-red': [] };
      const lats: Record<string, { p50: number; p99: number }> = {};
      for (let round = 0; round < rounds; round++) {
        for (const pathName of PATHS) {
          ctx.log(`${c.name} / ${pathName} / round ${round + 1}`);
          const r = pathName === 'baseline' ? await baselineReceiver(sim, c) : pathName === 'engine' ? await engineReceiver(sim, c) : await red.receiver(sim, c);
          await runMax(sim, r, c, Math.min(1000, frames)); // warm up
          maxes[pathName].push(await runMax(sim, r, c, frames));
          if (round === 0) lats[pathName] = await runLatency(sim, r, c, latencyFrames, 5000);
          await r.close();
        }
      }
      const median = (pathName: string) => {
        const sorted = [...maxes[pathName]].sort((a, b) => a.msgsPerSec - b.msgsPerSec);
        return sorted[Math.floor(sorted.length / 2)];
      };
      const base = { ...median('baseline'), ...lats.baseline };
      for (const pathName of PATHS) {
        const max = median(pathName);
        const lat = lats[pathName];
        const ratio = max.msgsPerSec / base.msgsPerSec;
        rows.push({
          payload: c.name,
          path: pathName,
          'frames/s': Math.round(max.framesPerSec),
          'msgs/s': Math.round(max.msgsPerSec),
          'vs baseline': ratio,
          'cpu µs/msg': max.cpuUsPerMsg,
          'p50 ms @5k/s': lat.p50,
          'p99 ms @5k/s': lat.p99,
          'added p99 ms': pathName === 'baseline' ? 0 : lat.p99 - base.p99,
        });
        if (pathName === 'engine' && c.name !== 'orderbook') checks.push({ name: `engine ${c.name} throughput >= 85% of baseline`, pass: ratio >= 0.85, detail: `${(ratio * 100).toFixed(0)}%` , target: true });
        if (pathName === 'node-red' && c.name !== 'orderbook') checks.push({ name: `node-red ${c.name} throughput >= 50% of baseline`, pass: ratio >= 0.5, detail: `${(ratio * 100).toFixed(0)}%` , target: true });
        if (pathName !== 'baseline') checks.push({ name: `${pathName} ${c.name} added p99 latency < 1 ms at 5,000 frames/s`, pass: lat.p99 - base.p99 < 1, detail: `${(lat.p99 - base.p99).toFixed(3)} ms` , target: true });
      }
    }
    ctx.log('idle subscriptions');
    const idle = await idleSubscriptions(sim, 1000);
    rows.push({ payload: 'idle subscriptions', path: 'engine', 'heap B/sub': Math.round(idle.heapPerSub), 'rss KB/1000 subs': Math.round(idle.rssPer1000 / 1024), 'subscribe requests': idle.requests });
    checks.push({ name: 'heap per idle subscription <= 2 KB (1,000 on one config)', pass: idle.heapPerSub <= 2048, detail: `${Math.round(idle.heapPerSub)} B`, target: true });
    ctx.log('reconnect');
    const reconnectMs = await reconnectTime(sim);
    rows.push({ payload: 'reconnect', path: 'engine', 'data again after ms': Math.round(reconnectMs) });
    checks.push({ name: 'data flowing again within 1.5 s after a drop', pass: reconnectMs < 1500, detail: `${Math.round(reconnectMs)} ms`, target: true });
  } finally {
    await red.stop();
    await sim.stop();
  }
  const notes = [
    `${frames} frames per throughput run (${TRADES_PER_FRAME} trades per trade frame), sent as fast as the simulator can in a child process; receivers run one at a time in this process; median of ${rounds} interleaved rounds per path.`,
    'Order book rows are for information: the baseline parses frames but keeps no book, so its ratio is not a target.',
    'Latency = receive time - the server timestamp in the frame (trade T, ticker/book ts), stamped at send in ms; "added" is path p99 minus baseline p99 from the same run.',
  ];
  if (!(global as unknown as { gc?: unknown }).gc) notes.push('run with node --expose-gc for stable heap figures');
  return { rows, checks, notes };
}

export const throughputBenchmark: Benchmark = {
  name: 'throughput',
  description: 'socket to msg: bare ws + JSON.parse baseline vs the engine vs the full Node-RED path',
  run,
};
