/**
 * Load mode: streams a fixed, seeded sequence of pre-encoded frames to the sockets that
 * subscribed to the given topics, at a set rate or as fast as the sockets drain. The data
 * comes from a private Market instance (same seed every run), so it never disturbs the
 * live model; the envelope timestamp is stamped at send time for latency measurements.
 */
import type { Dialect } from './dialect';
import { isOptionGroup } from './instruments';
import { Market, type FeedKey, type TickResult, type Trade } from './market';
import type { Session } from './session';

export type LoadPayload = 'trade' | 'ticker' | 'orderbook';

export interface LoadOptions {
  topic?: string;
  topics?: string[];
  /** frames per second per topic, or 'max' (limited only by socket back-pressure) */
  rate: number | 'max';
  /** wire frames per topic */
  frames: number;
  /** what to send; inferred from the topic when omitted, must match it when given */
  payload?: LoadPayload;
  /** trades per frame for trade payloads (default 1) */
  tradesPerFrame?: number;
}

export interface LoadResult {
  /** wire frames per topic */
  frames: number;
  /** frames written to sockets in total (frames x recipients, minus sockets that closed) */
  sent: number;
  recipients: number;
  durationMs: number;
  /** true when the simulator closed before the run finished */
  aborted: boolean;
}

/**
 * The timestamp placeholder: every number within ±99 of it in an encoded frame is a
 * time derived from "now" (ts, cts, T, sendTime...), restamped at send time.
 */
const SENTINEL = 9_111_111_111_500;
const SENTINEL_RE = new RegExp(`(?<!\\d)${String(SENTINEL).slice(0, -3)}[45]\\d\\d(?!\\d)`, 'g');
/** Stop writing to a socket above this many queued bytes until it has flushed. */
const HIGH_WATER = 1 << 20;
/** Yield to the event loop this often in 'max' mode so pings and closes are still handled. */
const YIELD_EVERY = 256;
/** Encoding yields too, so preparing a long run does not stall the server. */
const ENCODE_CHUNK = 2000;

interface Template {
  parts: string[];
  offsets: number[];
}

interface Group {
  dialect: Dialect;
  topic: string;
  recipients: Session[];
  frames: Template[];
}

export interface LoadHost {
  sessions(): Iterable<Session>;
  seed: number;
  closed(): boolean;
  /** After a run, restore live state for the topic's subscribers (e.g. a fresh book snapshot). */
  resume(dialect: Dialect, topic: string): void;
}

function toTemplate(frame: string): Template {
  const parts: string[] = [];
  const offsets: number[] = [];
  let last = 0;
  for (const m of frame.matchAll(SENTINEL_RE)) {
    parts.push(frame.slice(last, m.index));
    offsets.push(Number(m[0]) - SENTINEL);
    last = m.index! + m[0].length;
  }
  parts.push(frame.slice(last));
  return { parts, offsets };
}

function render(t: Template, ts: number): string {
  let out = t.parts[0];
  for (let i = 0; i < t.offsets.length; i++) out += ts + t.offsets[i] + t.parts[i + 1];
  return out;
}

function payloadOf(key: FeedKey): LoadPayload | undefined {
  const kind = key.split(':')[0];
  return kind === 'trade' ? 'trade' : kind === 'ticker' ? 'ticker' : kind === 'book' ? 'orderbook' : undefined;
}

export class LoadRunner {
  /** dialect name + topic -> number of runs that own it */
  private readonly owned = new Map<string, number>();
  private readonly sleepers = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();

  constructor(private readonly host: LoadHost) {}

  isPaused(dialect: Dialect, topic: string): boolean {
    return this.owned.has(`${dialect.name}\n${topic}`);
  }

  /** Wakes every waiting run so it can notice the simulator closed. */
  abortAll(): void {
    for (const s of this.sleepers) {
      clearTimeout(s.timer);
      s.wake();
    }
    this.sleepers.clear();
  }

  async run(opts: LoadOptions): Promise<LoadResult> {
    const topics = opts.topics ?? (opts.topic !== undefined ? [opts.topic] : []);
    if (topics.length === 0) throw new Error('load: give topic or topics');
    if (!Number.isInteger(opts.frames) || opts.frames < 1) throw new Error('load: frames must be a positive integer');
    if (opts.rate !== 'max' && !(typeof opts.rate === 'number' && opts.rate > 0)) throw new Error("load: rate must be > 0 or 'max'");
    const perFrame = opts.tradesPerFrame ?? 1;
    if (!Number.isInteger(perFrame) || perFrame < 1) throw new Error('load: tradesPerFrame must be a positive integer');

    const groups = this.groups(topics, opts.payload);
    const keys = groups.map((g) => `${g.dialect.name}\n${g.topic}`);
    for (const k of keys) this.owned.set(k, (this.owned.get(k) ?? 0) + 1);
    try {
      for (const g of groups) await this.encode(g, opts.frames, perFrame);
      return await this.stream(groups, opts);
    } finally {
      for (const k of keys) {
        const n = (this.owned.get(k) ?? 1) - 1;
        if (n > 0) this.owned.set(k, n);
        else this.owned.delete(k);
      }
      if (!this.host.closed()) for (const g of groups) if (!this.isPaused(g.dialect, g.topic)) this.host.resume(g.dialect, g.topic);
    }
  }

  /** Subscribers at the start of the run, grouped by dialect (one topic string can exist in two dialects). */
  private groups(topics: string[], payload: LoadPayload | undefined): Group[] {
    const groups = new Map<string, Group>();
    for (const s of this.host.sessions()) {
      if (!s.open) continue;
      for (const topic of topics) {
        if (!s.topics.has(topic)) continue;
        const key = s.dialect.feedOf?.(topic);
        const kind = key && payloadOf(key);
        if (!kind || !s.dialect.withMarket || !s.dialect.encodeTick) throw new Error(`load: ${topic} (${s.path}) is not a trade, ticker or order book topic`);
        if (payload && payload !== kind) throw new Error(`load: payload ${payload} does not match topic ${topic}`);
        const id = `${s.dialect.name}\n${topic}`;
        let g = groups.get(id);
        if (!g) groups.set(id, (g = { dialect: s.dialect, topic, recipients: [], frames: [] }));
        g.recipients.push(s);
      }
    }
    return [...groups.values()];
  }

  /** Pre-encodes exactly n wire frames for a group from a fresh, seeded market. */
  private async encode(g: Group, n: number, tradesPerFrame: number): Promise<void> {
    const market = new Market(this.host.seed);
    const dialect = g.dialect.withMarket!(market);
    const key = dialect.feedOf!(g.topic)!;
    const [, symbol, depth] = key.split(':');
    const push = (frames: string[]): void => {
      for (const f of frames) if (g.frames.length < n) g.frames.push(toTemplate(f));
    };
    const kind = payloadOf(key);
    if (kind === 'orderbook') {
      market.book(symbol, Number(depth));
      const snapshot = dialect.encodeBookSnapshot?.(g.topic, SENTINEL);
      if (snapshot) push([snapshot]);
    }
    const pool: Trade[] = [];
    while (g.frames.length < n) {
      if (kind === 'trade' && !isOptionGroup(symbol)) {
        while (pool.length < tradesPerFrame) pool.push(...market.symbol(symbol).advance(SENTINEL));
        const tick: TickResult = { now: SENTINEL, trades: new Map([[symbol, pool.splice(0, tradesPerFrame)]]), books: new Map(), klines: new Map() };
        push(dialect.encodeTick!(g.topic, tick));
      } else {
        push(dialect.encodeTick!(g.topic, market.advance([key], SENTINEL)));
      }
      if (g.frames.length % ENCODE_CHUNK === 0) await new Promise((r) => setImmediate(r));
    }
  }

  private async stream(groups: Group[], opts: LoadOptions): Promise<LoadResult> {
    const start = Date.now();
    const interval = opts.rate === 'max' ? 0 : 1000 / opts.rate;
    let sent = 0;
    for (let i = 0; i < opts.frames; i++) {
      if (this.host.closed()) return this.result(groups, opts.frames, sent, start, true);
      if (interval > 0) {
        const due = start + i * interval;
        const wait = due - Date.now();
        if (wait >= 1) await this.sleep(wait);
      } else if (i % YIELD_EVERY === YIELD_EVERY - 1) {
        await new Promise((r) => setImmediate(r));
      }
      for (const g of groups) {
        const template = g.frames[i];
        for (const s of g.recipients) {
          if (!s.open) continue;
          const text = render(template, Date.now());
          // Back-pressure: above the high-water mark, wait until this frame (and all before it) is flushed.
          const ok = s.ws.bufferedAmount > HIGH_WATER ? await s.sendFlushed(text) : s.send(text);
          if (ok) sent++;
        }
      }
    }
    return this.result(groups, opts.frames, sent, start, this.host.closed());
  }

  private result(groups: Group[], frames: number, sent: number, start: number, aborted: boolean): LoadResult {
    const recipients = groups.reduce((n, g) => n + g.recipients.length, 0);
    return { frames, sent, recipients, durationMs: Date.now() - start, aborted };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.sleepers.delete(entry);
          resolve();
        }, ms),
        wake: resolve,
      };
      this.sleepers.add(entry);
    });
  }
}
