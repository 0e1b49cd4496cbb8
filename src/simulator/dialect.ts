/**
 * The seam between the server core and the wire dialects. A dialect parses client frames,
 * replies, and encodes market/account data for the topics its sockets subscribed to.
 */
import type { AccountEvent, Accounts } from './account';
import type { Credential } from './auth';
import type { BookDelta } from './book';
import type { Faults } from './faults';
import type { FeedKey, Market, TickResult } from './market';
import type { Session } from './session';

/**
 * Wire choices where Bybit's documents leave room, or where the client side still needs the
 * old behaviour (see README): plain state, changed through the Simulator or control routes.
 */
export interface WireOptions {
  /** V5 private auth/subscribe replies echo req_id (the Connect page's samples have none): default false */
  echoPrivateReqId: boolean;
  /** topic of a push for a categorised private subscription: as subscribed (`order.spot`, default) or `order` */
  categorisedPushTopic: 'subscribed' | 'all-in-one';
  /** spot v1 executionReport as the docs print it, a bare object (default), or wrapped in an array like the other v1 events */
  v1ExecutionReport: 'object' | 'array';
}

export const DEFAULT_WIRE: Readonly<WireOptions> = { echoPrivateReqId: false, categorisedPushTopic: 'subscribed', v1ExecutionReport: 'object' };

/**
 * The older, undocumented shapes today's client still relies on (it matches private replies by
 * req_id and reads v1 events as arrays only). Tests of that client opt in until it is fixed.
 */
export const LEGACY_CLIENT_WIRE: Readonly<Partial<WireOptions>> = { echoPrivateReqId: true, v1ExecutionReport: 'array' };

export interface DialectContext {
  readonly market: Market;
  readonly faults: Faults;
  readonly wire: WireOptions;
  readonly accounts: Accounts;
  /** API keys accepted by private paths */
  readonly credentials: readonly Credential[];
  /** the server's clock (wall clock plus the simulated offset) */
  now(): number;
  /** Reports topics that became subscribed (emits 'subscribe'). */
  subscribed(session: Session, topics: string[]): void;
  /** Reports topics that were removed (emits 'unsubscribe'). */
  unsubscribed(session: Session, topics: string[]): void;
  log(line: string): void;
}

export interface Dialect {
  /** short stable name, e.g. "v5-public"; also keys the per-tick encode cache */
  readonly name: string;
  onOpen?(session: Session): void;
  /** A client frame: `frame` is the parsed JSON, or undefined with `decodeError` set. */
  onFrame(session: Session, text: string, frame: unknown, decodeError: string | undefined): void;
  /** The market feed behind one of this dialect's topics (public dialects). */
  feedOf?(topic: string): FeedKey | undefined;
  /** The same dialect encoding from another market model (load mode's private, seeded copy). */
  withMarket?(market: Market): Dialect;
  /** This tick's frames for a subscribed topic (already JSON text). */
  encodeTick?(topic: string, tick: TickResult): string[];
  /** A full book snapshot frame for a book topic (restart hook). */
  encodeBookSnapshot?(topic: string, now: number): string | undefined;
  /** A private account change for this socket's key (private dialects; they check topics). */
  onAccountEvent?(session: Session, ev: AccountEvent): void;
  /** A book delta frame for a book topic (crossed-delta hook). */
  encodeBookDelta?(topic: string, delta: BookDelta, now: number): string | undefined;
}
