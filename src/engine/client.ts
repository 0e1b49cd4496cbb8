/**
 * The engine's front door: one client per config node. It resolves endpoints from the
 * dialect and network, opens at most one Connection per endpoint (lazily), and hands out
 * Subscribers, one per user (node), that remember what they asked for.
 */
import type { ApiName, Dialect, EndpointName, Endpoints, Network, OutputItem, TopicSpec } from '../dialects/types';
import { getDialect } from '../dialects';
import type { LocalBook } from '../book/local-book';
import { Backoff, type BackoffOptions } from './backoff';
import { Connection, type ConnectionStateEvent, type ConnectionTimings, type Credentials, type ResyncReason, type TopicOwner } from './connection';
import { EngineError } from './errors';
import { TypedEmitter } from './typed-emitter';

export interface ClientOptions extends ConnectionTimings {
  api?: ApiName;
  network?: Network;
  publicUrl?: string;
  privateUrl?: string;
  /** For spot v1, the bookTicker (v2) path when network is custom. */
  public2Url?: string;
  credentials?: Credentials;
  backoff?: BackoffOptions;
}

export interface SubscriberHandlers {
  items?(spec: TopicSpec, items: OutputItem[]): void;
  book?(spec: TopicSpec, book: LocalBook, raw: unknown): void;
  topicError?(spec: TopicSpec, error: EngineError): void;
  state?(event: ConnectionStateEvent): void;
  /** The server refused the credentials: once per failure, not once per retry. */
  authFailed?(error: EngineError): void;
}

/** What a client tells its users: its connections' events, with the endpoint where useful. */
export type ClientEvents = {
  /** The state of the socket now serving an endpoint (never of one it just closed for being idle). */
  state: [event: ConnectionStateEvent];
  malformed: [reason: string, count: number, endpoint: EndpointName];
  'auth-failed': [error: EngineError];
  resync: [key: string, why: ResyncReason];
  dead: [why: string, endpoint: EndpointName];
  'server-error': [message: string, endpoint: EndpointName];
};

export class BybitClient extends TypedEmitter<ClientEvents> {
  readonly dialect: Dialect;
  readonly endpoints: Endpoints;
  private readonly opts: ClientOptions;
  private readonly connections = new Map<EndpointName, Connection>();
  private closed = false;

  constructor(opts: ClientOptions = {}) {
    super();
    this.opts = opts;
    this.dialect = getDialect(opts.api ?? 'v5');
    this.endpoints = this.dialect.endpoints(opts.network ?? 'mainnet', { publicUrl: opts.publicUrl, privateUrl: opts.privateUrl });
    if (opts.network === 'custom' && opts.public2Url) this.endpoints.public2 = opts.public2Url;
  }

  get hasCredentials(): boolean {
    return Boolean(this.opts.credentials?.apiKey && this.opts.credentials?.apiSecret);
  }

  subscriber(handlers: SubscriberHandlers): Subscriber {
    return new Subscriber(this, handlers);
  }

  /** The connection for an endpoint, created on first use (its socket opens on first acquire). */
  connection(endpoint: EndpointName): Connection {
    if (this.closed) throw new EngineError('closed', 'client closed');
    let conn = this.connections.get(endpoint);
    if (!conn || conn.isStopped) {
      const { pingIntervalMs, pongTimeoutMs, requestTimeoutMs, healthyAfterMs, authRetryMs } = this.opts;
      conn = new Connection({
        dialect: this.dialect,
        endpoint,
        url: this.endpoints[endpoint] ?? '',
        credentials: endpoint === 'private' && this.hasCredentials ? this.opts.credentials : undefined,
        pingIntervalMs, pongTimeoutMs, requestTimeoutMs, healthyAfterMs, authRetryMs,
        backoff: new Backoff(this.opts.backoff),
      });
      const current = conn;
      // A connection closed for being idle still reports its close later; by then a new one may
      // serve the endpoint, and its state is the one the nodes must show.
      conn.on('state', (ev) => {
        if (this.connections.get(endpoint) === current) this.emit('state', ev);
      });
      conn.on('malformed', (reason, count) => this.emit('malformed', reason, count, endpoint));
      conn.on('auth-failed', (err) => this.emit('auth-failed', err));
      conn.on('resync', (key, why) => this.emit('resync', key, why));
      conn.on('dead', (why) => this.emit('dead', why, endpoint));
      conn.on('server-error', (msg) => this.emit('server-error', msg, endpoint));
      this.connections.set(endpoint, conn);
    }
    return conn;
  }

  /** The connection for an endpoint if one exists; releasing never needs to create one. */
  existingConnection(endpoint: EndpointName): Connection | undefined {
    return this.connections.get(endpoint);
  }

  /** Current state of one endpoint's socket ('idle' when never opened). */
  stateOf(endpoint: EndpointName): ConnectionStateEvent['state'] {
    return this.lastState(endpoint)?.state ?? 'idle';
  }

  /** The last state event of one endpoint's socket, with its reason (undefined when never opened). */
  lastState(endpoint: EndpointName): ConnectionStateEvent | undefined {
    return this.connections.get(endpoint)?.lastStateEvent;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.connections.values()].map((c) => c.close()));
    this.connections.clear();
    this.removeAllListeners();
  }
}

/** One user's topics on a client; removing the user (close) releases them all. */
export class Subscriber implements TopicOwner {
  private readonly specs = new Map<string, TopicSpec>();
  private readonly onState: (ev: ConnectionStateEvent) => void;
  private readonly onAuthFailed: (err: EngineError) => void;

  constructor(private readonly client: BybitClient, private readonly handlers: SubscriberHandlers) {
    this.onState = (ev) => this.handlers.state?.(ev);
    this.onAuthFailed = (err) => this.handlers.authFailed?.(err);
    client.on('state', this.onState);
    client.on('auth-failed', this.onAuthFailed);
  }

  /** Subscribes; resolves when the server confirmed, rejects with its reason. Idempotent. */
  add(spec: TopicSpec): Promise<void> {
    const id = specId(spec);
    this.specs.set(id, spec);
    const wires = this.client.dialect.wireTopics(spec);
    let waits: Promise<void>[];
    try {
      waits = wires.map((w) => this.client.connection(w.endpoint).acquire(this, spec, w));
    } catch (err) {
      this.specs.delete(id);
      return Promise.reject(err);
    }
    return Promise.all(waits).then(
      () => undefined,
      (err: unknown) => {
        // A refused topic is no longer ours, so `list` does not show it. Timeouts and rejected
        // auth leave it wanted: the connection sends it again after the next (re)connect.
        if (err instanceof EngineError && !RETRIED.has(err.code)) this.specs.delete(id);
        throw err;
      },
    );
  }

  remove(spec: TopicSpec): boolean {
    const id = specId(spec);
    const known = this.specs.get(id);
    if (!known) return false;
    this.specs.delete(id);
    for (const w of this.client.dialect.wireTopics(known)) this.client.existingConnection(w.endpoint)?.release(this, w.key);
    return true;
  }

  removeAll(): void {
    for (const spec of [...this.specs.values()]) this.remove(spec);
  }

  list(): TopicSpec[] {
    return [...this.specs.values()];
  }

  /** Releases every topic and stops listening to the client. */
  close(): void {
    this.client.off('state', this.onState);
    this.client.off('auth-failed', this.onAuthFailed);
    this.removeAll();
  }

  onItems(spec: TopicSpec, items: OutputItem[]): void {
    this.handlers.items?.(spec, items);
  }

  onBook(spec: TopicSpec, book: LocalBook, raw: unknown): void {
    this.handlers.book?.(spec, book, raw);
  }

  onTopicError(spec: TopicSpec, error: EngineError): void {
    this.specs.delete(specId(spec));
    this.handlers.topicError?.(spec, error);
  }
}

const RETRIED = new Set<EngineError['code']>(['timeout', 'closed', 'auth-failed']);

export function specId(spec: TopicSpec): string {
  return `${spec.channel}|${spec.symbol ?? ''}|${spec.interval ?? ''}|${spec.depth ?? ''}`;
}
