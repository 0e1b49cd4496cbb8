/**
 * A CPU profile of chosen measurement runs, taken in-process through the inspector (so only
 * the runs are in it, not start-up or deploys), and a summary of where the time went: self
 * time by part of the stack (GC, ws, Node-RED's runtime, this package's layers...) and by function.
 */
import fs from 'node:fs';
import inspector from 'node:inspector';
import path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** µs between samples. */
const INTERVAL_US = 200;

export class Profiler {
  private readonly session = new inspector.Session();
  private readonly profiles: CpuProfile[] = [];

  constructor() {
    this.session.connect();
    this.post('Profiler.enable');
    this.post('Profiler.setSamplingInterval', { interval: INTERVAL_US });
  }

  private post(method: string, params?: object): Promise<unknown> {
    return new Promise((resolve, reject) => this.session.post(method, params, (err, result) => (err ? reject(err) : resolve(result))));
  }

  /** Profiles `fn` (a measurement run); the profile joins the others taken. */
  async around<T>(fn: () => Promise<T>): Promise<T> {
    await this.post('Profiler.start');
    try {
      return await fn();
    } finally {
      const { profile } = (await this.post('Profiler.stop')) as { profile: CpuProfile };
      this.profiles.push(profile);
    }
  }

  /** Writes the profiles (each loads in Chrome DevTools) and returns their summary. */
  finish(file: string): Summary {
    this.session.disconnect();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.profiles.forEach((p, i) => fs.writeFileSync(file.replace(/\.cpuprofile$/, `-${i + 1}.cpuprofile`), JSON.stringify(p)));
    return summarize(this.profiles);
  }
}

/** Which part of the stack a function belongs to. */
function part(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : `(native) ${functionName || 'anonymous'}`;
  const red = /@node-red\/(\w+)\/lib\/(\w+)/.exec(url);
  if (red) return `node-red ${red[1]}/${red[2]}`;
  if (/@node-red\/nodes\/core/.test(url)) return 'node-red core nodes';
  if (url.includes('/node_modules/ws/')) return 'ws';
  if (url.includes('test-probe')) return 'bench harness (probe, counting)';
  const own = /\/dist\/(nodes|src\/\w+|scripts|test)\b/.exec(url);
  if (own) return own[1] === 'scripts' || own[1] === 'test' ? 'bench harness (probe, counting)' : `package ${own[1]}`;
  if (url.startsWith('node:')) return 'node core (streams, timers, events)';
  const mod = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  return mod ? mod[1] : url;
}

export interface Summary {
  /** Busy ms (idle excluded) over all profiles: samples x the sampling interval. */
  busyMs: number;
  parts: { part: string; ms: number; share: number }[];
  functions: { fn: string; part: string; ms: number; share: number }[];
}

export function summarize(profiles: CpuProfile[]): Summary {
  const byPart = new Map<string, number>();
  const byFn = new Map<string, { part: string; ms: number }>();
  let busy = 0;
  for (const p of profiles) {
    const nodes = new Map(p.nodes.map((n) => [n.id, n]));
    for (let i = 0; i < p.samples.length; i++) {
      const frame = nodes.get(p.samples[i])!.callFrame;
      if (frame.functionName === '(idle)') continue;
      // Samples, not the clock between them: a sample is taken only while the thread runs, so
      // counts follow CPU time even when a busy machine keeps the thread waiting.
      const ms = INTERVAL_US / 1000;
      busy += ms;
      const where = part(frame);
      byPart.set(where, (byPart.get(where) ?? 0) + ms);
      const fn = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber + 1}`;
      const entry = byFn.get(fn) ?? { part: where, ms: 0 };
      entry.ms += ms;
      byFn.set(fn, entry);
    }
  }
  const parts = [...byPart].map(([p, ms]) => ({ part: p, ms, share: ms / busy })).sort((a, b) => b.ms - a.ms);
  const functions = [...byFn].map(([fn, e]) => ({ fn, part: e.part, ms: e.ms, share: e.ms / busy })).sort((a, b) => b.ms - a.ms);
  return { busyMs: busy, parts, functions };
}
