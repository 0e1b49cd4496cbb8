/**
 * The simulator in a child process, so its CPU is not counted with the receivers', and one
 * embedded Node-RED runtime: shared by every benchmark of a run (Node-RED's runtime is a
 * singleton), started on first use and stopped by the runner at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { EmbeddedRed, type ProbeCallback } from '../../test/support/embedded-red';

const BUILD = path.resolve(__dirname, '..', '..');

export interface SimProcess {
  wsUrl(p: string): string;
  control(route: string, body: Record<string, unknown>): Promise<unknown>;
  status(): Promise<{ subscriptions: string[] }>;
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
  // A run that dies (an uncaught error) must not leave the simulator behind.
  const orphan = () => child.kill('SIGTERM');
  process.once('exit', orphan);
  const port = Number(/127\.0\.0\.1:(\d+)/.exec(line)?.[1]);
  const agent = new http.Agent({ keepAlive: true });
  const request = (method: string, route: string, body?: Record<string, unknown>) => new Promise<unknown>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: route, method, agent, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => (res.statusCode === 200 ? resolve(text ? JSON.parse(text) : {}) : reject(new Error(`${route}: ${res.statusCode} ${text}`))));
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
  return {
    wsUrl: (p) => `ws://127.0.0.1:${port}${p}`,
    control: (route, body) => request('POST', route, body),
    status: () => request('GET', '/control/status') as Promise<{ subscriptions: string[] }>,
    stop: () => new Promise<void>((resolve) => {
      process.removeListener('exit', orphan);
      agent.destroy();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

/** The embedded runtime; `onMsg` is swapped per receiver (one flow is deployed at a time). */
export class RedHost {
  onMsg: ProbeCallback = () => undefined;
  readonly red = new EmbeddedRed((msg, id) => this.onMsg(msg, id));
}

export interface Environment {
  sim: SimProcess;
  host: RedHost;
}

let shared: Promise<Environment> | undefined;

export function environment(): Promise<Environment> {
  shared ??= (async () => {
    const sim = await startSimProcess();
    const host = new RedHost();
    await host.red.start();
    return { sim, host };
  })();
  return shared;
}

export async function closeEnvironment(): Promise<void> {
  if (!shared) return;
  const { sim, host } = await shared;
  shared = undefined;
  await host.red.stop();
  await sim.stop();
}

/** Resolves once the simulator's open sockets hold every one of `topics`. */
export async function waitForSubscriptions(sim: SimProcess, topics: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const held = new Set((await sim.status()).subscriptions);
    const missing = topics.filter((t) => !held.has(t)).length;
    if (missing === 0) return;
    if (Date.now() > deadline) throw new Error(`simulator lacks ${missing} of ${topics.length} topics`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
