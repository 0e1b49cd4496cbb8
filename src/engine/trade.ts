/**
 * The order socket (`/v5/trade`, docs/v5/websocket/trade/guideline.mdx): its own auth (the
 * stream signature), heartbeat and reconnect; one reply per request, matched by `reqId`.
 * An order request is sent at most once: a drop or a silence fails the requests in flight
 * ("unknown: check the order stream"), never sends them again. Requests not sent yet wait
 * for the socket and for Bybit's per-op rate limit (trade-rate.ts), up to the reply timeout.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { decodeTrade, encodeTradeAuth, encodeTradeRequest, TRADE_PING, type TradeOp, type TradeReply } from '../dialects/v5-trade';
import { checkEndpointUrl, redact, signAuth, type Credentials } from './auth';
import { Backoff } from './backoff';
import type { ConnectionState, ConnectionStateEvent } from './connection';
import { EngineError } from './errors';
import { Heartbeat } from './heartbeat';
import { SOCKET_LIMITS, type ResolvedTimings } from './options';
import { proxyAgentFor } from './proxy';
import { DEFAULT_LIMITS } from './limits';
import { RequestTracker } from './requests';
import { rateBucket, TradeRateLimiter, type RateSlot } from './trade-rate';
import { TypedEmitter } from './typed-emitter';

/** Longest wait for a reply Bybit's order entry allows here (DESIGN "Order entry"). */
export const MAX_ORDER_TIMEOUT_MS = 30_000;
/** guideline.mdx: X-BAPI-RECV-WINDOW defaults to 5000 ms. */
const RECV_WINDOW_MS = 5000;

export type TradeEvents = {
  state: [event: ConnectionStateEvent];
  'auth-failed': [error: EngineError];
  malformed: [reason: string, count: number];
  dead: [why: string];
};

export interface TradeOptions {
  url: string | undefined;
  credentials?: Credentials;
  timings: ResolvedTimings;
  backoff?: Backoff;
  /** No reply this long after sending (or not sent this long after asking): the request fails. */
  replyTimeoutMs: number;
}

interface Job {
  reqId: string;
  op: TradeOp;
  args: Record<string, unknown>;
  bucket: string;
  slot?: RateSlot;
  timer?: NodeJS.Timeout;
  resolve(reply: TradeReply): void;
  reject(err: EngineError): void;
}

export class TradeConnection extends TypedEmitter<TradeEvents> {
  private readonly backoff: Backoff;
  private readonly limiter = new TradeRateLimiter();
  private readonly inFlight: RequestTracker<{ op: string; reqId: string; keys: string[]; job: Job }>;
  private readonly heartbeat: Heartbeat;
  private queue: Job[] = [];
  private socket?: WebSocket;
  private ready = false;
  private stopped = false;
  private authTimer?: NodeJS.Timeout;
  private reconnectTimer?: NodeJS.Timeout;
  private pumpTimer?: NodeJS.Timeout;
  private healthyTimer?: NodeJS.Timeout;
  private lastEvent?: ConnectionStateEvent;
  private lastAuthFailure?: string;
  private connects = 0;
  private malformedCount = 0;
  /** Order requests written to the socket: tests check that none is sent twice. */
  readonly stats = { sent: 0 };

  constructor(private readonly opts: TradeOptions) {
    super();
    this.backoff = opts.backoff ?? new Backoff();
    const timeout = Math.min(opts.replyTimeoutMs, MAX_ORDER_TIMEOUT_MS);
    this.inFlight = new RequestTracker(timeout, (req) => {
      req.job.reject(new EngineError('timeout', `no reply within ${timeout} ms: unknown, check the order stream`));
      this.answered(req.job);
      return false;
    });
    this.heartbeat = new Heartbeat(opts.timings, () => this.write(TRADE_PING), (why) => this.onDead(why));
  }

  get lastStateEvent(): ConnectionStateEvent | undefined {
    return this.lastEvent;
  }

  /** Why no order can go out on this socket at all (bad URL, no keys), or undefined. */
  problem(): EngineError | undefined {
    const bad = checkEndpointUrl(this.opts.url, true);
    if (bad) return bad;
    if (!this.opts.credentials) return new EngineError('no-credentials', 'set an API key and secret on the connection');
    return undefined;
  }

  /** Opens the socket ahead of the first order, so that order does not wait for the handshake. */
  open(): void {
    if (!this.problem()) this.start();
  }

  /** Sends one order request once; resolves with Bybit's reply whatever its retCode. */
  request(op: TradeOp, args: Record<string, unknown>): Promise<TradeReply> {
    if (this.stopped) return Promise.reject(new EngineError('closed', 'connection closed'));
    const problem = this.problem();
    if (problem) return Promise.reject(problem);
    if (this.lastEvent?.state === 'auth-failed') return Promise.reject(new EngineError('auth-failed', this.lastAuthFailure ?? 'rejected'));
    return new Promise<TradeReply>((resolve, reject) => {
      const job: Job = { reqId: randomUUID(), op, args, bucket: rateBucket(op, args.category), resolve, reject };
      const wait = Math.min(this.opts.replyTimeoutMs, MAX_ORDER_TIMEOUT_MS);
      job.timer = setTimeout(() => this.unsent(job, `not sent: no usable trade connection within ${wait} ms`), wait);
      this.queue.push(job);
      this.start();
      this.pump();
    });
  }

  close(): Promise<void> {
    this.stopped = true;
    this.clearTimers();
    for (const job of this.queue) this.unsent(job, 'not sent: connection closed');
    this.failInFlight('closed', 'connection closed before Bybit replied: unknown, check the order stream');
    const socket = this.socket;
    this.socket = undefined;
    this.ready = false;
    return new Promise<void>((resolve) => {
      if (!socket || socket.readyState === WebSocket.CLOSED) return resolve();
      const deadline = setTimeout(() => socket.terminate(), SOCKET_LIMITS.closeDeadlineMs);
      socket.once('close', () => (clearTimeout(deadline), resolve()));
      if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
      else socket.close(1000);
    }).then(() => this.setState('closed'));
  }

  private setState(state: ConnectionState, extra: Omit<ConnectionStateEvent, 'endpoint' | 'state'> = {}): void {
    this.lastEvent = { endpoint: 'trade', state, ...extra };
    this.emit('state', this.lastEvent);
  }

  private start(): void {
    if (this.stopped || this.socket || this.reconnectTimer) return;
    if (this.lastEvent?.state !== 'auth-failed') this.setState(this.connects === 0 ? 'connecting' : 'reconnecting');
    this.connects++;
    const url = this.opts.url ?? '';
    const socket = new WebSocket(url, { handshakeTimeout: SOCKET_LIMITS.handshakeTimeoutMs, maxPayload: DEFAULT_LIMITS.maxFrameBytes, agent: proxyAgentFor(url) });
    this.socket = socket;
    socket.on('open', () => this.onOpen());
    socket.on('message', (data, isBinary) => this.onMessage(isBinary ? undefined : data.toString()));
    // Without an error listener a failing socket would crash Node-RED; the close that follows reconnects.
    socket.on('error', () => undefined);
    socket.on('close', (code, reason) => this.onClose(socket, code, reason.toString()));
  }

  private onOpen(): void {
    const creds = this.opts.credentials;
    if (!creds) return this.onDead('no credentials');
    this.heartbeat.start();
    const expires = Date.now() + SOCKET_LIMITS.authValidityMs;
    this.write(encodeTradeAuth(creds.apiKey, expires, signAuth(creds.apiSecret, expires), randomUUID()));
    this.authTimer = setTimeout(() => {
      this.authTimer = undefined;
      this.onDead('no reply to auth');
    }, this.opts.timings.requestTimeoutMs);
  }

  private onMessage(text: string | undefined): void {
    this.heartbeat.alive();
    const decoded = text === undefined ? { kind: 'malformed' as const, reason: 'binary frame' } : decodeTrade(text);
    switch (decoded.kind) {
      case 'auth':
        return this.onAuth(decoded.success, decoded.message);
      case 'reply':
        return this.onReply(decoded.reply);
      case 'malformed':
      case 'error':
        this.malformedCount++;
        this.emit('malformed', redact('reason' in decoded ? decoded.reason : decoded.message, this.opts.credentials), this.malformedCount);
        return;
      case 'pong':
        return;
    }
  }

  private onAuth(success: boolean, message: string): void {
    if (!this.authTimer) return;
    clearTimeout(this.authTimer);
    this.authTimer = undefined;
    if (success) {
      this.ready = true;
      this.lastAuthFailure = undefined;
      this.setState('open');
      this.healthyTimer = setTimeout(() => this.backoff.reset(), this.opts.timings.healthyAfterMs);
      return this.pump();
    }
    const reason = redact(message, this.opts.credentials) || 'rejected';
    const err = new EngineError('auth-failed', reason);
    // Orders waiting now were never sent: they fail with the reason rather than wait for a retry.
    for (const job of this.queue) this.unsent(job, '', err);
    if (this.lastAuthFailure !== reason) {
      this.lastAuthFailure = reason;
      this.emit('auth-failed', err);
    }
    this.setState('auth-failed', { detail: reason });
    this.socket?.terminate();
  }

  private onReply(reply: TradeReply): void {
    const req = reply.reqId === undefined ? undefined : this.inFlight.take(reply.reqId);
    if (!req) return; // a late reply to a request already failed by its timeout
    reply.retMsg = redact(reply.retMsg, this.opts.credentials);
    this.answered(req.job, reply.header);
    req.job.resolve(reply);
  }

  private answered(job: Job, header?: Record<string, string>): void {
    if (job.slot) this.limiter.answered(job.bucket, job.slot, Date.now(), header);
    this.pump();
  }

  /** Sends every queued request its rate bucket allows now; comes back when the next one may go. */
  private pump(): void {
    clearTimeout(this.pumpTimer);
    this.pumpTimer = undefined;
    if (!this.ready) return;
    const now = Date.now();
    let nextDelay = Infinity;
    for (const job of [...this.queue]) {
      const delay = this.limiter.delay(job.bucket, now);
      if (delay > 0) {
        nextDelay = Math.min(nextDelay, delay);
        continue;
      }
      this.queue = this.queue.filter((j) => j !== job);
      clearTimeout(job.timer);
      job.slot = this.limiter.take(job.bucket, now);
      // Its own reqId as its key: no other request can take it over (see RequestTracker.track).
      this.inFlight.track({ op: job.op, reqId: job.reqId, keys: [job.reqId], job });
      this.write(encodeTradeRequest(job.reqId, job.op, job.args, now, RECV_WINDOW_MS));
      this.stats.sent++;
    }
    if (nextDelay !== Infinity) this.pumpTimer = setTimeout(() => this.pump(), nextDelay);
  }

  private unsent(job: Job, detail: string, err?: EngineError): void {
    clearTimeout(job.timer);
    this.queue = this.queue.filter((j) => j !== job);
    job.reject(err ?? new EngineError('timeout', detail));
  }

  private failInFlight(code: 'closed', detail: string): void {
    for (const { request } of this.inFlight.clear()) {
      request.job.reject(new EngineError(code, detail));
      if (request.job.slot) this.limiter.answered(request.job.bucket, request.job.slot, Date.now());
    }
  }

  private onDead(why: string): void {
    this.emit('dead', why);
    this.socket?.terminate();
  }

  private onClose(socket: WebSocket, code: number, reason: string): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    this.ready = false;
    this.clearTimers();
    // Sent and unanswered: Bybit may or may not have the order. Never sent again.
    this.failInFlight('closed', 'the trade connection dropped before Bybit replied: unknown, check the order stream');
    if (this.stopped) return;
    const authFailed = this.lastEvent?.state === 'auth-failed';
    const delayMs = Math.max(this.backoff.next(), authFailed ? this.opts.timings.authRetryMs : 0);
    if (!authFailed) this.setState('reconnecting', { delayMs, detail: `closed (${code}${reason ? ` ${reason}` : ''})` });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.start();
    }, delayMs);
  }

  private clearTimers(): void {
    this.heartbeat.stop();
    for (const t of [this.authTimer, this.reconnectTimer, this.pumpTimer, this.healthyTimer]) clearTimeout(t);
    this.authTimer = this.reconnectTimer = this.pumpTimer = this.healthyTimer = undefined;
  }

  private write(frame: string): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(frame);
  }
}
