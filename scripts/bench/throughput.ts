/**
 * Socket-to-message cost, measured in one run against a baseline and against what a Node-RED
 * user would wire by hand. The simulator runs in a child process (its CPU is not counted) and
 * streams a fixed, seeded sequence of frames in load mode; receivers in this process take the
 * same stream in turn:
 *   baseline  - a bare `ws` client doing JSON.parse and counting,
 *   engine    - BybitClient: socket -> dialect decode -> normalize (or local book) -> listener,
 *   node-red  - the real Node-RED runtime: this package's node -> a counting node,
 *   peers     - the same runtime: websocket in -> json -> split / change / function -> counting node.
 * Reported: frames/s and msgs/s at full speed, CPU time and GC share per msg, p50/p99 latency
 * from the server's send timestamp at 5,000 frames/s (pooled over the rounds, with the spread
 * of the rounds' p99), this package against each hand-wired flow, heap per idle subscription
 * and time to data after the server drops the socket.
 *
 * BENCH_CASES=trade,ticker narrows the payloads, BENCH_PATHS=node-red,split the paths;
 * BENCH_PROFILE=trade/node-red writes a CPU profile of that path's full-speed runs and prints
 * where its time goes.
 */
import path from 'node:path';
import { BybitClient } from '../../src/engine';
import type { TopicSpec } from '../../src/dialects';
import { baselineReceiver, engineReceiver, flowReceiver, nowMs, type Receiver } from './receivers';
import { PEER_INJECT, TICKER_PEERS, TRADE_PEERS, peerFlow, type Peer } from './peers';
import { environment, type Environment } from './sim';
import { cleanHeap, gc, mainThreadTimes, median, percentile, runLatency, runLoad, TRADES_PER_FRAME, type Load, type MaxResult } from './measure';
import { Profiler, type Summary } from './profile';
import type { Benchmark, BenchContext, BenchResult, Cell, Table } from './types';

const SYMBOL = 'BTCUSDT';
const ROOT = path.resolve(__dirname, '..', '..', '..');

interface Case {
  name: 'trade' | 'ticker' | 'orderbook';
  topic(symbol: string): string;
  spec(symbol: string): TopicSpec;
  nodeType: string;
  nodeConfig: Record<string, unknown>;
  /** Messages a frame becomes (trades per frame). */
  perFrame: number;
  /**
   * Latency frames per path a round. One-msg frames need more: p99 then held still across
   * runs to about 0.5 ms from some 90,000 samples a path (trade frames give 4 each).
   */
  latencyFrames: number;
  /** The server timestamps of a frame's messages, as the baseline reads them from a raw frame. */
  frameTimes(frame: { ts: number; data: unknown }): number[];
  peers: Peer[];
}

const CASES: Case[] = [
  {
    name: 'trade', topic: (s) => `publicTrade.${s}`, spec: (s) => ({ channel: 'trade', symbol: s }), nodeType: 'bybit-trade', nodeConfig: {}, perFrame: TRADES_PER_FRAME, latencyFrames: 15_000,
    frameTimes: (f) => (f.data as { T: number }[]).map((t) => t.T), peers: TRADE_PEERS,
  },
  {
    name: 'ticker', topic: (s) => `tickers.${s}`, spec: (s) => ({ channel: 'ticker', symbol: s }), nodeType: 'bybit-ticker', nodeConfig: {}, perFrame: 1, latencyFrames: 30_000,
    frameTimes: (f) => [f.ts], peers: TICKER_PEERS,
  },
  {
    name: 'orderbook', topic: (s) => `orderbook.50.${s}`, spec: (s) => ({ channel: 'orderbook', symbol: s, depth: 50 }), nodeType: 'bybit-orderbook', nodeConfig: { depth: 50 }, perFrame: 1, latencyFrames: 30_000,
    frameTimes: (f) => [f.ts], peers: [],
  },
];

const LATENCY_RATE = 5000;
/** Frames per latency chunk: the paths take turns chunk by chunk. */
const LATENCY_CHUNK = 2500;
/** Latency receivers are open together, each on a symbol of its own. */
const LATENCY_SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'];

/** The receiver of one path of a case, on `symbol`. */
function open(env: Environment, c: Case, pathName: string, symbol = SYMBOL): Promise<Receiver> {
  const { sim, host } = env;
  const topic = c.topic(symbol);
  if (pathName === 'baseline') return baselineReceiver(sim, [topic], c.frameTimes);
  if (pathName === 'engine') return engineReceiver(sim, c.spec(symbol));
  if (pathName === 'node-red') {
    const nodes = [
      { id: 'conn', type: 'bybit-connection', network: 'custom', api: 'v5', publicUrl: sim.wsUrl('/v5/public/spot'), pingInterval: 20 },
      { id: 'src', z: 'tab', type: c.nodeType, connection: 'conn', output: 'normalized', throttle: 0, symbols: symbol, ...c.nodeConfig, wires: [['probe']] },
    ];
    return flowReceiver(host, sim, nodes, [topic], (msg) => (msg.payload as { time: number }).time);
  }
  const peer = c.peers.find((p) => p.name === pathName)!;
  return flowReceiver(host, sim, peerFlow(peer, sim.wsUrl('/v5/public/spot'), topic), [topic], peer.time, () => host.red.receive(PEER_INJECT, {}));
}

interface PathResult {
  max: MaxResult[];
  /** Latency samples per round. */
  latency: number[][];
  /** Share of the main thread's busy time spent waiting for a CPU during the latency runs. */
  cpuWait: number;
}

function summarizeLatency(rounds: number[][]): { p50: number; p99: number; spread: number } {
  const all = rounds.flat().sort((a, b) => a - b);
  const p99s = rounds.map((r) => percentile([...r].sort((a, b) => a - b), 99));
  return { p50: percentile(all, 50), p99: percentile(all, 99), spread: Math.max(...p99s) - Math.min(...p99s) };
}

/** The median of each figure over the rounds (each on its own: a slow round's CPU is not a fast round's). */
function medians(results: MaxResult[]): MaxResult {
  return {
    framesPerSec: median(results.map((r) => r.framesPerSec)),
    msgsPerSec: median(results.map((r) => r.msgsPerSec)),
    cpuUsPerMsg: median(results.map((r) => r.cpuUsPerMsg)),
    gcShare: median(results.map((r) => r.gcShare)),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

interface Settings {
  quick: boolean;
  /** Frames per full-speed run. */
  frames: number;
  rounds: number;
  profile?: string;
  profiler?: Profiler;
}

/** Full-speed rounds interleave the paths, so drifts of a shared machine hit each path alike. */
async function measureCase(env: Environment, c: Case, paths: string[], s: Settings, log: (line: string) => void): Promise<Map<string, PathResult>> {
  const results = new Map<string, PathResult>(paths.map((p) => [p, { max: [], latency: [], cpuWait: NaN }]));
  const load = (frames: number): Load => ({ topics: [c.topic(SYMBOL)], frames, perFrame: c.perFrame });
  for (let round = 0; round < s.rounds; round++) {
    for (const pathName of paths) {
      log(`${c.name} / ${pathName} / round ${round + 1}`);
      const r = await open(env, c, pathName);
      await runLoad(env.sim, r, load(Math.min(1000, s.frames))); // warm up
      const max = () => runLoad(env.sim, r, load(s.frames));
      results.get(pathName)!.max.push(s.profiler && s.profile === `${c.name}/${pathName}` ? await s.profiler.around(max) : await max());
      await r.close();
    }
  }
  // Peers are compared at full speed only; latency is this package's figure.
  const latencyPaths = paths.filter((p) => !c.peers.some((peer) => peer.name === p));
  const latency = await measureLatency(env, c, latencyPaths, s, log);
  for (const [pathName, { rounds, cpuWait }] of latency) Object.assign(results.get(pathName)!, { latency: rounds, cpuWait });
  return results;
}

/**
 * Latency with every path's receiver open at once, each on its own symbol, taking turns in
 * chunks of LATENCY_CHUNK frames: each path sees the same spread of the machine's moods, so
 * the paths' figures (and the added latency) compare. Samples are kept per round (a third).
 */
async function measureLatency(env: Environment, c: Case, paths: string[], s: Settings, log: (line: string) => void): Promise<Map<string, { rounds: number[][]; cpuWait: number }>> {
  log(`${c.name} / latency of ${paths.join(', ')}`);
  const receivers = new Map<string, { r: Receiver; load: Load }>();
  const out = new Map<string, number[][]>();
  const sched = new Map<string, { onCpu: number; waiting: number }>();
  try {
    for (const [i, pathName] of paths.entries()) {
      const symbol = LATENCY_SYMBOLS[i];
      const r = await open(env, c, pathName, symbol);
      receivers.set(pathName, { r, load: { topics: [c.topic(symbol)], frames: LATENCY_CHUNK, perFrame: c.perFrame } });
      out.set(pathName, []);
      sched.set(pathName, { onCpu: 0, waiting: 0 });
      await runLoad(env.sim, r, { topics: [c.topic(symbol)], frames: LATENCY_CHUNK, perFrame: c.perFrame }); // warm up
    }
    const frames = s.quick ? LATENCY_CHUNK : c.latencyFrames;
    const chunks = Math.max(1, Math.round(frames / LATENCY_CHUNK));
    for (let round = 0; round < s.rounds; round++) {
      await cleanHeap();
      for (const samples of out.values()) samples.push([]);
      for (let k = 0; k < chunks; k++) {
        // Rotate who goes first, so no path always follows the same one.
        for (let j = 0; j < paths.length; j++) {
          const pathName = paths[(j + k) % paths.length];
          const { r, load } = receivers.get(pathName)!;
          const samples = out.get(pathName)!;
          const before = mainThreadTimes();
          samples[round].push(...(await runLatency(env.sim, r, load, LATENCY_RATE)));
          const after = mainThreadTimes();
          const total = sched.get(pathName)!;
          if (before && after) {
            total.onCpu += after.onCpu - before.onCpu;
            total.waiting += after.waiting - before.waiting;
          }
        }
      }
    }
  } finally {
    for (const { r } of receivers.values()) await r.close();
  }
  const result = new Map<string, { rounds: number[][]; cpuWait: number }>();
  for (const [pathName, rounds] of out) {
    const t = sched.get(pathName)!;
    result.set(pathName, { rounds, cpuWait: t.onCpu + t.waiting > 0 ? t.waiting / (t.onCpu + t.waiting) : NaN });
  }
  return result;
}

function caseRows(c: Case, results: Map<string, PathResult>, checks: NonNullable<BenchResult['checks']>): { main: Record<string, Cell>[]; peers: Record<string, Cell>[] } {
  const main: Record<string, Cell>[] = [];
  const peers: Record<string, Cell>[] = [];
  const base = results.get('baseline');
  const baseMax = base && medians(base.max);
  const baseLat = base && summarizeLatency(base.latency);
  const pkg = results.get('node-red');
  const pkgMax = pkg && medians(pkg.max);
  for (const [pathName, result] of results) {
    const max = medians(result.max);
    const peer = c.peers.find((p) => p.name === pathName);
    if (peer) {
      const speed = pkgMax ? pkgMax.msgsPerSec / max.msgsPerSec : NaN;
      const cpu = pkgMax ? pkgMax.cpuUsPerMsg / max.cpuUsPerMsg : NaN;
      peers.push({ payload: c.name, 'hand-wired flow': peer.label, 'msgs/s': Math.round(max.msgsPerSec), 'cpu µs/msg': max.cpuUsPerMsg, 'GC pause %': max.gcShare * 100, 'package msgs/s ÷ flow': speed, 'package cpu ÷ flow': cpu });
      // The goal is the trade path's; a ticker frame is one msg, so parsing it (the
      // baseline's whole cost) is already over a fifth of what the change-node flow spends.
      if (pkgMax && c.name === 'trade') {
        checks.push({ name: `node-red ${c.name}: >= 5x the msgs/s of ${peer.name}`, pass: speed >= 5, detail: `${speed.toFixed(2)}x`, target: true });
        checks.push({ name: `node-red ${c.name}: <= 1/5 the CPU per msg of ${peer.name}`, pass: cpu <= 0.2, detail: `${cpu.toFixed(2)}`, target: true });
      }
      continue;
    }
    const lat = summarizeLatency(result.latency);
    const ratio = baseMax ? max.msgsPerSec / baseMax.msgsPerSec : NaN;
    main.push({
      payload: c.name,
      path: pathName,
      'frames/s': Math.round(max.framesPerSec),
      'msgs/s': Math.round(max.msgsPerSec),
      'vs baseline': ratio,
      'cpu µs/msg': max.cpuUsPerMsg,
      'GC pause %': max.gcShare * 100,
      'p50 ms': lat.p50,
      'p99 ms': lat.p99,
      'p99 spread ms': lat.spread,
      'added p99 ms': baseLat ? lat.p99 - baseLat.p99 : NaN,
      'cpu wait %': result.cpuWait * 100,
    });
    if (pathName === 'baseline' || !baseMax) continue;
    if (c.name === 'orderbook' && pathName === 'engine') checks.push({ name: 'engine orderbook (depth 50) throughput >= 60% of baseline', pass: ratio >= 0.6, detail: pct(ratio), target: true });
    if (c.name !== 'orderbook' && pathName === 'engine') checks.push({ name: `engine ${c.name} throughput >= 85% of baseline`, pass: ratio >= 0.85, detail: pct(ratio), target: true });
    if (c.name !== 'orderbook' && pathName === 'node-red') checks.push({ name: `node-red ${c.name} throughput >= 50% of baseline`, pass: ratio >= 0.5, detail: pct(ratio), target: true });
    if (baseLat) checks.push({ name: `${pathName} ${c.name} added p99 latency < 1 ms at 5,000 frames/s`, pass: lat.p99 - baseLat.p99 < 1, detail: `${(lat.p99 - baseLat.p99).toFixed(3)} ms`, target: true });
  }
  return { main, peers };
}

/** Heap and RSS growth for 1,000 idle subscriptions held by one client (one config node). */
async function idleSubscriptions(env: Environment, n: number): Promise<{ heapPerSub: number; rssPer1000: number; requests: number }> {
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const rss0 = process.memoryUsage().rss;
  const client = new BybitClient({ network: 'custom', publicUrl: env.sim.wsUrl('/v5/public/spot') });
  const sub = client.subscriber({});
  await Promise.all(Array.from({ length: n }, (_, i) => sub.add({ channel: 'ticker', symbol: `S${String(i).padStart(4, '0')}USDT` })));
  gc();
  const heap1 = process.memoryUsage().heapUsed;
  const rss1 = process.memoryUsage().rss;
  await client.close();
  return { heapPerSub: (heap1 - heap0) / n, rssPer1000: ((rss1 - rss0) / n) * 1000, requests: Math.ceil(n / 10) };
}

/** ms from the server dropping the socket to the next message through the engine. */
async function reconnectTime(env: Environment): Promise<number> {
  const client = new BybitClient({ network: 'custom', publicUrl: env.sim.wsUrl('/v5/public/spot') });
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
  await env.sim.control('/control/drop', { mode: 'terminate' });
  const t1 = await resubscribed;
  await client.close();
  return t1 - t0;
}

function profileTable(summary: Summary, what: string): Table[] {
  const row = (share: number, ms: number) => ({ 'share of busy cpu': `${(share * 100).toFixed(1)}%`, ms: Math.round(ms) });
  return [
    { title: `Profile of ${what}: self time by part of the stack (${Math.round(summary.busyMs)} ms busy)`, rows: summary.parts.slice(0, 14).map((p) => ({ part: p.part, ...row(p.share, p.ms) })) },
    { title: `Profile of ${what}: top functions by self time`, rows: summary.functions.slice(0, 20).map((f) => ({ function: f.fn, part: f.part, ...row(f.share, f.ms) })) },
  ];
}

async function run(ctx: BenchContext): Promise<BenchResult> {
  const settings: Settings = {
    frames: ctx.quick ? 5_000 : 20_000,
    quick: ctx.quick,
    rounds: ctx.quick ? 1 : 3,
    profile: process.env.BENCH_PROFILE,
  };
  if (settings.profile) settings.profiler = new Profiler();
  const env = await environment();
  const main: Record<string, Cell>[] = [];
  const peerRows: Record<string, Cell>[] = [];
  const checks: NonNullable<BenchResult['checks']> = [];
  const onlyCases = process.env.BENCH_CASES?.split(',');
  const onlyPaths = process.env.BENCH_PATHS?.split(',');
  for (const c of CASES.filter((x) => !onlyCases || onlyCases.includes(x.name))) {
    const paths = ['baseline', 'engine', 'node-red', ...c.peers.map((p) => p.name)].filter((p) => !onlyPaths || onlyPaths.includes(p));
    const results = await measureCase(env, c, paths, settings, ctx.log);
    const rows = caseRows(c, results, checks);
    main.push(...rows.main);
    peerRows.push(...rows.peers);
  }
  const other: Record<string, Cell>[] = [];
  if (!onlyCases && !onlyPaths) {
    ctx.log('idle subscriptions');
    const idle = await idleSubscriptions(env, 1000);
    other.push({ measure: 'heap per idle subscription (1,000 on one connection)', value: `${Math.round(idle.heapPerSub)} B`, note: `${idle.requests} subscribe requests of 10` });
    checks.push({ name: 'heap per idle subscription <= 2 KB (1,000 on one config)', pass: idle.heapPerSub <= 2048, detail: `${Math.round(idle.heapPerSub)} B`, target: true });
    ctx.log('reconnect');
    const reconnectMs = await reconnectTime(env);
    other.push({ measure: 'data flowing again after the server drops the socket', value: `${Math.round(reconnectMs)} ms`, note: 'first backoff step included' });
    checks.push({ name: 'data flowing again within 1.5 s after a drop', pass: reconnectMs < 1500, detail: `${Math.round(reconnectMs)} ms`, target: true });
  }
  const tables: Table[] = [{ title: 'Socket to msg: this package against a bare ws + JSON.parse client (baseline)', rows: main }];
  if (peerRows.length) tables.push({ title: 'This package\'s node against the same stream through flows of Node-RED core nodes (same runtime, same run)', rows: peerRows });
  if (other.length) tables.push({ title: 'Engine: idle subscriptions and reconnect', rows: other });
  if (settings.profiler && settings.profile) {
    const file = path.join(ROOT, 'bench-results', `profile-${settings.profile.replace('/', '-')}.cpuprofile`);
    tables.push(...profileTable(settings.profiler.finish(file), `${settings.profile} at full speed`));
  }
  const notes = [
    `${settings.frames} frames per full-speed run (${TRADES_PER_FRAME} trades per trade frame), sent as fast as the simulator can from a child process; receivers run one at a time in this process; each figure is the median of ${settings.rounds} interleaved rounds.`,
    `Latency = receive time - the server's timestamp in the frame (trade T, ticker/book ts, whole ms, stamped at send), at ${LATENCY_RATE.toLocaleString('en')} frames/s: the paths' receivers are open together (a symbol each) and take turns in chunks of ${LATENCY_CHUNK} frames, ${settings.quick ? LATENCY_CHUNK : 'trade 15,000, ticker and orderbook 30,000'} frames per path a round; p50/p99 pool the rounds, "p99 spread" is the largest minus the smallest p99 of the rounds, "added" is the path's p99 minus the baseline's.`,
    'GC pause % = main-thread GC pauses (perf_hooks gc entries) / the time the main thread was on a CPU or waiting for one, over the run.',
    'cpu wait % = how much of that busy time the main thread spent waiting for a CPU during the latency runs (other work on the machine): where it is high, the latency figures show the machine more than the path.',
    'Order book: the baseline parses frames but keeps no book; the engine applies each delta to its local book and renders the top 50 levels a side, as the orderbook node does.',
  ];
  if (!(global as unknown as { gc?: unknown }).gc) notes.push('run with node --expose-gc for stable heap figures');
  return { tables, checks, notes };
}

export const throughputBenchmark: Benchmark = {
  name: 'throughput',
  description: 'socket to msg: bare ws + JSON.parse baseline, the engine, the package in Node-RED, and hand-wired Node-RED flows',
  run,
};
