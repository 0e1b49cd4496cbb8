/**
 * Cost as work grows: one trade node subscribed to 1, 10, 100 and 1,000 symbols, fed the same
 * total frame rate spread over its topics, then 1,000 symbols at ten times that rate. Per row:
 * CPU µs per msg (package in Node-RED, and a bare ws client on the same stream for the floor)
 * and heap per topic. Per-msg cost must not grow with the number of topics.
 *
 * The simulator paces a load run by sending frame i of every topic at once, so one run over
 * 1,000 topics would arrive in bursts of 1,000 frames. To keep the stream's shape alike at
 * every size, the topics are split into runs of at most 10, started evenly over one frame
 * interval: from 10 symbols up, about 10 frames arrive together.
 */
import { baselineReceiver, flowReceiver, type Receiver } from './receivers';
import { environment, type Environment } from './sim';
import { gc, median, runLoad, TRADES_PER_FRAME, type Load, type MaxResult } from './measure';
import type { Benchmark, BenchContext, BenchResult, Cell } from './types';

const GROUP = 10;

const symbols = (n: number) => Array.from({ length: n }, (_, i) => (n === 1 ? 'BTCUSDT' : `S${String(i).padStart(4, '0')}USDT`));
const topicsOf = (syms: string[]) => syms.map((s) => `publicTrade.${s}`);

/** Starts the load as runs of at most GROUP topics, spread evenly over one frame interval. */
function staggered(env: Environment, load: Load, ratePerTopic: number): () => Promise<unknown> {
  return async () => {
    const groups: string[][] = [];
    for (let i = 0; i < load.topics.length; i += GROUP) groups.push(load.topics.slice(i, i + GROUP));
    const intervalMs = 1000 / ratePerTopic;
    return Promise.all(groups.map((topics, g) => new Promise((resolve, reject) => {
      const send = () => env.sim.control('/control/load', { topics, rate: ratePerTopic, frames: load.frames, tradesPerFrame: TRADES_PER_FRAME });
      setTimeout(() => send().then(resolve, reject), (g * intervalMs) / groups.length);
    })));
  };
}

async function heapNow(): Promise<number> {
  // Twice: Node-RED frees some things one GC late (closures of closed sockets).
  gc();
  await new Promise((r) => setImmediate(r));
  gc();
  return process.memoryUsage().heapUsed;
}

interface Row {
  symbols: number;
  totalRate: number;
  pkg: MaxResult[];
  base: MaxResult[];
  heapPerTopic: number;
}

async function measureSize(env: Environment, n: number, totalRate: number, seconds: number, rounds: number, log: (l: string) => void): Promise<Row> {
  const syms = symbols(n);
  const topics = topicsOf(syms);
  const ratePerTopic = totalRate / n;
  const frames = (s: number) => Math.max(1, Math.round(ratePerTopic * s));
  const load: Load = { topics, frames: frames(seconds), perFrame: TRADES_PER_FRAME };
  const warm: Load = { ...load, frames: frames(seconds / 5) };
  const row: Row = { symbols: n, totalRate, pkg: [], base: [], heapPerTopic: NaN };
  for (let round = 0; round < rounds; round++) {
    log(`${n} symbols at ${totalRate} frames/s / round ${round + 1}`);
    const heap0 = await heapNow();
    const nodes = [
      { id: 'conn', type: 'bybit-connection', network: 'custom', api: 'v5', publicUrl: env.sim.wsUrl('/v5/public/spot'), pingInterval: 20 },
      { id: 'src', z: 'tab', type: 'bybit-trade', connection: 'conn', output: 'normalized', throttle: 0, symbols: syms.join(','), wires: [['probe']] },
    ];
    const pkg: Receiver = await flowReceiver(env.host, env.sim, nodes, topics, (msg) => (msg.payload as { time: number }).time);
    await runLoad(env.sim, pkg, warm, ratePerTopic, staggered(env, warm, ratePerTopic));
    row.pkg.push(await runLoad(env.sim, pkg, load, ratePerTopic, staggered(env, load, ratePerTopic)));
    // Heap held with the topics subscribed and data having flowed, less an empty runtime's.
    if (round === 0) row.heapPerTopic = ((await heapNow()) - heap0) / n;
    await pkg.close();
    const base = await baselineReceiver(env.sim, topics, (f) => (f.data as { T: number }[]).map((t) => t.T));
    await runLoad(env.sim, base, warm, ratePerTopic, staggered(env, warm, ratePerTopic));
    row.base.push(await runLoad(env.sim, base, load, ratePerTopic, staggered(env, load, ratePerTopic)));
    await base.close();
  }
  return row;
}

async function run(ctx: BenchContext): Promise<BenchResult> {
  const env = await environment();
  const rate = 5_000;
  const seconds = ctx.quick ? 1 : 2;
  const rounds = ctx.quick ? 1 : 2;
  const sizes = [1, 10, 100, 1000];
  const rows: Row[] = [];
  for (const n of sizes) rows.push(await measureSize(env, n, rate, seconds, rounds, ctx.log));
  rows.push(await measureSize(env, 1000, rate * 10, seconds, rounds, ctx.log));
  const table: Record<string, Cell>[] = rows.map((r) => {
    const cpu = median(r.pkg.map((m) => m.cpuUsPerMsg));
    const base = median(r.base.map((m) => m.cpuUsPerMsg));
    return {
      symbols: r.symbols,
      'frames/s': r.totalRate,
      'msgs/s got': Math.round(median(r.pkg.map((m) => m.msgsPerSec))),
      'package cpu µs/msg': cpu,
      'baseline cpu µs/msg': base,
      'package - baseline': cpu - base,
      'GC pause %': median(r.pkg.map((m) => m.gcShare)) * 100,
      'heap B/topic': Math.round(r.heapPerTopic),
    };
  });
  const one = Number(table[0]['package cpu µs/msg']);
  const thousand = Number(table[3]['package cpu µs/msg']);
  const checks = [
    { name: 'CPU µs/msg at 1,000 symbols within 1.3x of 1 symbol (same total rate)', pass: thousand <= one * 1.3, detail: `${(thousand / one).toFixed(2)}x`, target: true },
  ];
  return {
    tables: [{ title: `One bybit-trade node in Node-RED, N symbols, ${rate.toLocaleString('en')} frames/s in total (${TRADES_PER_FRAME} trades each), then 10x`, rows: table }],
    checks,
    notes: [
      `${seconds} s of frames per run, median of ${rounds} rounds; the frames are spread evenly over the topics and sent as runs of at most ${GROUP} topics started evenly over one frame interval, so from 10 symbols up every size gets about ${GROUP} frames at a time (one symbol: about 2 a millisecond).`,
      'CPU is the whole process over the run (Node-RED idle work and the load requests to the simulator included), so at a fixed rate it also shows what is not per msg; baseline = a bare ws client parsing the same stream, so "package - baseline" is what the package itself adds per msg.',
      'heap B/topic = heap after the run with the node deployed and subscribed, less the heap before deploying, per topic (the first row carries the node and its connection).',
    ],
  };
}

export const scaleBenchmark: Benchmark = {
  name: 'scale',
  description: 'cost per msg and heap per topic as one node subscribes 1 to 1,000 symbols at the same total rate, and at 10x',
  run,
};
