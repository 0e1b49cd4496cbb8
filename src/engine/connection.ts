/**
 * One socket to one endpoint, kept alive for as long as someone needs a topic on it:
 * heartbeat, reconnect with backoff, auth for private sockets, ref-counted subscriptions,
 * batched requests, replies routed back to whoever asked, resubscribe after every reconnect.
 */
import { createHmac } from 'node:crypto';
import WebSocket from 'ws';
import type { Dialect, EndpointName, OutgoingRequest, OutputItem, TopicSpec, WireTopic } from '../dialects/types';
import { LocalBook, type ApplyResult } from '../book/local-book';
import { Backoff } from './backoff';
import { EngineError } from './errors';
import { TypedEmitter } from './typed-emitter';

/** Receives what one subscriber asked for. Implemented by each node (through Subscriber). */
export interface TopicOwner {
  onItems(spec: TopicSpec, items: OutputItem[]): void;
  /** The book changed; `raw` is the data of the frame that changed it (raw output mode). */
  onBook(spec: TopicSpec, book: LocalBook, raw: unknown): void;
  onTopicError(spec: TopicSpec, error: EngineError): void;
}

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'auth-failed' | 'error' | 'closed';

export interface ConnectionStateEvent {
  endpoint: EndpointName;
  state: ConnectionState;
  /** A reason for error states; the next delay for reconnecting. */
  detail?: string;
  delayMs?: number;
}

/** Why a book topic is being subscribed afresh: what broke the book, or no snapshot after a resubscribe. */
export type ResyncReason = Exclude<ApplyResult, 'ok'>;

/** What a Connection tells its client. */
export type ConnectionEvents = {
  state: [event: ConnectionStateEvent];
  /** The socket failed (refused, DNS, TLS, ...); a close and a reconnect follow. */
  'socket-error': [error: Error];
  /** The socket looked alive but was not (no pong, no auth reply): it is dropped and reopened. */
  dead: [why: string];
  /** The server refused the credentials: once per failure, not once per retry. */
  'auth-failed': [error: EngineError];
  /** A failure reply not tied to any request, in the server's words (credentials redacted). */
  'server-error': [message: string];
  /** A frame that could not be read; `count` is the running total on this connection. */
  malformed: [reason: string, count: number];
  /** A book topic is resubscribed for a fresh snapshot. */
  resync: [key: string, why: ResyncReason];
};

export interface Credentials {
  apiKey: string;
  apiSecret: string;
}

/** Timings a client passes on to each of its connections. */
export interface ConnectionTimings {
  /** Ping every this long (default 20 s). */
  pingIntervalMs?: number;
  /** No frame of any kind this long after a ping: the socket is dead (default 10 s). */
  pongTimeoutMs?: number;
  /** A request without a reply this long fails (default 10 s). */
  requestTimeoutMs?: number;
  /** Connected this long without trouble resets the backoff (default 15 s). */
  healthyAfterMs?: number;
  /** Wait after a rejected auth before trying again (default 30 s). */
  authRetryMs?: number;
}

export interface ConnectionOptions extends ConnectionTimings {
  dialect: Dialect;
  endpoint: EndpointName;
  url: string;
  credentials?: Credentials;
  backoff?: Backoff;
  /** Largest frame accepted, bytes (default 16 MiB). */
  maxPayload?: number;
}

interface Entry {
  wire: WireTopic;
  owners: Map<TopicOwner, TopicSpec>;
  /** queued: to be sent; pending: sent, awaiting reply; active: confirmed by the server. */
  state: 'queued' | 'pending' | 'active';
  waiters: { resolve: () => void; reject: (err: EngineError) => void }[];
  book?: LocalBook;
  lastRaw?: unknown;
  /** Set while a book resubscribe is under way, so one gap causes exactly one resubscribe. */
  resyncing: boolean;
  /** Retries the resubscribe when no fresh snapshot follows it in time. */
  resyncTimer?: NodeJS.Timeout;
}

interface PendingRequest {
  request: OutgoingRequest;
  timer: NodeJS.Timeout;
}

/** The V5 / spot auth signature: hex HMAC-SHA256 of "GET/realtime" + expires, keyed by the secret. */
export function signAuth(apiSecret: string, expires: number): string {
  return createHmac('sha256', apiSecret).update(`GET/realtime${expires}`).digest('hex');
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Checks a URL before any socket is opened: a clear error beats a crash deep in `ws`. */
export function checkEndpointUrl(url: string | undefined, isPrivate: boolean): EngineError | undefined {
  if (!url) return new EngineError('bad-url', 'no URL configured');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return new EngineError('bad-url', `"${url}" is not a URL`);
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    return new EngineError('bad-url', `"${url}" must start with ws:// or wss://`);
  }
  if (isPrivate && parsed.protocol === 'ws:' && !LOOPBACK.has(parsed.hostname)) {
    return new EngineError('insecure', `credentials are only sent over wss:// or to this machine, not to ${parsed.host}`);
  }
  return undefined;
}

export class Connection extends TypedEmitter<ConnectionEvents> {
  readonly endpoint: EndpointName;
  private readonly dialect: Dialect;
  private readonly url: string;
  private readonly opts: ConnectionOptions;
  private readonly backoff: Backoff;
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, PendingRequest>();
  private socket?: WebSocket;
  private ready = false;
  private stopped = false;
  private flushScheduled = false;
  private unsubscribeQueue: string[] = [];
  private reqSeq = 0;
  private pingTimer?: NodeJS.Timeout;
  private pongTimer?: NodeJS.Timeout;
  private reconnectTimer?: NodeJS.Timeout;
  private healthyTimer?: NodeJS.Timeout;
  private authTimer?: NodeJS.Timeout;
  private lastFrameAt = 0;
  private lastAuthFailure?: string;
  private minNextDelay = 0;
  private closing?: Promise<void>;
  private lastEvent?: ConnectionStateEvent;
  /** Counters for status, tests and benchmarks. */
  readonly stats = { connects: 0, malformed: 0 };

  constructor(opts: ConnectionOptions) {
    super();
    this.opts = opts;
    this.dialect = opts.dialect;
    this.endpoint = opts.endpoint;
    this.url = opts.url;
    this.backoff = opts.backoff ?? new Backoff();
  }

  private get stateValue(): ConnectionState {
    return this.lastEvent?.state ?? 'idle';
  }

  /** The last state event, so a node that arrives late can show the reason too. */
  get lastStateEvent(): ConnectionStateEvent | undefined {
    return this.lastEvent;
  }

  /** True once closed for good; a new Connection is needed to use the endpoint again. */
  get isStopped(): boolean {
    return this.stopped;
  }

  /**
   * Adds `owner` to a topic. Resolves once the server confirmed it (at once when it already
   * had), rejects with the server's reason when refused.
   */
  acquire(owner: TopicOwner, spec: TopicSpec, wire: WireTopic): Promise<void> {
    let entry = this.entries.get(wire.key);
    const isNew = !entry;
    if (!entry) {
      entry = { wire, owners: new Map(), state: 'queued', waiters: [], resyncing: false };
      if (wire.book) entry.book = new LocalBook(this.dialect.bookDepth(spec.depth ?? 1));
      this.entries.set(wire.key, entry);
    }
    entry.owners.set(owner, spec);
    if (entry.state === 'active') {
      // A late joiner to a book topic gets the current book right away.
      if (entry.book?.isValid) owner.onBook(spec, entry.book, entry.lastRaw);
      return Promise.resolve();
    }
    const done = new Promise<void>((resolve, reject) => entry.waiters.push({ resolve, reject }));
    if (isNew) {
      this.unsubscribeQueue = this.unsubscribeQueue.filter((k) => k !== wire.key);
      if (this.ready) this.scheduleFlush();
      else this.start();
    }
    return done;
  }

  /** Removes `owner` from a topic; the wire-level unsubscribe happens when the last owner leaves. */
  release(owner: TopicOwner, key: string): void {
    const entry = this.entries.get(key);
    if (!entry || !entry.owners.delete(owner) || entry.owners.size > 0) return;
    this.entries.delete(key);
    this.endResync(entry);
    for (const w of entry.waiters) w.resolve();
    if (this.entries.size === 0) {
      // Nobody needs this socket any more: closing it unsubscribes everything at once.
      void this.close();
      return;
    }
    if (this.ready && entry.state !== 'queued') {
      this.unsubscribeQueue.push(key);
      this.scheduleFlush();
    }
  }

  /** Closes the socket for good; resolves once it is closed (terminated after 2 s at most). */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.stopped = true;
    this.clearTimers();
    this.failPending(new EngineError('closed', 'connection closed'));
    for (const entry of this.entries.values()) {
      for (const w of entry.waiters) w.reject(new EngineError('closed', 'connection closed'));
      entry.waiters = [];
    }
    const socket = this.socket;
    this.socket = undefined;
    this.ready = false;
    this.closing = new Promise<void>((resolve) => {
      if (!socket || socket.readyState === WebSocket.CLOSED) return resolve();
      const deadline = setTimeout(() => socket.terminate(), 2000);
      socket.once('close', () => {
        clearTimeout(deadline);
        resolve();
      });
      if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
      else socket.close(1000);
    }).then(() => this.setState('closed'));
    return this.closing;
  }

  private setState(state: ConnectionState, extra: Omit<ConnectionStateEvent, 'endpoint' | 'state'> = {}): void {
    this.lastEvent = { endpoint: this.endpoint, state, ...extra };
    this.emit('state', this.lastEvent);
  }

  private start(): void {
    if (this.stopped || this.socket || this.reconnectTimer) return;
    const problem = checkEndpointUrl(this.url, this.endpoint === 'private');
    if (problem) return this.failEverything(problem);
    if (this.endpoint === 'private' && !this.opts.credentials) {
      return this.failEverything(new EngineError('no-credentials', 'set an API key and secret on the connection'));
    }
    // After a rejected auth the nodes keep showing why until the retry succeeds or fails anew.
    if (this.stateValue !== 'auth-failed') this.setState(this.stats.connects === 0 ? 'connecting' : 'reconnecting');
    this.stats.connects++;
    const socket = new WebSocket(this.url, { handshakeTimeout: 10_000, maxPayload: this.opts.maxPayload ?? 16 * 1024 * 1024 });
    this.socket = socket;
    socket.on('open', () => this.onOpen());
    socket.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    // Without an error listener a failing socket would crash the whole Node-RED process.
    socket.on('error', (err) => this.emit('socket-error', err));
    socket.on('close', (code, reason) => this.onClose(socket, code, reason.toString()));
  }

  /** A configuration problem: retrying cannot help, so every waiting subscriber hears it now. */
  private failEverything(err: EngineError): void {
    this.setState('error', { detail: err.message });
    for (const [key, entry] of this.entries) {
      this.entries.delete(key);
      for (const w of entry.waiters) w.reject(err);
      for (const [owner, spec] of entry.owners) owner.onTopicError(spec, err);
    }
  }

  private onOpen(): void {
    this.lastFrameAt = Date.now();
    this.startHeartbeat();
    if (this.endpoint === 'private') this.sendAuth();
    else this.onReady();
  }

  private onReady(): void {
    this.ready = true;
    this.lastAuthFailure = undefined;
    this.setState('open');
    this.healthyTimer = setTimeout(() => this.backoff.reset(), this.opts.healthyAfterMs ?? 15_000);
    if (this.endpoint === 'private' && !this.dialect.privateNeedsSubscribe) {
      // Spot v1: authenticating already streams every private topic.
      for (const entry of this.entries.values()) this.confirm(entry);
      return;
    }
    for (const entry of this.entries.values()) {
      entry.state = 'queued';
      if (entry.book) {
        entry.book.reset();
        this.endResync(entry);
      }
    }
    this.unsubscribeQueue = [];
    this.scheduleFlush();
  }

  private sendAuth(): void {
    const creds = this.opts.credentials;
    if (!creds) return;
    const expires = Date.now() + 10_000;
    this.send(this.dialect.encodeAuth(creds.apiKey, expires, signAuth(creds.apiSecret, expires), this.nextReqId()));
    // A server that never answers the auth would leave the socket open and useless.
    this.authTimer = setTimeout(() => {
      this.authTimer = undefined;
      this.emit('dead', 'no reply to auth');
      this.dropSocket();
    }, this.opts.requestTimeoutMs ?? 10_000);
  }

  private onAuth(success: boolean, message: string): void {
    // Only the reply to our own auth counts: a stray one on a public or ready socket is noise.
    if (!this.authTimer) return;
    clearTimeout(this.authTimer);
    this.authTimer = undefined;
    if (success) return this.onReady();
    const reason = this.redact(message) || 'rejected';
    const err = new EngineError('auth-failed', reason);
    // Whoever waits now hears it; the topics stay wanted and are subscribed once a retry succeeds.
    for (const entry of this.entries.values()) {
      for (const w of entry.waiters) w.reject(err);
      entry.waiters = [];
    }
    // One error per failure, not one per retry: repeats of the same reason stay quiet.
    if (this.lastAuthFailure !== reason) {
      this.lastAuthFailure = reason;
      this.emit('auth-failed', err);
    }
    this.setState('auth-failed', { detail: reason });
    this.dropSocket(this.opts.authRetryMs ?? 30_000);
  }

  /** Server words may be shown to users: make sure they never carry the key or the secret. */
  private redact(text: string): string {
    const creds = this.opts.credentials;
    if (!creds) return text;
    let out = text;
    for (const secret of [creds.apiSecret, creds.apiKey]) if (secret) out = out.split(secret).join('***');
    return out;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // Collect everything asked for in this tick into as few requests as the dialect allows.
    queueMicrotask(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (!this.ready) return;
    if (this.unsubscribeQueue.length) {
      const keys = this.unsubscribeQueue;
      this.unsubscribeQueue = [];
      for (const req of this.dialect.encodeRequests('unsubscribe', this.endpoint, keys, () => this.nextReqId())) this.sendRequest(req);
    }
    if (this.endpoint === 'private' && !this.dialect.privateNeedsSubscribe) {
      for (const entry of this.entries.values()) if (entry.state !== 'active') this.confirm(entry);
      return;
    }
    const keys: string[] = [];
    for (const entry of this.entries.values()) {
      if (entry.state === 'queued') {
        entry.state = 'pending';
        keys.push(entry.wire.key);
      }
    }
    if (keys.length === 0) return;
    for (const req of this.dialect.encodeRequests('subscribe', this.endpoint, keys, () => this.nextReqId())) this.sendRequest(req);
  }

  private sendRequest(request: OutgoingRequest): void {
    const id = request.reqId ?? `${request.op}:${request.keys.join(',')}`;
    const timer = setTimeout(() => this.onRequestTimeout(id), this.opts.requestTimeoutMs ?? 10_000);
    this.pending.set(id, { request, timer });
    this.send(request.frame);
  }

  private onRequestTimeout(id: string): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    if (pending.request.op !== 'subscribe') {
      this.pending.delete(id);
      return;
    }
    // The callers hear now; the request stays on record so a late reply still confirms its
    // topics, and they are sent again on the next (re)connect in any case.
    const err = new EngineError('timeout', 'no reply from the server');
    for (const key of pending.request.keys) {
      const entry = this.entries.get(key);
      if (!entry) continue;
      for (const w of entry.waiters) w.reject(err);
      entry.waiters = [];
    }
  }

  private findPending(reqId: string | undefined, keys: string[] | undefined, op: string): [string, PendingRequest] | undefined {
    if (reqId !== undefined) {
      const p = this.pending.get(reqId);
      return p ? [reqId, p] : undefined;
    }
    // Dialects without req_id (spot v1) name the topics in their replies instead.
    for (const [id, p] of this.pending) {
      if (p.request.op === op && keys?.some((k) => p.request.keys.includes(k))) return [id, p];
    }
    return undefined;
  }

  private onAck(op: 'subscribe' | 'unsubscribe', reqId: string | undefined, keys: string[] | undefined, success: boolean, message: string): void {
    const found = this.findPending(reqId, keys, op);
    if (!found) return;
    const [id, pending] = found;
    const replyKeys = keys && reqId === undefined ? keys : pending.request.keys;
    // A v1 request for several symbols is answered symbol by symbol; keep waiting for the rest.
    const rest = pending.request.keys.filter((k) => !replyKeys.includes(k));
    if (rest.length && reqId === undefined) pending.request = { ...pending.request, keys: rest };
    else {
      clearTimeout(pending.timer);
      this.pending.delete(id);
    }
    if (op === 'unsubscribe') return;
    if (success || /already subscribed/i.test(message)) {
      for (const key of replyKeys) {
        const entry = this.entries.get(key);
        if (entry && entry.state === 'pending') this.confirm(entry);
      }
      return;
    }
    // One bad topic fails a whole V5 request: fail that topic, send the innocent ones again.
    const named = /topic:([^\s,]+)/.exec(message)?.[1];
    const culprits = named && replyKeys.includes(named) ? [named] : replyKeys;
    for (const key of culprits) this.reject(key, new EngineError('rejected', this.redact(message) || 'subscription refused'));
    let requeued = false;
    for (const key of replyKeys) {
      const entry = this.entries.get(key);
      if (entry && entry.state === 'pending') {
        entry.state = 'queued';
        requeued = true;
      }
    }
    if (requeued) this.scheduleFlush();
  }

  private confirm(entry: Entry): void {
    entry.state = 'active';
    const waiters = entry.waiters;
    entry.waiters = [];
    for (const w of waiters) w.resolve();
  }

  /** The server refused a topic: its owners hear why; everything else keeps streaming. */
  private reject(key: string, err: EngineError): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.endResync(entry);
    for (const w of entry.waiters) w.reject(err);
    for (const [owner, spec] of entry.owners) owner.onTopicError(spec, err);
    if (this.entries.size === 0) void this.close();
  }

  private onMessage(data: WebSocket.RawData, isBinary: boolean): void {
    this.lastFrameAt = Date.now();
    if (isBinary) return this.malformed('binary frame');
    const decoded = this.dialect.decode(data.toString(), this.endpoint);
    switch (decoded.kind) {
      case 'data':
        return this.onData(decoded.key, decoded.frame);
      case 'multi':
        for (const e of decoded.events) this.onData(e.key, e.frame);
        return;
      case 'ack':
        return this.onAck(decoded.op, decoded.reqId, decoded.keys, decoded.success, decoded.message);
      case 'auth':
        return this.onAuth(decoded.success, decoded.message);
      case 'pong':
      case 'ignored':
        return;
      case 'error':
        this.emit('server-error', this.redact(decoded.message));
        return;
      case 'malformed':
        return this.malformed(decoded.reason);
    }
  }

  private malformed(reason: string): void {
    this.stats.malformed++;
    this.emit('malformed', reason, this.stats.malformed);
  }

  private onData(key: string, frame: unknown): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    if (!entry.book) {
      const first = entry.owners.values().next();
      if (first.done) return;
      const items = this.dialect.normalize(first.value, frame);
      if (items.length === 0) return this.malformed(`unreadable ${key} frame`);
      for (const [owner, spec] of entry.owners) owner.onItems(spec, items);
      return;
    }
    const bookFrame = this.dialect.bookFrame(frame);
    if (!bookFrame) return this.malformed(`unreadable ${key} frame`);
    const result = entry.book.apply(bookFrame);
    if (result === 'ok') {
      if (entry.resyncing) this.endResync(entry);
      entry.lastRaw = bookFrame.raw;
      for (const [owner, spec] of entry.owners) owner.onBook(spec, entry.book, bookFrame.raw);
      return;
    }
    if (entry.resyncing) return; // deltas still in flight before the fresh snapshot
    entry.resyncing = true;
    this.emit('resync', key, result);
    this.resubscribe(entry);
    this.watchResync(entry);
  }

  /** A resubscribe whose snapshot never comes (lost reply, odd server) is tried again, not left silent. */
  private watchResync(entry: Entry): void {
    clearTimeout(entry.resyncTimer);
    entry.resyncTimer = setTimeout(() => {
      entry.resyncTimer = undefined;
      if (!entry.resyncing || this.entries.get(entry.wire.key) !== entry) return;
        this.emit('resync', entry.wire.key, 'no-snapshot');
      this.resubscribe(entry);
      this.watchResync(entry);
    }, this.opts.requestTimeoutMs ?? 10_000);
  }

  private endResync(entry: Entry): void {
    entry.resyncing = false;
    clearTimeout(entry.resyncTimer);
    entry.resyncTimer = undefined;
  }

  /** Asks the server for a fresh snapshot of one topic: unsubscribe, then subscribe again. */
  private resubscribe(entry: Entry): void {
    if (!this.ready) return;
    for (const req of this.dialect.encodeRequests('unsubscribe', this.endpoint, [entry.wire.key], () => this.nextReqId())) this.sendRequest(req);
    entry.state = 'queued';
    this.scheduleFlush();
  }

  private startHeartbeat(): void {
    const interval = this.opts.pingIntervalMs ?? 20_000;
    this.pingTimer = setInterval(() => {
      const sentAt = Date.now();
      this.send(this.dialect.encodePing(String(sentAt)));
      if (this.pongTimer) return;
      this.pongTimer = setTimeout(() => {
        this.pongTimer = undefined;
        if (this.lastFrameAt < sentAt) {
          this.emit('dead', `no frame within ${this.opts.pongTimeoutMs ?? 10_000} ms of a ping`);
          this.dropSocket();
        }
      }, this.opts.pongTimeoutMs ?? 10_000);
    }, interval);
  }

  /** Ends the current socket abruptly; onClose schedules the reconnect, no sooner than minDelayMs. */
  private dropSocket(minDelayMs = 0): void {
    const socket = this.socket;
    if (!socket) return;
    this.minNextDelay = minDelayMs;
    socket.terminate();
  }

  private onClose(socket: WebSocket, code: number, reason: string): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    this.ready = false;
    this.clearTimers();
    this.failPending();
    if (this.stopped) return;
    if (this.entries.size === 0) {
      this.setState('idle');
      return;
    }
    // Until an auth succeeds again, every retry waits the auth retry time: never a hot loop of rejected keys.
    const authFloor = this.stateValue === 'auth-failed' ? (this.opts.authRetryMs ?? 30_000) : 0;
    const delayMs = Math.max(this.backoff.next(), this.minNextDelay, authFloor);
    this.minNextDelay = 0;
    if (this.stateValue !== 'auth-failed') this.setState('reconnecting', { delayMs, detail: `closed (${code}${reason ? ` ${reason}` : ''})` });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.start();
    }, delayMs);
  }

  /** Drops requests in flight; their topics are sent again once the socket is back. */
  private failPending(err?: EngineError): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      if (!err) continue;
      for (const key of p.request.keys) {
        const entry = this.entries.get(key);
        if (!entry) continue;
        for (const w of entry.waiters) w.reject(err);
        entry.waiters = [];
      }
    }
    this.pending.clear();
  }

  private clearTimers(): void {
    for (const entry of this.entries.values()) if (entry.resyncTimer) this.endResync(entry);
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.healthyTimer);
    clearTimeout(this.authTimer);
    this.pingTimer = this.pongTimer = this.reconnectTimer = this.healthyTimer = this.authTimer = undefined;
  }

  private send(frame: string): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(frame);
  }

  private nextReqId(): string {
    return String(++this.reqSeq);
  }
}
