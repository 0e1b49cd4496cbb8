/**
 * What takes a stream in a benchmark: a bare `ws` client (the baseline), the engine alone,
 * this package's node in the embedded Node-RED, or a flow of Node-RED's core nodes wired by
 * hand. Each counts messages and, when asked, records receive time - server time per message.
 */
import WebSocket from 'ws';
import { BybitClient } from '../../src/engine';
import type { TopicSpec } from '../../src/dialects';
import { waitForSubscriptions, type RedHost, type SimProcess } from './sim';

/** Wall-clock ms with sub-ms resolution, comparable with the server's Date.now() stamps. */
export const nowMs = (): number => performance.timeOrigin + performance.now();

export interface Receiver {
  count: number;
  /** When the first message after the last reset arrived. */
  firstAt: number;
  latencies: number[];
  recordLatency: boolean;
  /** One message; `time` is its server timestamp (NaN when it carries none). */
  hit(time: number): void;
  /** Resolves when `count` reaches n. */
  until(n: number): Promise<void>;
  close(): Promise<void>;
}

export function counter(close: () => Promise<void> = () => Promise.resolve()): Receiver {
  let target = Infinity;
  let wake: (() => void) | undefined;
  const r: Receiver = {
    count: 0,
    firstAt: 0,
    latencies: [],
    recordLatency: false,
    hit(time: number) {
      if (r.firstAt === 0) r.firstAt = nowMs();
      r.count++;
      if (r.recordLatency) r.latencies.push(nowMs() - time);
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
    close,
  };
  return r;
}

/** Subscribe requests of at most 10 topics, as V5 allows. */
function subscribeRequests(topics: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < topics.length; i += 10) out.push(JSON.stringify({ op: 'subscribe', req_id: String(i), args: topics.slice(i, i + 10) }));
  return out;
}

/**
 * The baseline: a bare `ws` client that parses each frame and counts what it carries.
 * `times` gives a frame's message timestamps (one per trade, one per ticker or book frame).
 */
export async function baselineReceiver(sim: SimProcess, topics: string[], times: (frame: { ts: number; data: unknown }) => number[]): Promise<Receiver> {
  const ws = new WebSocket(sim.wsUrl('/v5/public/spot'));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const r = counter(() => new Promise<void>((resolve) => (ws.once('close', () => resolve()), ws.close())));
  const wanted = new Set(topics);
  let acks = 0;
  let acked!: () => void;
  const allAcked = new Promise<void>((resolve) => (acked = resolve));
  const requests = subscribeRequests(topics);
  ws.on('message', (data) => {
    const f = JSON.parse(data.toString());
    if (wanted.has(f.topic)) for (const t of times(f)) r.hit(t);
    else if (f.op === 'subscribe' && ++acks === requests.length) acked();
  });
  for (const req of requests) ws.send(req);
  await allAcked;
  return r;
}

/** The engine alone: socket → dialect → normalized items or the local book → this listener. */
export async function engineReceiver(sim: SimProcess, spec: TopicSpec): Promise<Receiver> {
  const client = new BybitClient({ network: 'custom', publicUrl: sim.wsUrl('/v5/public/spot') });
  const r = counter(() => client.close());
  const sub = client.subscriber({
    items: (_spec, items) => {
      for (const item of items) r.hit((item.payload as { time: number }).time);
    },
    // What the orderbook node does with a changed book: render its top levels.
    book: (_spec, book) => r.hit(book.view(spec.depth ?? 50).time ?? 0),
  });
  await sub.add(spec);
  return r;
}

/**
 * Deploys `nodes` (wired to the probe) in the embedded Node-RED and counts what reaches the
 * probe: `time` reads a msg's server timestamp, NaN when it has none, undefined when the msg
 * is not data (a subscribe reply passed along by a hand-wired flow).
 */
export async function flowReceiver(
  host: RedHost,
  sim: SimProcess,
  nodes: Record<string, unknown>[],
  topics: string[],
  time: (msg: { payload?: unknown }) => number | undefined,
  resubscribe?: () => void,
): Promise<Receiver> {
  const r = counter(() => host.red.undeploy());
  host.onMsg = () => undefined;
  await host.red.deployFlow(nodes);
  // A hand-wired flow subscribes from an inject that may fire before its socket is open (the
  // websocket out node then drops it): fire it again until the server holds the topics.
  const retry = resubscribe && setInterval(() => {
    try {
      resubscribe();
    } catch {
      // not started yet: the next tick tries again
    }
  }, 1000);
  try {
    await waitForSubscriptions(sim, topics);
  } finally {
    clearInterval(retry);
  }
  host.onMsg = (msg) => {
    const t = time(msg);
    if (t !== undefined) r.hit(t);
  };
  return r;
}
