/**
 * The simulator core: one HTTP server on one port carries every dialect's WebSocket path
 * (and the control routes). It owns sockets, the tick timer, request recording, events and
 * the fault hooks; dialects do the wire work.
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { randomBytes, randomUUID } from 'node:crypto';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
  Accounts, type AccountEvent, type BalanceInput, type Fill, type LifecycleInput, type OrderInput, type PositionInput, type PositionView,
} from './account';
import type { Credential } from './auth';
import { handleControlRequest } from './control-http';
import { DEFAULT_WIRE, type Dialect, type DialectContext, type WireOptions } from './dialect';
import { instrumentId, instrumentSpec, type Category } from './instruments';
import { marketLink } from './market-link';
import { Faults, malformedFrame, type MalformedKind } from './faults';
import { LoadRunner, type LoadOptions, type LoadResult } from './load';
import { Market, type FeedKey, type Liquidation, type TickResult, type Trade } from './market';
import { Session } from './session';
import { createRoutes } from './routes';
import { TradeDesk } from './trade-desk';
import { V5PublicDialect } from './v5-public';
import type { KlineInterval } from './kline';

export interface SimulatorOptions {
  /** 0 = ephemeral (default) */
  port?: number;
  /** default 127.0.0.1: loopback unless told otherwise */
  host?: string;
  /** market data seed (default 1) */
  seed?: number;
  /** market data cadence in ms (default 100); 0 = no timer, only step() */
  tickMs?: number;
  /**
   * accepted API keys for private paths; when omitted one demo pair is accepted,
   * DEFAULT_CREDENTIALS (an explicit empty list accepts none)
   */
  credentials?: { key: string; secret: string }[];
  log?: (line: string) => void;
  /** the server clock runs this far ahead of the machine's (negative: behind); pongs and auth use it */
  clockOffsetMs?: number;
  /** wire choices where the documents leave room or older clients need the old shape (dialect.ts WireOptions) */
  wire?: Partial<WireOptions>;
  /** every order book's `u` moves on by 1..3 at random instead of 1 */
  bookUSkips?: boolean;
}

export interface TradeInjection {
  /** default spot */
  category?: Category;
  symbol: string;
  side?: 'Buy' | 'Sell';
  /** exact wire strings (default: the last price, one whole unit) */
  price?: string;
  qty?: string;
  blockTrade?: boolean;
}

export interface LiquidationInjection {
  /** default linear */
  category?: Category;
  symbol: string;
  /** the liquidated position's side (Buy = a long) */
  side?: 'Buy' | 'Sell';
  price?: string | number;
  qty?: string | number;
}

export interface RecordedRequest {
  connId: string;
  path: string;
  time: number;
  raw: string;
  /** parsed JSON, or undefined when the frame was not JSON */
  frame: unknown;
  op?: string;
  args?: unknown[];
}

export interface ConnectionEvent {
  connId: string;
  path: string;
}

export interface SubscriptionEvent extends ConnectionEvent {
  topics: string[];
}

export interface SimulatorEvents {
  request: RecordedRequest;
  connection: ConnectionEvent;
  disconnect: ConnectionEvent;
  subscribe: SubscriptionEvent;
  unsubscribe: SubscriptionEvent;
}

export interface DropOptions {
  mode?: 'close' | 'terminate';
  /** close code sent with mode 'close' (default 1001, "going away") */
  code?: number;
  reason?: string;
  /** only the sockets on this path (default: all) */
  path?: string;
}

/** Codes a server may put on the wire (RFC 6455 7.4; 1005/1006/1015 are never sent). */
export function isSendableCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1014 && ![1004, 1005, 1006].includes(code)) || (code >= 3000 && code <= 4999);
}

/** Accepted when no credentials are configured, so offline flows can use private nodes. */
export const DEFAULT_CREDENTIALS: readonly Credential[] = [{ key: 'sim-api-key', secret: 'sim-api-secret' }];

/** Bounded so a long-running CLI does not grow without limit: by count and by bytes of text. */
const MAX_RECORDED = 100_000;
const MAX_RECORDED_BYTES = 32 * 1024 * 1024;

/** Largest client frame accepted (ws closes with 1009 above it); Bybit's own requests are tiny. */
export const MAX_CLIENT_FRAME_BYTES = 1024 * 1024;

export class Simulator extends EventEmitter {
  port = 0;
  readonly host: string;
  readonly tickMs: number;
  readonly market: Market;
  readonly faults = new Faults();
  readonly requests: RecordedRequest[] = [];
  readonly credentials: readonly Credential[];
  readonly accounts: Accounts;
  /** the V5 Trade API's orders and positions per API key (`/v5/trade`) */
  readonly trade: TradeDesk;
  readonly wire: WireOptions;
  /** ms the simulated server clock runs ahead of Date.now() */
  clockOffsetMs: number;

  private readonly sessions = new Map<string, Session>();
  private readonly routes: Map<string, Dialect>;
  private readonly ctx: DialectContext;
  private readonly http: http.Server;
  private readonly wss: WebSocketServer;
  private readonly attempts = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly waiters = new Set<(err: Error) => void>();
  private readonly load: LoadRunner;
  private tickTimer: NodeJS.Timeout | undefined;
  private connCounter = 0;
  private recordedBytes = 0;
  private closed = false;
  private readonly logLine: (line: string) => void;

  constructor(opts: SimulatorOptions = {}) {
    super();
    this.host = opts.host ?? '127.0.0.1';
    this.port = opts.port ?? 0;
    this.tickMs = opts.tickMs ?? 100;
    this.logLine = opts.log ?? (() => undefined);
    this.market = new Market(opts.seed ?? 1);
    if (opts.bookUSkips) this.market.setUSkips(true);
    this.wire = { ...DEFAULT_WIRE, ...opts.wire };
    this.clockOffsetMs = opts.clockOffsetMs ?? 0;
    this.credentials = (opts.credentials ?? DEFAULT_CREDENTIALS).map((c) => ({ key: c.key, secret: c.secret }));
    this.accounts = new Accounts(this.credentials, (ev) => this.onAccountEvent(ev), marketLink(this.market), () => this.now());
    this.ctx = {
      market: this.market,
      faults: this.faults,
      wire: this.wire,
      accounts: this.accounts,
      credentials: this.credentials,
      now: () => this.now(),
      subscribed: (s, topics) => this.emit('subscribe', { connId: s.connId, path: s.path, topics }),
      unsubscribed: (s, topics) => this.emit('unsubscribe', { connId: s.connId, path: s.path, topics }),
      log: (line) => this.logLine(line),
    };
    this.trade = new TradeDesk({
      market: this.market,
      accounts: this.accounts,
      now: () => Date.now(),
      privateSessions: (key) => [...this.sessions.values()].filter((s) => s.open && s.authKey === key && s.dialect.name === 'v5-private'),
    });
    this.routes = createRoutes(this.ctx, this.trade);

    this.load = new LoadRunner({
      sessions: () => this.sessions.values(),
      seed: opts.seed ?? 1,
      closed: () => this.closed,
      resume: (dialect, topic) => this.resumeAfterLoad(dialect, topic),
    });
    this.http = http.createServer((req, res) => handleControlRequest(this, req, res));
    // Protocol-level pongs are answered by hand so a "dead" server can stay silent.
    this.wss = new WebSocketServer({ noServer: true, autoPong: false, clientTracking: false, maxPayload: MAX_CLIENT_FRAME_BYTES });
    this.http.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
  }

  /** Binds and starts the market timer; resolves once the port is known. */
  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.http.once('error', onError);
      this.http.listen(this.port, this.host, () => {
        this.http.off('error', onError);
        resolve();
      });
    });
    this.port = (this.http.address() as AddressInfo).port;
    if (this.tickMs > 0) this.tickTimer = setInterval(() => this.safeStep(), this.tickMs);
  }

  /** Paths this simulator serves, for the CLI banner and docs. */
  paths(): string[] {
    return [...this.routes.keys()];
  }

  url(path: string): string {
    const host = this.host === '0.0.0.0' || this.host === '::' ? '127.0.0.1' : this.host.includes(':') ? `[${this.host}]` : this.host;
    return `ws://${host}:${this.port}${path}`;
  }

  clientCount(path?: string): number {
    let n = 0;
    for (const s of this.sessions.values()) if (s.open && (path === undefined || s.path === path)) n++;
    return n;
  }

  /** Upgrade attempts seen, refused ones included. */
  connectionAttempts(path?: string): number {
    if (path !== undefined) return this.attempts.get(path) ?? 0;
    let n = 0;
    for (const v of this.attempts.values()) n += v;
    return n;
  }

  /** Topics held by open sockets (duplicates kept: two sockets, two entries), sorted. */
  subscriptions(path?: string): string[] {
    const out: string[] = [];
    for (const s of this.sessions.values()) {
      if (s.open && (path === undefined || s.path === path)) out.push(...s.topics);
    }
    return out.sort();
  }

  /** Open sockets with what they hold; bufferedAmount shows back-pressure (bytes not yet flushed). */
  clients(path?: string): { connId: string; path: string; topics: string[]; authenticated: boolean; bufferedAmount: number }[] {
    return [...this.sessions.values()]
      .filter((s) => s.open && (path === undefined || s.path === path))
      .map((s) => ({ connId: s.connId, path: s.path, topics: [...s.topics], authenticated: s.authKey !== undefined, bufferedAmount: s.ws.bufferedAmount }));
  }

  /** Resolves on the next matching event; rejects after timeoutMs (or when the simulator closes). */
  waitFor<K extends keyof SimulatorEvents>(event: K, predicate?: (arg: SimulatorEvents[K]) => boolean, timeoutMs?: number): Promise<SimulatorEvents[K]>;
  waitFor(event: string, predicate?: (arg: any) => boolean, timeoutMs?: number): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  waitFor(event: string, predicate?: (arg: unknown) => boolean, timeoutMs = 5000): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.off(event, listener);
        this.waiters.delete(fail);
      };
      const fail = (err: Error): void => {
        finish();
        reject(err);
      };
      const listener = (arg: unknown): void => {
        let ok: boolean;
        try {
          ok = predicate ? predicate(arg) : true;
        } catch (err) {
          fail(err as Error);
          return;
        }
        if (ok) {
          finish();
          resolve(arg);
        }
      };
      const timer = setTimeout(
        () => fail(new Error(`simulator: no matching '${event}' event within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.add(fail);
      this.on(event, listener);
    });
  }

  /** One round of market data for every subscribed topic, sent synchronously. */
  step(): void {
    const feeds = new Set<FeedKey>();
    for (const s of this.sessions.values()) {
      if (!s.open || !s.dialect.feedOf) continue;
      for (const topic of s.topics) {
        const f = s.dialect.feedOf(topic);
        if (f !== undefined && !this.isPaused(s.dialect, topic)) feeds.add(f);
      }
    }
    const tick = this.market.advance(feeds, this.now());
    this.publish(tick, () => true);
  }

  /** The simulator's server clock (machine clock plus clockOffsetMs). */
  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** The simulator's authoritative book (what a correct client should hold), best first. */
  book(symbol: string, depth: number, category: Category = 'spot'): { bids: [string, string][]; asks: [string, string][]; u: number } {
    const book = this.market.findBook(instrumentId(category, symbol), depth);
    return book ? book.view() : { bids: [], asks: [], u: 0 };
  }

  /** The next delta of that book skips one `u` (`category` picks the V5 endpoint; default: the first dialect that knows the topic). */
  injectBookGap(topic: string, category?: Category): void {
    this.bookFor(topic, category).book.injectGap();
  }

  /** From now on that book's `u` moves on by 1..3 at random (or by 1 again); without a topic: every book. */
  setBookUSkips(enabled: boolean, topic?: string, category?: Category): void {
    if (topic === undefined) this.market.setUSkips(enabled);
    else this.bookFor(topic, category).book.skipU = enabled;
  }

  /** Rebuilds the book and sends its subscribers a snapshot with u = 1, as after a server restart. */
  restartBook(topic: string, category?: Category): void {
    const { book, key } = this.bookFor(topic, category);
    book.regenerate(this.market.symbol(book.symbol).mid);
    book.u = 1;
    this.forSubscribers(key, (s, t) => {
      const frame = s.dialect.encodeBookSnapshot?.(t, this.now());
      if (frame) s.send(frame);
    });
  }

  /** Sends a delta that would cross the book (best bid >= best ask); the simulator's own book is unchanged. */
  sendCrossedDelta(topic: string, category?: Category): void {
    const { book, key } = this.bookFor(topic, category);
    const delta = book.crossedDelta();
    this.forSubscribers(key, (s, t) => {
      const frame = s.dialect.encodeBookDelta?.(t, delta, this.now());
      if (frame) s.send(frame);
    });
  }

  /** Sends the current candle with confirm: true and starts the next one. */
  closeCandle(topic: string, category?: Category): void {
    const key = this.feedOfAny(topic, category);
    const [kind, symbol, interval] = key?.split(':') ?? [];
    if (kind !== 'kline') throw new Error(`simulator: not a kline topic: ${topic}`);
    const series = this.market.kline(symbol, interval as KlineInterval);
    const closed = series.forceClose();
    const now = this.now();
    const tick: TickResult = { now, trades: new Map(), books: new Map(), klines: new Map([[key!, { closed, current: series.current }]]) };
    this.forSubscribers(key!, (s, t) => {
      for (const frame of s.dialect.encodeTick?.(t, tick) ?? []) s.send(frame);
    });
  }

  // ---- private account control -------------------------------------------------------
  // Each call pushes the matching frames to the authenticated sockets of that API key
  // (default: the first configured key), in whatever dialect each socket speaks.

  /** Sets a coin balance and pushes a wallet / outboundAccountInfo update. */
  injectBalance(input: BalanceInput): void {
    this.accounts.injectBalance(input);
  }

  /** Creates a New order (pushed as an order update); returns its orderId. */
  placeOrder(input: OrderInput): string {
    return this.accounts.placeOrder(input);
  }

  /** Fills qty (default: the rest): pushes an execution, then the order as PartiallyFilled/Filled. */
  fillOrder(orderId: string, qty?: string | number): Fill {
    return this.accounts.fillOrder(orderId, qty);
  }

  /** Cancels the rest of an order: Cancelled, or PartiallyFilledCanceled after a partial fill. */
  cancelOrder(orderId: string): void {
    this.accounts.cancelOrder(orderId);
  }

  /** New, then (fills - 1) PartiallyFilled, then Filled, synchronously; returns the orderId. */
  orderLifecycle(input: LifecycleInput): string {
    return this.accounts.orderLifecycle(input);
  }

  /** Triggers a conditional order: Triggered, New (V5) / stop order filled (v3/v1); `fail`: Rejected / ORDER_FAILED. */
  triggerOrder(orderId: string, opts: { fail?: boolean; rejectReason?: string } = {}): void {
    this.accounts.triggerOrder(orderId, opts);
  }

  /** Opens, changes or (size 0) closes a derivative position and pushes it on `position`. */
  setPosition(input: PositionInput): PositionView {
    return this.accounts.setPosition(input);
  }

  // ---- market data control (V5 categories) -------------------------------------------------

  /** The whole ticker a client that merged every `tickers.<symbol>` message of that category holds. */
  ticker(category: Category, symbol: string): Record<string, string> {
    return this.publicDialect(category).currentTicker(symbol);
  }

  /** The next n ticker subscriptions (any category) get no initial snapshot, so deltas come first. */
  skipTickerSnapshots(n: number): void {
    this.faults.skipTickerSnapshots(n);
  }

  /**
   * Pushes one trade to the V5 subscribers of its trade topic (option: `publicTrade.<base coin>`),
   * with exactly the price and qty strings given (e.g. a long decimal) and BT as asked. Wire only:
   * the market model is not changed. Returns the number of sockets that got it.
   */
  injectTrade(input: TradeInjection): number {
    const category = input.category ?? 'spot';
    const spec = instrumentSpec(category, input.symbol);
    if (!spec) throw new Error(`invalid ${category} symbol ${JSON.stringify(input.symbol)}`);
    const sym = this.market.instrument(category, input.symbol);
    const now = this.now();
    const trade: Trade = {
      id: randomUUID(), time: now, symbol: input.symbol, instrument: spec.id, side: input.side ?? 'Buy', price: sym.last, qty: 0,
      quote: 0, seq: sym.nextSeq(), tick: sym.tickDirection, blockTrade: input.blockTrade ?? false,
      text: { price: input.price ?? sym.price(sym.last), qty: input.qty ?? sym.qty(10 ** sym.info.qtyDecimals) },
    };
    const topic = `publicTrade.${category === 'option' ? spec.baseCoin : input.symbol}`;
    const frame = this.publicDialect(category).encodeTrades(topic, [trade], now);
    return frame ? this.sendToTopic(`/v5/public/${category}`, topic, frame) : 0;
  }

  /** Pushes one liquidation on `allLiquidation.<symbol>` (linear or inverse); returns how many sockets got it. */
  injectLiquidation(input: LiquidationInjection): number {
    const category = input.category ?? 'linear';
    if (category !== 'linear' && category !== 'inverse') throw new Error('liquidations are linear or inverse');
    if (!instrumentSpec(category, input.symbol)) throw new Error(`invalid ${category} symbol ${JSON.stringify(input.symbol)}`);
    const sym = this.market.instrument(category, input.symbol);
    const now = this.now();
    const liq: Liquidation = {
      time: now, side: input.side ?? 'Buy', price: input.price !== undefined ? sym.toPriceUnits(Number(input.price)) : sym.mid,
      qty: input.qty !== undefined ? Math.round(Number(input.qty) * 10 ** sym.info.qtyDecimals) : 10 ** sym.info.qtyDecimals,
    };
    if (!Number.isFinite(liq.price) || !Number.isFinite(liq.qty) || liq.price <= 0 || liq.qty <= 0) throw new Error('price and qty must be positive numbers');
    const topic = `allLiquidation.${input.symbol}`;
    const frame = this.publicDialect(category).encodeLiquidations(topic, [liq], now);
    return frame ? this.sendToTopic(`/v5/public/${category}`, topic, frame) : 0;
  }

  /** Moves the simulated server clock (pongs, auth expiry, data timestamps) ahead of the machine's by ms. */
  setClockOffset(ms: number): void {
    if (!Number.isFinite(ms)) throw new Error('clock offset must be a number of ms');
    this.clockOffsetMs = ms;
  }

  /** Changes wire choices at run time (see WireOptions). */
  setWire(options: Partial<WireOptions>): void {
    Object.assign(this.wire, options);
  }

  private publicDialect(category: Category): V5PublicDialect {
    const d = this.routes.get(`/v5/public/${category}`);
    if (!(d instanceof V5PublicDialect)) throw new Error(`simulator: no V5 public endpoint for ${JSON.stringify(category)}`);
    return d;
  }

  private sendToTopic(path: string, topic: string, frame: string): number {
    let n = 0;
    for (const s of this.sessions.values()) if (s.path === path && s.topics.has(topic) && s.send(frame)) n++;
    return n;
  }

  // ---- fault hooks -------------------------------------------------------------------

  /** Closes (with a code) or terminates every socket (on one path). */
  dropAll(opts: DropOptions = {}): void {
    const mode = opts.mode ?? 'close';
    const code = opts.code ?? 1001;
    if (mode === 'close' && !isSendableCloseCode(code)) {
      throw new Error(`simulator: close code ${code} cannot be sent on the wire; use mode 'terminate' for an abnormal close`);
    }
    for (const s of this.sessions.values()) {
      if (opts.path !== undefined && s.path !== opts.path) continue;
      if (mode === 'terminate') s.ws.terminate();
      else s.ws.close(code, opts.reason ?? '');
    }
  }

  /** false: ignore pings (app and protocol level) and send no data, the socket stays open. */
  setPingReplies(enabled: boolean): void {
    this.faults.silent = !enabled;
  }

  /** The next n subscribe requests (that carry `topic`, when given) fail as a whole with success:false and retMsg. */
  rejectNext(n: number, retMsg?: string, topic?: string): void {
    this.faults.rejectNext(n, retMsg, topic);
  }

  /** Upgrades are answered with HTTP 503 for ms (attempts are still counted). */
  refuseConnections(ms: number): void {
    this.faults.refuseFor(ms);
  }

  /** Incoming frames are handled ms later (replies arrive late; order is kept). */
  delayReplies(ms: number): void {
    this.faults.delayMs = Math.max(0, ms);
  }

  /** While enabled every auth attempt fails (retMsg, or the dialect's usual failure reply). */
  setAuthRejection(enabled: boolean, retMsg?: string): void {
    this.faults.setAuthRejection(enabled, retMsg);
  }

  /** Sends data as-is to every open socket (on one path), even while silent. Returns how many got it. */
  sendRaw(data: string | Buffer, path?: string): number {
    let n = 0;
    for (const s of this.sessions.values()) {
      if ((path === undefined || s.path === path) && s.send(data, { force: true, binary: typeof data !== 'string' })) n++;
    }
    return n;
  }

  /**
   * Sends one malformed frame to every open socket (on one path): 'invalid-json',
   * 'unknown-shape' (valid JSON, no known fields), 'binary', or 'oversized' (bytes, default 2 MiB).
   * Returns how many sockets got it.
   */
  sendMalformed(kind: MalformedKind, opts: { path?: string; bytes?: number } = {}): number {
    const data = malformedFrame(kind, Date.now(), opts.bytes);
    return this.sendRaw(data, opts.path);
  }

  // ---- load mode ---------------------------------------------------------------------

  /**
   * Streams `frames` pre-encoded frames per topic (seeded, identical every run) to the sockets
   * subscribed to it when the run starts, at `rate` frames/s or 'max'; envelope timestamps are
   * stamped at send time. Regular ticks skip those topics meanwhile. Resolves when all are sent.
   */
  startLoad(opts: LoadOptions): Promise<LoadResult> {
    return this.load.run(opts);
  }

  /** Terminates every socket, clears every timer, closes the server. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.tickTimer) clearInterval(this.tickTimer);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const fail of [...this.waiters]) fail(new Error('simulator closed'));
    this.load.abortAll();
    for (const s of this.sessions.values()) s.ws.terminate();
    this.wss.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  // ---- internals --------------------------------------------------------------------

  /** Topics a load run currently owns are skipped by the regular ticks (see load mode). */
  private isPaused(dialect: Dialect, topic: string): boolean {
    return this.load.isPaused(dialect, topic);
  }

  /** Books streamed by a load run diverged from the live book: subscribers get a fresh snapshot. */
  private resumeAfterLoad(dialect: Dialect, topic: string): void {
    if (!dialect.encodeBookSnapshot) return;
    for (const s of this.sessions.values()) {
      if (s.open && s.dialect === dialect && s.topics.has(topic)) {
        const frame = dialect.encodeBookSnapshot(topic, this.now());
        if (frame) s.send(frame);
      }
    }
  }

  private onAccountEvent(ev: AccountEvent): void {
    for (const s of this.sessions.values()) {
      if (s.open && s.authKey === ev.key) s.dialect.onAccountEvent?.(s, ev);
    }
  }

  /** setTimeout that close() clears. */
  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  /** Sends this tick's frames; each (dialect, topic) is encoded once and shared by its subscribers. */
  private publish(tick: TickResult, include: (s: Session, topic: string) => boolean): void {
    const cache = new Map<string, string[]>();
    for (const s of this.sessions.values()) {
      if (!s.open || !s.dialect.encodeTick) continue;
      for (const topic of s.topics) {
        if (this.isPaused(s.dialect, topic) || !include(s, topic)) continue;
        const key = `${s.dialect.name}\n${topic}`;
        let frames = cache.get(key);
        if (!frames) {
          frames = s.dialect.encodeTick(topic, tick);
          cache.set(key, frames);
        }
        for (const f of frames) s.send(f);
      }
    }
  }

  /** The feed behind a topic in whichever dialect understands it (V5 first), or in one category's V5 dialect. */
  private feedOfAny(topic: string, category?: Category): FeedKey | undefined {
    if (category !== undefined) return this.routes.get(`/v5/public/${category}`)?.feedOf?.(topic);
    for (const d of new Set(this.routes.values())) {
      const f = d.feedOf?.(topic);
      if (f !== undefined) return f;
    }
    return undefined;
  }

  private forSubscribers(key: FeedKey, fn: (s: Session, topic: string) => void): void {
    for (const s of this.sessions.values()) {
      if (!s.open) continue;
      for (const topic of s.topics) if (s.dialect.feedOf?.(topic) === key) fn(s, topic);
    }
  }

  private bookFor(topic: string, category?: Category): { book: ReturnType<Market['book']>; key: FeedKey } {
    const key = this.feedOfAny(topic, category);
    const [kind, symbol, depth] = key?.split(':') ?? [];
    if (kind !== 'book') throw new Error(`simulator: not an order book topic: ${topic}`);
    return { book: this.market.book(symbol, Number(depth)), key: key! };
  }

  private safeStep(): void {
    try {
      this.step();
    } catch (err) {
      this.logLine(`tick failed: ${(err as Error).stack ?? err}`);
    }
  }

  private onUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined);
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    this.attempts.set(path, (this.attempts.get(path) ?? 0) + 1);
    if (this.closed) return void socket.destroy();
    const dialect = this.routes.get(path);
    if (!dialect) return rejectUpgrade(socket, 404, 'Not Found');
    if (this.faults.refusing()) return rejectUpgrade(socket, 503, 'Service Unavailable');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, path, dialect));
  }

  private onConnection(ws: WebSocket, path: string, dialect: Dialect): void {
    if (this.closed) return void ws.terminate();
    const connId = `${randomBytes(6).toString('hex')}-${++this.connCounter}`;
    const session = new Session(connId, path, ws, dialect, this.faults);
    this.sessions.set(connId, session);
    ws.on('message', (data) => this.onMessage(session, data));
    ws.on('ping', (data) => {
      if (!this.faults.silent && session.open) ws.pong(data);
    });
    ws.on('error', (err) => this.logLine(`${connId} socket error: ${err.message}`));
    ws.on('close', () => {
      this.sessions.delete(connId);
      this.logLine(`${connId} closed (${path})`);
      this.emit('disconnect', { connId, path });
    });
    this.logLine(`${connId} connected (${path})`);
    dialect.onOpen?.(session);
    this.emit('connection', { connId, path });
  }

  /** Keeps the newest requests; trims to 3/4 of a cap at once so trimming stays rare under load. */
  private record(record: RecordedRequest): void {
    this.requests.push(record);
    this.recordedBytes += record.raw.length;
    if (this.requests.length <= MAX_RECORDED && this.recordedBytes <= MAX_RECORDED_BYTES) return;
    let drop = 0;
    while (drop < this.requests.length - 1 && (this.requests.length - drop > (MAX_RECORDED * 3) / 4 || this.recordedBytes > (MAX_RECORDED_BYTES * 3) / 4)) {
      this.recordedBytes -= this.requests[drop++].raw.length;
    }
    this.requests.splice(0, drop);
  }

  /** Binary frames are decoded as UTF-8 text too: Bybit servers treat them alike. */
  private onMessage(session: Session, data: RawData): void {
    const raw = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as Buffer).toString('utf8');
    let frame: unknown;
    let decodeError: string | undefined;
    try {
      frame = JSON.parse(raw);
    } catch (err) {
      decodeError = (err as Error).message;
    }
    const record: RecordedRequest = { connId: session.connId, path: session.path, time: Date.now(), raw, frame };
    if (frame !== null && typeof frame === 'object' && !Array.isArray(frame)) {
      const f = frame as Record<string, unknown>;
      // op-style frames (V5, v3) carry op/args; spot v1 frames carry event/ping instead.
      const op = typeof f.op === 'string' ? f.op : typeof f.event === 'string' ? f.event : 'ping' in f ? 'ping' : undefined;
      if (op !== undefined) record.op = op;
      if (Array.isArray(f.args)) record.args = f.args;
    }
    this.record(record);
    this.emit('request', record);

    const handle = (): void => {
      if (!session.open) return;
      try {
        session.dialect.onFrame(session, raw, frame, decodeError);
      } catch (err) {
        this.logLine(`${session.connId} handler failed: ${(err as Error).stack ?? err}`);
      }
    };
    if (this.faults.delayMs > 0) this.later(this.faults.delayMs, handle);
    else handle();
  }
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  const body = `${text}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
