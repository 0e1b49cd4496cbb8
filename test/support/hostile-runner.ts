/**
 * A child process running a whole flow of bybit nodes in the real, embedded Node-RED runtime
 * for the hostile-server suite: a crash ends this process (the parent sees the exit), not the
 * test run. Started with fork(); argv[2] is JSON {flow, credentials, settings}. Over IPC:
 * {type:'started'} once deployed; on {type:'stats', gc?} it answers {type:'stats', ...} with
 * msgs per probe, the largest array payload per probe, msgs carrying NaN/Infinity, topics
 * seen, the worst event-loop delay and the worst stall of its own (see StallProbe) since the last stats (then reset), heap figures and the
 * Node-RED log lines of the bybit nodes; on {type:'until', probe, n} it answers
 * {type:'reached'} once that probe has seen n msgs in all; on {type:'untilId', probe, id} {type:'watching'} at once and {type:'seen'} once
 * that probe got a msg whose payload.id is id; on {type:'untilLog', pattern} {type:'logged'} once a bybit node logged a line matching it.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { EmbeddedRed } from './embedded-red';
import { hasNonFinite } from './finite';

interface Config {
  flow: Record<string, unknown>[];
  credentials: Record<string, Record<string, string>>;
  settings: Record<string, unknown>;
}


const counts: Record<string, number> = {};
const largest: Record<string, number> = {};
const topics = new Set<string>();
const logs: { level: number; text: string }[] = [];
let nonFinite = 0;
let waiting: { probe: string; n: number } | undefined;
let waitingId: { probe: string; id: string } | undefined;
let waitingLog: RegExp | undefined;

/**
 * A timer probe for stalls this process causes: the longest gap between two ticks during
 * which the process was on the CPU (the lesser of wall time and CPU time). The wall-clock
 * figure of monitorEventLoopDelay alone also counts time the OS gave to other processes,
 * which on a busy 2-core test machine says nothing about this code.
 */
class StallProbe {
  private lastWall = process.hrtime.bigint();
  private lastCpu = process.cpuUsage();
  private worst = 0;
  private readonly timer = setInterval(() => this.tick(), 5);

  private tick(): void {
    const wall = Number(process.hrtime.bigint() - this.lastWall) / 1e6;
    const cpu = process.cpuUsage(this.lastCpu);
    this.worst = Math.max(this.worst, Math.min(wall, (cpu.user + cpu.system) / 1000));
    this.lastWall = process.hrtime.bigint();
    this.lastCpu = process.cpuUsage();
  }

  /** The worst stall since the last take, in ms. */
  take(): number {
    this.tick();
    const worst = this.worst;
    this.worst = 0;
    return worst;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

function onMsg(msg: { topic?: string; payload?: unknown }, probe: string): void {
  counts[probe] = (counts[probe] ?? 0) + 1;
  if (Array.isArray(msg.payload)) largest[probe] = Math.max(largest[probe] ?? 0, msg.payload.length);
  if (topics.size < 200 && msg.topic) topics.add(msg.topic);
  // Raw payloads are the server's own text: only normalized ones must be finite.
  if (!probe.startsWith('raw') && hasNonFinite(msg.payload)) nonFinite++;
  if (waitingId?.probe === probe && (msg.payload as { id?: unknown } | undefined)?.id === waitingId.id) {
    waitingId = undefined;
    process.send?.({ type: 'seen' });
  }
  if (waiting && counts[waiting.probe] >= waiting.n) {
    waiting = undefined;
    process.send?.({ type: 'reached' });
  }
}

function onLog(entry: { level: number; msg?: unknown; type?: string }): void {
  if (!entry.type?.startsWith('bybit-') || logs.length > 2000) return;
  logs.push({ level: entry.level, text: String(entry.msg) });
  if (waitingLog?.test(String(entry.msg))) {
    waitingLog = undefined;
    process.send?.({ type: 'logged' });
  }
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2]) as Config;
  const gc = (global as unknown as { gc?: () => void }).gc;
  const red = new EmbeddedRed(onMsg, config.settings, onLog);
  red.writeFlow(config.flow, config.credentials);
  await red.start();
  gc?.();
  const baseHeap = process.memoryUsage().heapUsed;
  let peakHeap = baseHeap;
  const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 10);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const stalls = new StallProbe();
  process.on('message', async (m: { type: string; gc?: boolean; n?: number; probe?: string; pattern?: string; id?: string }) => {
    if (m.type === 'untilId') {
      waitingId = { probe: m.probe ?? '', id: m.id ?? '' };
      process.send?.({ type: 'watching' });
    } else if (m.type === 'untilLog') {
      const re = new RegExp(m.pattern ?? '');
      if (logs.some((l) => re.test(l.text))) process.send?.({ type: 'logged' });
      else waitingLog = re;
    } else if (m.type === 'until') {
      const probe = m.probe ?? '';
      if ((counts[probe] ?? 0) >= (m.n ?? 0)) process.send?.({ type: 'reached' });
      else waiting = { probe, n: m.n ?? 0 };
    } else if (m.type === 'stats') {
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      // Read before the forced GC below: its pause is the test's, not the flow's.
      const maxDelayMs = delay.max / 1e6;
      const maxStallMs = stalls.take();
      if (m.gc) gc?.();
      stalls.take();
      delay.reset();
      const heap = process.memoryUsage().heapUsed;
      process.send?.({ type: 'stats', counts, largest, nonFinite, topics: [...topics], maxDelayMs, maxStallMs, baseHeap, peakHeap, heap, logs });
    } else if (m.type === 'stop') {
      clearInterval(sampler);
      stalls.stop();
      delay.disable();
      await red.stop();
      process.exit(0);
    }
  });
  process.send?.({ type: 'started' });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
