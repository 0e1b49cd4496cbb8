/** Runs a load through a receiver and measures it: throughput, CPU and GC per msg, latency. */
import fs from 'node:fs';
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { nowMs, type Receiver } from './receivers';
import type { SimProcess } from './sim';

export const TRADES_PER_FRAME = 4;

/** GC pauses on the main thread, as the runtime reports them (start in performance.now() ms). */
const gcPauses: { start: number; ms: number }[] = [];
let observer: PerformanceObserver | undefined;

function watchGc(): void {
  if (observer) return;
  observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries() as PerformanceEntry[]) gcPauses.push({ start: e.startTime, ms: e.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
}

/** ms of GC pause that began in [from, to) (performance.now() ms); waits for late reports. */
async function gcBetween(from: number, to: number): Promise<number> {
  await new Promise((r) => setTimeout(r, 20));
  let ms = 0;
  for (const p of gcPauses) if (p.start >= from && p.start < to) ms += p.ms;
  // Keep the list short across a long run.
  const keep = gcPauses.filter((p) => p.start >= to);
  gcPauses.length = 0;
  gcPauses.push(...keep);
  return ms;
}

const SCHEDSTAT = `/proc/${process.pid}/task/${process.pid}/schedstat`;

/**
 * The main thread's ms on a CPU and ms waiting for one (Linux), to read GC pauses against: a
 * pause is timed by the clock, and on a busy machine the thread is often off the CPU during it.
 */
export function mainThreadTimes(): { onCpu: number; waiting: number } | undefined {
  try {
    const [onCpu, waiting] = fs.readFileSync(SCHEDSTAT, 'utf8').split(' ').map(Number);
    return { onCpu: onCpu / 1e6, waiting: waiting / 1e6 };
  } catch {
    return undefined;
  }
}

export interface MaxResult {
  framesPerSec: number;
  msgsPerSec: number;
  cpuUsPerMsg: number;
  /**
   * Share of the main thread's busy time (on a CPU or waiting for one) spent in GC pauses; where
   * that is unknown (not Linux), GC pause time / process CPU time.
   */
  gcShare: number;
}

export interface Load {
  topics: string[];
  /** frames per topic */
  frames: number;
  /** msgs a frame becomes */
  perFrame: number;
}

function startLoad(sim: SimProcess, load: Load, rate: number | 'max'): Promise<unknown> {
  return sim.control('/control/load', { topics: load.topics, rate, frames: load.frames, tradesPerFrame: TRADES_PER_FRAME });
}

/**
 * Streams the load at full speed (or at `rate` frames/s per topic); returns throughput and the
 * receiver's CPU and GC per message. The simulator encodes a run before sending it, so the
 * clock starts at the first message; CPU is the whole process's over the run. `send` replaces
 * the one load request (e.g. by several, staggered).
 */
export async function runLoad(sim: SimProcess, r: Receiver, load: Load, rate: number | 'max' = 'max', send?: () => Promise<unknown>): Promise<MaxResult> {
  watchGc();
  await cleanHeap();
  const start = r.count;
  const expected = start + load.topics.length * load.frames * load.perFrame;
  const cpu0 = process.cpuUsage();
  const sched0 = mainThreadTimes();
  const t0 = performance.now();
  r.firstAt = 0;
  await (send ? send() : startLoad(sim, load, rate));
  await r.until(expected);
  const t1 = performance.now();
  const seconds = (nowMs() - r.firstAt) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const sched1 = mainThreadTimes();
  const msgs = r.count - start;
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const gcMs = await gcBetween(t0, t1);
  const busyMs = sched0 && sched1 ? sched1.onCpu - sched0.onCpu + sched1.waiting - sched0.waiting : cpuMs;
  return {
    framesPerSec: (load.topics.length * load.frames) / seconds,
    msgsPerSec: msgs / seconds,
    cpuUsPerMsg: (cpuMs * 1000) / msgs,
    gcShare: busyMs > 0 ? gcMs / busyMs : 0,
  };
}

/** Records receive time - server time for every message of a paced run. */
export async function runLatency(sim: SimProcess, r: Receiver, load: Load, rate: number): Promise<number[]> {
  r.latencies.length = 0;
  r.recordLatency = true;
  const expected = r.count + load.topics.length * load.frames * load.perFrame;
  await startLoad(sim, load, rate);
  await r.until(expected);
  r.recordLatency = false;
  const out = r.latencies.slice();
  r.latencies.length = 0;
  return out;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function gc(): void {
  (global as unknown as { gc?: () => void }).gc?.();
}

/**
 * A full GC before a run (with --expose-gc), so the garbage of whatever ran before is not
 * collected inside this run: a 15 ms mark-compact in a 2 s latency run moves its p99 by ms.
 */
export async function cleanHeap(): Promise<void> {
  gc();
  await new Promise((r) => setImmediate(r));
}
