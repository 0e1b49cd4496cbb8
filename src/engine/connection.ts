/**
 * One socket to one endpoint, kept alive for as long as someone needs a topic on it:
 * reconnect with backoff, auth for private sockets, batched requests, replies applied to the
 * topics they answer, resubscribe after every reconnect and after a broken book.
 * Its parts: the subscription table (who wants what), the request tracker (what is in flight)
 * and the heartbeat (is the socket alive).
 */
import WebSocket from 'ws';
import type { AckReply, Dialect, EndpointName, OutgoingRequest, OutputItem, RequestOp, TopicSpec, WireTopic } from '../dialects/types';
import { LocalBook, type ApplyResult } from '../book/local-book';
import { specCategory } from '../dialects/payloads';
import type { BookFrame } from '../book/frame';
import { checkEndpointUrl, redact, signAuth, type Credentials } from './auth';
import { proxyAgentFor } from './proxy';
import { Backoff } from './backoff';
import { causeOfClose, describeCause, type DisconnectCause } from './cause';
import { EngineError } from './errors';
import { FrameInbox } from './frame-inbox';
import { Heartbeat } from './heartbeat';
import { nestedDeeper, resolveLimits, type Limits } from './limits';
import { belongsTo } from './belongs';
import { resolveTimings, SOCKET_LIMITS, type ConnectionTimings, type ResolvedTimings } from './options';
import { RequestTracker } from './requests';
import { endResync, SubscriptionTable, type Topic, type TopicOwner } from './subscriptions';
import { TypedEmitter } from './typed-emitter';
import { ServerClock } from './clock';
import { USkipPolicy } from './u-skips';

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'auth-failed' | 'error' | 'closed';

export interface ConnectionStateEvent {
  endpoint: EndpointName;
  state: ConnectionState;
  /** A reason for error states; the next delay for reconnecting. */
  detail?: string;
  delayMs?: number;
  /** Open, with the machine's clock this far behind (negative: ahead) the server's, when off by a second or more. */
  clockOffsetMs?: number;
  /** Reconnecting after a close: why the socket went away (refused, DNS, TLS, close code and text). */
  cause?: DisconnectCause;
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
  /** An auth expired because the machine's clock is off: measured offset (server minus local), ms. */
  'clock-skew': [offsetMs: number];
  /** A book topic broke only on skipped update ids too often: from now on its skips are allowed (once per topic). */
  'u-skips-allowed': [key: string];
  /** Our own code failed on a frame or in a timer: caught, reported, and the stream goes on. */
  'internal-error': [error: Error];
};

export interface ConnectionOptions extends ConnectionTimings {
  dialect: Dialect;
  endpoint: EndpointName;
  url: string;
  credentials?: Credentials;
  backoff?: Backoff;
  /** The server's time as measured (shared by a client's sockets); auth signs with it. */
  clock?: ServerClock;
  /** Which book topics may skip update ids (shared by a client's sockets). */
  uSkips?: USkipPolicy;
  /** Size limits (frame bytes, nesting, book levels); the defaults for those not given. */
  limits?: Partial<Limits>;
}

export class Connection extends TypedEmitter<ConnectionEvents> {
  readonly endpoint: EndpointName;
  private readonly dialect: Dialect;
  private readonly url: string;
  private readonly credentials?: Credentials;
  private readonly isPrivate: boolean;
  private readonly timings: ResolvedTimings;
  private readonly limits: Limits;
  private readonly backoff: Backoff;
  private readonly topics = new SubscriptionTable();
  private readonly requests: RequestTracker<OutgoingRequest>;
  private readonly heartbeat: Heartbeat;
  private socket?: WebSocket;
  private ready = false;
  private stopped = false;
  private flushScheduled = false;
  private unsubscribeQueue: string[] = [];
  private reqSeq = 0;
  private reconnectTimer?: NodeJS.Timeout;
  private healthyTimer?: NodeJS.Timeout;
  private authTimer?: NodeJS.Timeout;
  private lastAuthFailure?: string;
  private minNextDelay = 0;
  private closing?: Promise<void>;
  private lastEvent?: ConnectionStateEvent;
  private readonly clock: ServerClock;
  private readonly uSkips: USkipPolicy;
  private pingSentAt = 0;
  /** An expired auth waits for a pong to measure the clock, once per failure streak. */
  private clockCheck: 'no' | 'waiting' | 'done' = 'no';
  /** What the current socket last reported going wrong: the reason its close is given. */
  private lastSocketError?: Error;
  /** Counters for status, tests and benchmarks. */
  readonly stats = { connects: 0, malformed: 0 };

  constructor(opts: ConnectionOptions) {
    super();
    this.dialect = opts.dialect;
    this.endpoint = opts.endpoint;
    this.url = opts.url;
    this.credentials = opts.credentials;
    this.isPrivate = opts.endpoint === 'private';
    this.timings = resolveTimings(opts);
    this.limits = resolveLimits(opts.limits);
    this.backoff = opts.backoff ?? new Backoff();
    this.requests = new RequestTracker(this.timings.requestTimeoutMs, (req, keys) => this.isolated(() => this.onRequestTimeout(req, keys), true));
    this.clock = opts.clock ?? new ServerClock();
    this.uSkips = opts.uSkips ?? new USkipPolicy(() => this.clock.localNow());
    this.heartbeat = new Heartbeat(
      this.timings,
      (id) => this.isolated(() => this.ping(id), undefined),
      (why) => this.isolated(() => this.onDead(why), undefined),
    );
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

  /** Whether this socket carries (or is to carry) a wire topic. */
  holds(key: string): boolean {
    return this.topics.get(key) !== undefined;
  }

  /** What the topics this socket carries cost of its args budget. */
  get argsChars(): number {
    return this.topics.chars;
  }

  /** Wire topics this socket carries (or is to carry). */
  get topicCount(): number {
    return this.topics.size;
  }

  /** Requests sent and not answered yet. */
  get pendingRequests(): number {
    return this.requests.size;
  }

  /**
   * Adds `owner` to a topic. Resolves once the server confirmed it (at once when it already
   * had), rejects with the server's reason when refused.
   */
  acquire(owner: TopicOwner, spec: TopicSpec, wire: WireTopic): Promise<void> {
    const book = () => (wire.book ? this.newBook(spec, wire) : undefined);
    const { topic, created } = this.topics.join(owner, spec, wire, book);
    // A late joiner to a book topic gets the current book right away.
    if (topic.state === 'active' && topic.book?.isValid) owner.onBook(spec, topic.book, topic.lastRaw);
    const done = this.topics.wait(topic);
    if (created) {
      this.unsubscribeQueue = this.unsubscribeQueue.filter((k) => k !== wire.key);
      if (this.ready) this.scheduleFlush();
      else this.start();
    }
    return done;
  }

  private newBook(spec: TopicSpec, wire: WireTopic): LocalBook {
    const book = new LocalBook(this.dialect.bookDepth(spec.depth ?? 1, specCategory(spec)));
    book.skipsAllowed = this.uSkips.allows(this.endpoint, wire.key);
    return book;
  }

  /** Removes `owner` from a topic; the wire-level unsubscribe happens when the last owner leaves. */
  release(owner: TopicOwner, key: string): void {
    const topic = this.topics.leave(owner, key);
    if (!topic) return;
    if (this.topics.size === 0) {
      // Nobody needs this socket any more: closing it unsubscribes everything at once.
      void this.close();
      return;
    }
    if (this.ready && topic.state !== 'queued') {
      this.unsubscribeQueue.push(key);
      this.scheduleFlush();
    }
  }

  /** Closes the socket for good; resolves once it is closed (terminated after a deadline at most). */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.stopped = true;
    this.clearTimers();
    this.requests.clear();
    this.topics.failWaiters(new EngineError('closed', 'connection closed'));
    const socket = this.socket;
    this.socket = undefined;
    this.ready = false;
    this.closing = new Promise<void>((resolve) => {
      if (!socket || socket.readyState === WebSocket.CLOSED) return resolve();
      const deadline = setTimeout(() => socket.terminate(), SOCKET_LIMITS.closeDeadlineMs);
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
    const problem = checkEndpointUrl(this.url, this.isPrivate);
    if (problem) return this.failEverything(problem);
    if (this.isPrivate && !this.credentials) {
      return this.failEverything(new EngineError('no-credentials', 'set an API key and secret on the connection'));
    }
    // After a rejected auth the nodes keep showing why until the retry succeeds or fails anew.
    if (this.stateValue !== 'auth-failed') this.setState(this.stats.connects === 0 ? 'connecting' : 'reconnecting');
    this.stats.connects++;
    // Through the environment's HTTP(S) proxy when it names one, as Node-RED's own websocket node does.
    const agent = proxyAgentFor(this.url);
    const socket = new WebSocket(this.url, { handshakeTimeout: SOCKET_LIMITS.handshakeTimeoutMs, maxPayload: this.limits.maxFrameBytes, agent });
    this.socket = socket;
    this.lastSocketError = undefined;
    // A burst of frames is handled a batch per event-loop turn, not all at once (frame-inbox.ts).
    const inbox = new FrameInbox(socket, this.onFrame);
    // Every handler is isolated: nothing a server sends may throw into the socket's own code.
    socket.on('open', () => this.isolated(() => this.onOpen(), undefined));
    socket.on('message', (data, isBinary) => inbox.push(isBinary ? null : data));
    // Without an error listener a failing socket would crash the whole Node-RED process.
    socket.on('error', (err) => {
      if (socket === this.socket) this.lastSocketError = err;
      this.isolated(() => this.emit('socket-error', err), undefined);
    });
    socket.on('close', (code, reason) => {
      // Frames received before the close are handled before it (a closed-for-good connection drops them).
      if (socket === this.socket) inbox.flush();
      else inbox.discard();
      this.isolated(() => this.onClose(socket, code, reason.toString()), undefined);
    });
  }

  /** A configuration problem: retrying cannot help, so every waiting subscriber hears it now. */
  private failEverything(err: EngineError): void {
    this.setState('error', { detail: err.message });
    this.topics.refuseAll(err);
  }

  private onOpen(): void {
    this.heartbeat.start();
    if (this.isPrivate) this.sendAuth();
    else this.onReady();
  }

  private onReady(): void {
    this.ready = true;
    this.lastAuthFailure = undefined;
    this.clockCheck = 'no';
    this.setState('open', this.clock.isOff ? { clockOffsetMs: this.clock.offsetMs } : {});
    this.healthyTimer = this.timer(() => this.backoff.reset(), this.timings.healthyAfterMs);
    if (this.streamsWithoutSubscribe()) {
      for (const topic of this.topics.values()) this.topics.confirm(topic);
      return;
    }
    this.topics.requeueAll();
    this.unsubscribeQueue = [];
    this.scheduleFlush();
  }

  /** Spot v1: authenticating already streams every private topic. */
  private streamsWithoutSubscribe(): boolean {
    return this.isPrivate && !this.dialect.privateNeedsSubscribe;
  }

  private sendAuth(): void {
    const creds = this.credentials;
    if (!creds) return;
    const expires = this.clock.now() + SOCKET_LIMITS.authValidityMs;
    this.send(this.dialect.encodeAuth(creds.apiKey, expires, signAuth(creds.apiSecret, expires), this.nextReqId()));
    // A server that never answers the auth would leave the socket open and useless.
    this.authTimer = this.timer(() => {
      this.authTimer = undefined;
      this.onDead('no reply to auth');
    }, this.timings.requestTimeoutMs);
  }

  private onAuth(success: boolean, message: string): void {
    // Only the reply to our own auth counts: a stray one on a public or ready socket is noise.
    if (!this.authTimer) return;
    clearTimeout(this.authTimer);
    this.authTimer = undefined;
    if (success) return this.onReady();
    if (this.checkClock(message)) return;
    const reason = redact(message, this.credentials) || 'rejected';
    const err = new EngineError('auth-failed', reason);
    // Whoever waits now hears it; the topics stay wanted and are subscribed once a retry succeeds.
    this.topics.failWaiters(err);
    // One error per failure, not one per retry: repeats of the same reason stay quiet.
    if (this.lastAuthFailure !== reason) {
      this.lastAuthFailure = reason;
      this.emit('auth-failed', err);
    }
    this.setState('auth-failed', { detail: reason });
    this.dropSocket(this.timings.authRetryMs);
  }

  /**
   * An auth refused as expired may mean the machine's clock is behind: ask the server's time with
   * a ping (its pong carries it) and sign again with it, once. Returns whether that is under way.
   */
  private checkClock(message: string): boolean {
    if (this.clockCheck !== 'no' || !/expire/i.test(message)) return false;
    this.clockCheck = 'waiting';
    this.ping('clock');
    this.authTimer = setTimeout(() => {
      this.authTimer = undefined;
      this.onDead('no reply to auth');
    }, this.timings.requestTimeoutMs);
    return true;
  }

  private ping(id: string): void {
    this.pingSentAt = this.clock.localNow();
    this.send(this.dialect.encodePing(id));
  }

  /** A pong with the server's time keeps the clock measured; an auth waiting on it goes again. */
  private onPong(serverTime: number | undefined): void {
    if (serverTime !== undefined) this.clock.observe(serverTime, this.pingSentAt);
    if (this.clockCheck !== 'waiting' || !this.authTimer) return;
    this.clockCheck = 'done';
    clearTimeout(this.authTimer);
    this.authTimer = undefined;
    if (this.clock.isOff) this.emit('clock-skew', this.clock.offsetMs);
    this.sendAuth();
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
      this.sendRequests('unsubscribe', keys);
    }
    if (this.streamsWithoutSubscribe()) {
      for (const topic of this.topics.values()) if (topic.state !== 'active') this.topics.confirm(topic);
      return;
    }
    const keys = this.topics.takeQueued();
    if (keys.length) this.sendRequests('subscribe', keys);
  }

  private sendRequests(op: RequestOp, keys: string[]): void {
    for (const request of this.dialect.encodeRequests(op, this.endpoint, keys, () => this.nextReqId())) {
      this.requests.track(request);
      this.send(request.frame);
    }
  }

  /** Returns whether to keep the request on record. */
  private onRequestTimeout(request: OutgoingRequest, keys: string[]): boolean {
    if (request.op !== 'subscribe') return false;
    // The callers hear now; the request stays on record so a late reply still confirms its
    // topics, and they are sent again on the next (re)connect in any case.
    this.topics.failWaiters(new EngineError('timeout', 'no reply from the server'), keys);
    return true;
  }

  /** Applies a reply's verdict to the topics of the request it answers. */
  private onAck(reply: AckReply): void {
    const settled = this.requests.settle(reply);
    if (!settled || settled.request.op !== 'subscribe') return;
    const { accepted, refused, reason, resend } = settled.outcome;
    for (const key of accepted) {
      const topic = this.topics.get(key);
      if (topic?.state === 'pending') this.topics.confirm(topic);
    }
    const err = new EngineError('rejected', redact(reason, this.credentials) || 'subscription refused');
    for (const key of refused) this.topics.refuse(key, err);
    // Topics of a request failed for another topic's fault go again, unless their owners left.
    let requeued = false;
    for (const key of resend) {
      const topic = this.topics.get(key);
      if (topic?.state !== 'pending') continue;
      topic.state = 'queued';
      requeued = true;
    }
    if (requeued) this.scheduleFlush();
    if (refused.length && this.topics.size === 0) void this.close();
  }

  /** One frame from the inbox, isolated without a closure per frame (this is the hot path). */
  private readonly onFrame = (data: WebSocket.RawData | null): void => {
    try {
      this.onMessage(data);
    } catch (err) {
      this.reportInternal(err);
    }
  };

  /** A text frame, or null for a binary one. */
  private onMessage(data: WebSocket.RawData | null): void {
    if (this.stopped) return;
    // Alive when a frame is handled, not when it arrives: while a slow flow drains a paused
    // socket's backlog nothing arrives, yet the socket is fine.
    this.heartbeat.alive();
    if (data === null) return this.malformed('binary frame');
    const decoded = this.dialect.decode(data.toString(), this.endpoint);
    switch (decoded.kind) {
      case 'data':
        if (this.tooDeep(decoded.frame)) return;
        return this.onData(decoded.key, decoded.frame);
      case 'multi':
        for (const e of decoded.events) if (!this.tooDeep(e.frame)) this.onData(e.key, e.frame);
        return;
      case 'ack':
        return this.onAck(decoded);
      case 'auth':
        return this.onAuth(decoded.success, decoded.message);
      case 'pong':
        return this.onPong(decoded.serverTime);
      case 'ignored':
        return;
      case 'error':
        this.emit('server-error', redact(decoded.message, this.credentials));
        return;
      case 'malformed':
        return this.malformed(decoded.reason);
    }
  }

  /**
   * A push nested deeper than any of Bybit's is malformed: an item of it would overflow a deep
   * clone later. (JSON.parse copes with any depth, and replies are read field by field.)
   */
  private tooDeep(frame: unknown): boolean {
    if (!nestedDeeper(frame, this.limits.maxNesting)) return false;
    this.malformed(`frame nested deeper than ${this.limits.maxNesting}`);
    return true;
  }

  private malformed(reason: string): void {
    this.stats.malformed++;
    this.emit('malformed', reason, this.stats.malformed);
  }

  private onData(key: string, frame: unknown): void {
    const topic = this.topics.get(key);
    // A push keyed by another name of held topics (V5 `order` for `order.spot`) goes to each of them too.
    for (const alias of this.dialect.dataAliases?.(key) ?? []) if (this.topics.get(alias)) this.onData(alias, frame);
    if (!topic) return;
    if (topic.book) return this.onBookFrame(topic, topic.book, frame);
    if (topic.wire.merge) return this.onMergeFrame(topic, frame);
    this.deliver(topic, frame);
  }

  /**
   * Owners wanting numbers and owners wanting decimal strings each get their own items;
   * with one mode (the usual case) the frame is normalized once.
   */
  private deliver(topic: Topic, frame: unknown): void {
    let numbers: OutputItem[] | undefined;
    let strings: OutputItem[] | undefined;
    for (const [owner, spec] of topic.owners) {
      const inStrings = spec.numbers === 'string';
      let items = inStrings ? strings : numbers;
      if (!items) {
        const read = this.itemsFor(spec, topic.wire.key, frame);
        if (!read) return;
        items = read;
        if (inStrings) strings = read;
        else numbers = read;
      }
      if (items.length) owner.onItems(spec, items);
    }
  }

  /**
   * A frame's items for one owner's spec, or null when the frame is unreadable. The subscription,
   * not the frame, says what a msg is about: an item naming another symbol is malformed.
   */
  private itemsFor(spec: TopicSpec, key: string, frame: unknown): OutputItem[] | null {
    const all = this.dialect.normalize(spec, frame, this.onDropped);
    if (all.length === 0) {
      this.malformed(`unreadable ${key} frame`);
      return null;
    }
    // Nearly always every item belongs: copy the list only when one does not.
    if (all.every((item) => belongsTo(spec, item.symbol))) return all;
    const items = all.filter((item) => belongsTo(spec, item.symbol));
    this.malformed(`${all.length - items.length} ${key} item(s) for another symbol`);
    return items;
  }

  /** An item a normalizer left out (unreadable price, qty, candle): counted like a malformed frame. */
  private readonly onDropped = (reason: string): void => this.malformed(reason);

  /**
   * Snapshot + deltas of changed fields: every item sent is the whole current state. A delta
   * with no snapshot held waits for the next snapshot, and the topic is subscribed afresh when
   * none comes within the request timeout.
   */
  private onMergeFrame(topic: Topic, frame: unknown): void {
    const result = this.dialect.mergeFrame?.(topic.merged, frame) ?? { kind: 'ok', held: undefined, frame };
    if (result.kind === 'malformed') return this.malformed(`${topic.wire.key}: ${result.reason}`);
    if (result.kind === 'ok') {
      if (topic.resyncing) endResync(topic);
      topic.merged = result.held;
      return this.deliver(topic, result.frame);
    }
    if (topic.resyncing) return;
    topic.resyncing = true;
    clearTimeout(topic.resyncTimer);
    topic.resyncTimer = this.timer(() => {
      topic.resyncTimer = undefined;
      if (topic.resyncing && this.topics.get(topic.wire.key) === topic) this.resync(topic, 'no-snapshot');
    }, this.timings.requestTimeoutMs);
  }

  /** A frame with more levels than the book could ever hold is refused before it is applied. */
  private bookFrameProblem(topic: Topic, book: LocalBook, frame: BookFrame): string | undefined {
    const max = Math.max(this.limits.minBookLevels, book.depth * this.limits.bookLevelsPerDepth);
    if (frame.bids.length > max || frame.asks.length > max) return `${topic.wire.key} frame with more than ${max} levels a side`;
    const first = topic.owners.values().next();
    if (!first.done && frame.symbol && !belongsTo(first.value, frame.symbol)) return `${topic.wire.key} frame for ${frame.symbol.slice(0, 40)}`;
    return undefined;
  }

  private onBookFrame(topic: Topic, book: LocalBook, frame: unknown): void {
    const bookFrame = this.dialect.bookFrame(frame);
    if (!bookFrame) return this.malformed(`unreadable ${topic.wire.key} frame`);
    const problem = this.bookFrameProblem(topic, book, bookFrame);
    // A refused delta leaves the book behind the server's: counted, and a fresh snapshot asked for.
    if (problem) this.malformed(problem);
    const result = problem ? 'bad-level' : book.apply(bookFrame);
    if (result === 'ok') {
      if (topic.resyncing) endResync(topic);
      topic.lastRaw = bookFrame.raw;
      for (const [owner, spec] of topic.owners) owner.onBook(spec, book, bookFrame.raw);
      return;
    }
    if (topic.resyncing) return; // deltas still in flight before the fresh snapshot
    topic.resyncing = true;
    this.resync(topic, result);
    if (result === 'gap' && this.uSkips.noteSkip(this.endpoint, topic.wire.key)) {
      book.skipsAllowed = true;
      this.emit('u-skips-allowed', topic.wire.key);
    }
  }

  /**
   * Asks the server for a fresh snapshot of one topic (unsubscribe, then subscribe again), and
   * asks again when none follows in time (lost reply, odd server) rather than staying silent.
   */
  private resync(topic: Topic, why: ResyncReason): void {
    this.emit('resync', topic.wire.key, why);
    if (this.ready) {
      this.sendRequests('unsubscribe', [topic.wire.key]);
      topic.state = 'queued';
      this.scheduleFlush();
    }
    clearTimeout(topic.resyncTimer);
    topic.resyncTimer = this.timer(() => {
      topic.resyncTimer = undefined;
      if (topic.resyncing && this.topics.get(topic.wire.key) === topic) this.resync(topic, 'no-snapshot');
    }, this.timings.requestTimeoutMs);
  }

  private onDead(why: string): void {
    this.emit('dead', why);
    if (this.socket) this.lastSocketError = Object.assign(new Error(why), { code: 'DEAD' });
    this.dropSocket();
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
    // Requests in flight are dropped; their topics are sent again once the socket is back.
    this.requests.clear();
    if (this.stopped) return;
    if (this.topics.size === 0) {
      this.setState('idle');
      return;
    }
    // Until an auth succeeds again, every retry waits the auth retry time: never a hot loop of rejected keys.
    const authFloor = this.stateValue === 'auth-failed' ? this.timings.authRetryMs : 0;
    const delayMs = Math.max(this.backoff.next(), this.minNextDelay, authFloor);
    this.minNextDelay = 0;
    const cause = this.closeCause(code, reason);
    if (this.stateValue !== 'auth-failed') this.setState('reconnecting', { delayMs, detail: describeCause(cause), cause });
    this.reconnectTimer = this.timer(() => {
      this.reconnectTimer = undefined;
      this.start();
    }, delayMs);
  }

  /** Why the socket closed, in the server's words at most (credentials redacted). */
  private closeCause(code: number, reason: string): DisconnectCause {
    const err = this.lastSocketError;
    this.lastSocketError = undefined;
    if ((err as { code?: string } | undefined)?.code === 'DEAD') return { kind: 'dead', detail: err?.message ?? '' };
    return causeOfClose(err, code, redact(reason, this.credentials));
  }

  /**
   * Runs engine code for a socket event or a timer: whatever it throws is caught and reported
   * as 'internal-error', so one bad frame or one failing listener never takes the process down.
   */
  private isolated<T>(fn: () => T, fallback: T): T {
    try {
      return fn();
    } catch (err) {
      this.reportInternal(err);
      return fallback;
    }
  }

  private reportInternal(err: unknown): void {
    try {
      this.emit('internal-error', err instanceof Error ? err : new Error(String(err)));
    } catch {
      // A failing error listener has nobody left to tell.
    }
  }

  /** setTimeout through `isolated`. */
  private timer(fn: () => void, ms: number): NodeJS.Timeout {
    return setTimeout(() => this.isolated(fn, undefined), ms);
  }

  private clearTimers(): void {
    this.topics.endResyncs();
    this.heartbeat.stop();
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.healthyTimer);
    clearTimeout(this.authTimer);
    this.reconnectTimer = this.healthyTimer = this.authTimer = undefined;
  }

  private send(frame: string): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(frame);
  }

  private nextReqId(): string {
    return String(++this.reqSeq);
  }
}
