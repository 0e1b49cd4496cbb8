/**
 * The engine's front door: one client per config node. It resolves endpoints from the
 * dialect and network, opens connections lazily, decides which connection serves a wire
 * topic, and hands out Subscribers, one per user (node), that remember what they asked for.
 */
import type { ApiName, Dialect, EndpointName, Endpoints, Network, WireTopic } from '../dialects/types';
import { getDialect } from '../dialects';
import type { Credentials } from './auth';
import { Backoff, type BackoffOptions } from './backoff';
import { Connection, type ConnectionStateEvent, type ResyncReason } from './connection';
import { EngineError } from './errors';
import { resolveLimits, type Limits } from './limits';
import { resolveTimings, type ConnectionTimings, type ResolvedTimings } from './options';
import { Subscriber, type SubscriberHandlers } from './subscriber';
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
  /** Size limits (frame bytes, nesting, book levels, throttle window); defaults for those not given. */
  limits?: Partial<Limits>;
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
  /** The socket's own `error` event (refused, DNS, TLS, ...); a close with its cause follows. */
  'socket-error': [error: Error, endpoint: EndpointName];
  /** Engine code failed on a frame or in a timer; caught, and the stream goes on. */
  'internal-error': [error: Error, endpoint: EndpointName];
};

export class BybitClient extends TypedEmitter<ClientEvents> {
  readonly dialect: Dialect;
  readonly endpoints: Endpoints;
  private readonly opts: ClientOptions;
  private readonly timings: ResolvedTimings;
  /** The limits every connection of this client applies; nodes read the throttle one. */
  readonly limits: Limits;
  private readonly connections = new Map<EndpointName, Connection>();
  private closed = false;

  constructor(opts: ClientOptions = {}) {
    super();
    this.opts = opts;
    this.timings = resolveTimings(opts);
    this.limits = resolveLimits(opts.limits);
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

  /**
   * The connection that is to carry a wire topic, created on first use. Today one per endpoint;
   * this is where an endpoint's topics would be spread over several sockets.
   */
  connectionFor(wire: WireTopic): Connection {
    return this.connection(wire.endpoint);
  }

  /** The connection that carries a wire topic, if any: releasing never needs to create one. */
  holderOf(wire: WireTopic): Connection | undefined {
    return this.connections.get(wire.endpoint);
  }

  /** The connection for an endpoint, created on first use (its socket opens on first acquire). */
  connection(endpoint: EndpointName): Connection {
    if (this.closed) throw new EngineError('closed', 'client closed');
    const existing = this.connections.get(endpoint);
    if (existing && !existing.isStopped) return existing;
    const conn = new Connection({
      ...this.timings,
      dialect: this.dialect,
      endpoint,
      url: this.endpoints[endpoint] ?? '',
      credentials: endpoint === 'private' && this.hasCredentials ? this.opts.credentials : undefined,
      backoff: new Backoff(this.opts.backoff),
      limits: this.limits,
    });
    this.forward(conn, endpoint);
    this.connections.set(endpoint, conn);
    return conn;
  }

  /** The connection for an endpoint if one exists. */
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

  private forward(conn: Connection, endpoint: EndpointName): void {
    // A connection closed for being idle still reports its close later; by then a new one may
    // serve the endpoint, and its state is the one the nodes must show.
    conn.on('state', (ev) => {
      if (this.connections.get(endpoint) === conn) this.emit('state', ev);
    });
    conn.on('malformed', (reason, count) => this.emit('malformed', reason, count, endpoint));
    conn.on('auth-failed', (err) => this.emit('auth-failed', err));
    conn.on('resync', (key, why) => this.emit('resync', key, why));
    conn.on('dead', (why) => this.emit('dead', why, endpoint));
    conn.on('server-error', (msg) => this.emit('server-error', msg, endpoint));
    conn.on('socket-error', (err) => this.emit('socket-error', err, endpoint));
    conn.on('internal-error', (err) => this.emit('internal-error', err, endpoint));
  }
}
