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
import { argsCost, resolveTimings, SOCKET_LIMITS, type ConnectionTimings, type ResolvedTimings } from './options';
import { Subscriber, type SubscriberHandlers } from './subscriber';
import { TradeConnection } from './trade';
import { tradeEndpoint } from '../dialects/v5-trade';
import { TypedEmitter } from './typed-emitter';
import { ServerClock } from './clock';
import { USkipPolicy } from './u-skips';

export interface ClientOptions extends ConnectionTimings {
  api?: ApiName;
  network?: Network;
  publicUrl?: string;
  privateUrl?: string;
  /** For spot v1, the bookTicker (v2) path when network is custom. */
  public2Url?: string;
  /** The order socket when network is custom (default: privateUrl with /private → /trade). */
  tradeUrl?: string;
  credentials?: Credentials;
  backoff?: BackoffOptions;
  /** The machine's clock (default Date.now); the server's time is measured against it. */
  now?: () => number;
  /** Orders may be sent (the connection's "Allow orders" box); off by default. */
  allowOrders?: boolean;
  /** An order request without a reply this long fails (default 10 s, at most 30 s). */
  orderTimeoutMs?: number;
  /** Size limits (frame bytes, nesting, book levels, throttle window); defaults for those not given. */
  limits?: Partial<Limits>;
}

/** What a client tells its users: its connections' events, with the endpoint where useful. */
export type ClientEvents = {
  /** The state of an endpoint's sockets (see lastState; never of one just closed for being idle). */
  state: [event: ConnectionStateEvent];
  malformed: [reason: string, count: number, endpoint: EndpointName];
  'auth-failed': [error: EngineError];
  resync: [key: string, why: ResyncReason];
  dead: [why: string, endpoint: EndpointName];
  'server-error': [message: string, endpoint: EndpointName];
  /** The machine's clock is off by this much (server minus local, ms); auth now signs with the server's time. */
  'clock-skew': [offsetMs: number];
  /** A book topic broke only on skipped update ids too often: from now on its skips are allowed (once per topic). */
  'u-skips-allowed': [key: string, endpoint: EndpointName];
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
  /** Each endpoint's sockets: as many as its topics' args budget needs. */
  private readonly pools = new Map<EndpointName, Connection[]>();
  /** The closing event of an endpoint whose last socket closed, for nodes that ask later. */
  private readonly lastClosed = new Map<EndpointName, ConnectionStateEvent>();
  private tradeConnection?: TradeConnection;
  private closed = false;
  private readonly clock: ServerClock;
  private readonly uSkips: USkipPolicy;

  constructor(opts: ClientOptions = {}) {
    super();
    this.opts = opts;
    this.timings = resolveTimings(opts);
    this.clock = new ServerClock(opts.now);
    this.uSkips = new USkipPolicy(() => this.clock.localNow());
    this.limits = resolveLimits(opts.limits);
    this.dialect = getDialect(opts.api ?? 'v5');
    this.endpoints = this.dialect.endpoints(opts.network ?? 'mainnet', { publicUrl: opts.publicUrl, privateUrl: opts.privateUrl });
    if (opts.network === 'custom' && opts.public2Url) this.endpoints.public2 = opts.public2Url;
  }

  get hasCredentials(): boolean {
    return Boolean(this.opts.credentials?.apiKey && this.opts.credentials?.apiSecret);
  }

  /** The V5 Trade API's URL for this network, undefined where Bybit has none (demo) or for other APIs. */
  get tradeUrl(): string | undefined {
    if (this.dialect.name !== 'v5') return undefined;
    return tradeEndpoint(this.network, { tradeUrl: this.opts.tradeUrl, privateUrl: this.opts.privateUrl });
  }

  get network(): Network {
    return this.opts.network ?? 'mainnet';
  }

  get allowOrders(): boolean {
    return this.opts.allowOrders === true;
  }

  /** The order socket, made on first use; throws unless orders are allowed and Bybit has a Trade API here. */
  trade(): TradeConnection {
    if (this.closed) throw new EngineError('closed', 'client closed');
    if (!this.allowOrders) throw new EngineError('orders-off', 'orders are not allowed on this connection');
    if (this.tradeConnection) return this.tradeConnection;
    const conn = new TradeConnection({
      url: this.tradeUrl,
      credentials: this.hasCredentials ? this.opts.credentials : undefined,
      timings: this.timings,
      backoff: new Backoff(this.opts.backoff),
      replyTimeoutMs: this.opts.orderTimeoutMs ?? 10_000,
    });
    conn.on('state', (ev) => this.emit('state', ev));
    conn.on('malformed', (reason, count) => this.emit('malformed', reason, count, 'trade'));
    conn.on('auth-failed', (err) => this.emit('auth-failed', err));
    conn.on('dead', (why) => this.emit('dead', why, 'trade'));
    this.tradeConnection = conn;
    return conn;
  }

  subscriber(handlers: SubscriberHandlers): Subscriber {
    return new Subscriber(this, handlers);
  }

  /**
   * The connection that is to carry a wire topic: the one that already does, else the first of
   * its endpoint's sockets with room left in its args budget, else a new socket.
   */
  connectionFor(wire: WireTopic): Connection {
    const holder = this.holderOf(wire);
    if (holder) return holder;
    const cost = argsCost(wire.key);
    const budget = argsBudget(wire.endpoint);
    return this.live(wire.endpoint).find((c) => c.argsChars + cost <= budget) ?? this.open(wire.endpoint);
  }

  /** The connection that carries a wire topic, if any: releasing never needs to create one. */
  holderOf(wire: WireTopic): Connection | undefined {
    return this.live(wire.endpoint).find((c) => c.holds(wire.key));
  }

  /** The first socket of an endpoint, created on first use (its socket opens on first acquire). */
  connection(endpoint: EndpointName): Connection {
    return this.live(endpoint)[0] ?? this.open(endpoint);
  }

  /** The first socket of an endpoint if one exists. */
  existingConnection(endpoint: EndpointName): Connection | undefined {
    return this.live(endpoint)[0];
  }

  /** Every socket of an endpoint that is not closed for good, in the order they were opened. */
  connectionsOf(endpoint: EndpointName): Connection[] {
    return this.live(endpoint);
  }

  /** Current state of one endpoint ('idle' when never opened); see lastState. */
  stateOf(endpoint: EndpointName): ConnectionStateEvent['state'] {
    return this.lastState(endpoint)?.state ?? 'idle';
  }

  /**
   * The last state event of one endpoint, with its reason (undefined when never opened). With
   * several sockets it is the worst of theirs: one socket reconnecting is news for the endpoint.
   */
  lastState(endpoint: EndpointName): ConnectionStateEvent | undefined {
    if (endpoint === 'trade') return this.tradeConnection?.lastStateEvent;
    const live = this.live(endpoint);
    return live.length ? worstState(live) : this.lastClosed.get(endpoint);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...[...this.pools.values()].flat(), ...(this.tradeConnection ? [this.tradeConnection] : [])].map((c) => c.close()));
    this.pools.clear();
    this.removeAllListeners();
  }

  /** A new socket for an endpoint (it opens on first acquire). */
  private open(endpoint: EndpointName): Connection {
    if (this.closed) throw new EngineError('closed', 'client closed');
    const conn = new Connection({
      ...this.timings,
      dialect: this.dialect,
      endpoint,
      url: this.endpoints[endpoint] ?? '',
      credentials: endpoint === 'private' && this.hasCredentials ? this.opts.credentials : undefined,
      backoff: new Backoff(this.opts.backoff),
      clock: this.clock,
      uSkips: this.uSkips,
      limits: this.limits,
    });
    this.forward(conn, endpoint);
    this.pools.set(endpoint, [...this.live(endpoint), conn]);
    return conn;
  }

  private live(endpoint: EndpointName): Connection[] {
    return (this.pools.get(endpoint) ?? []).filter((c) => !c.isStopped);
  }

  private forward(conn: Connection, endpoint: EndpointName): void {
    // A socket closed for being empty still reports its close later; while other sockets serve
    // the endpoint, theirs is the state the nodes must show.
    conn.on('state', (ev) => {
      if (ev.state === 'closed') this.retire(conn, ev);
      const current = this.lastState(endpoint);
      if (current) this.emit('state', current);
    });
    conn.on('malformed', (reason, count) => this.emit('malformed', reason, count, endpoint));
    conn.on('auth-failed', (err) => this.emit('auth-failed', err));
    conn.on('resync', (key, why) => this.emit('resync', key, why));
    conn.on('dead', (why) => this.emit('dead', why, endpoint));
    conn.on('server-error', (msg) => this.emit('server-error', msg, endpoint));
    conn.on('clock-skew', (offsetMs) => this.emit('clock-skew', offsetMs));
    conn.on('u-skips-allowed', (key) => this.emit('u-skips-allowed', key, endpoint));
    conn.on('socket-error', (err) => this.emit('socket-error', err, endpoint));
    conn.on('internal-error', (err) => this.emit('internal-error', err, endpoint));
  }

  /** A socket closed for good leaves its endpoint's pool; the last one's close stays on record. */
  private retire(conn: Connection, ev: ConnectionStateEvent): void {
    const pool = (this.pools.get(conn.endpoint) ?? []).filter((c) => c !== conn);
    this.pools.set(conn.endpoint, pool);
    if (!pool.some((c) => !c.isStopped)) this.lastClosed.set(conn.endpoint, ev);
  }
}

/** How bad a state is for the nodes: the worst of an endpoint's sockets is what they show. */
const SEVERITY: Record<ConnectionStateEvent['state'], number> = {
  closed: 0, idle: 1, open: 2, connecting: 3, reconnecting: 4, 'auth-failed': 5, error: 6,
};

/** The worst state event among sockets (undefined when none has one yet). */
export function worstState(conns: readonly Connection[]): ConnectionStateEvent | undefined {
  let worst: ConnectionStateEvent | undefined;
  for (const c of conns) {
    const ev = c.lastStateEvent;
    if (ev && (!worst || SEVERITY[ev.state] > SEVERITY[worst.state])) worst = ev;
  }
  return worst;
}

/** Characters of topics one socket of an endpoint may hold; private sockets carry a few short topics. */
function argsBudget(endpoint: EndpointName): number {
  return endpoint === 'private' ? Infinity : SOCKET_LIMITS.publicArgsChars;
}
