/**
 * The contract every wire dialect (v5, spot-v3, spot-v1) fulfils. The engine only talks to
 * this interface, so it never needs to know which protocol a socket speaks.
 */
import type { BookFrame } from '../book/frame';
import type { OutputItem } from './payloads';
import type { NumbersMode } from './fields';

/** Items are declared with their payloads; the engine reads the type from here. */
export type { OutputItem };

export type ApiName = 'v5' | 'spot-v3' | 'spot-v1';
/**
 * Where to connect. The `mainnet-<region>` values are Bybit's regional mainnet hosts, same paths
 * (v5 websocket/wss-authentication.mdx: accounts registered at bybit.tr, bybit.kz, bybit.id,
 * bybitgeorgia.ge or manepa.jp use stream.bybit.tr, … for mainnet).
 */
export type Network = 'mainnet' | 'testnet' | 'demo' | 'custom' | RegionalNetwork;
export type RegionalNetwork = 'mainnet-tr' | 'mainnet-kz' | 'mainnet-id' | 'mainnet-ge' | 'mainnet-jp';

export type PublicChannel = 'trade' | 'ticker' | 'kline' | 'orderbook' | 'bookticker' | 'liquidation';
export type PrivateChannel = 'account' | 'order' | 'execution' | 'position';

/** Bybit's product lines; spot-v3 and spot-v1 know only spot. */
export const CATEGORIES = ['spot', 'linear', 'inverse', 'option'] as const;
export type Category = (typeof CATEGORIES)[number];
/** What a node may ask for: one category, or (private order/execution/position) every one. */
export type CategoryChoice = Category | 'all';
export type Channel = PublicChannel | PrivateChannel;

/** Kline intervals in V5 words; every dialect maps them to its own. */
export const KLINE_INTERVALS = ['1', '3', '5', '15', '30', '60', '120', '240', '360', '720', 'D', 'W', 'M'] as const;
export type KlineInterval = (typeof KLINE_INTERVALS)[number];

/** What a node asks for, in dialect-neutral words. */
export interface TopicSpec {
  channel: Channel;
  /** Public channels: one symbol. Private channels: absent (the stream carries every symbol). */
  symbol?: string;
  interval?: KlineInterval;
  /** Order book: the depth the node asked for; `wireTopics` picks the stream with the dialect's `bookDepth`. */
  depth?: number;
  /** V5 category; absent means spot (position: linear). `all`: the all-in-one private topic. */
  category?: CategoryChoice;
  /** Prices, quantities and amounts as numbers (default) or as Bybit's decimal strings. */
  numbers?: NumbersMode;
}

/**
 * A subscription as the wire sees it. `key` identifies it on its socket (for V5 it is the topic
 * string) and is what data frames are routed by; `endpoint` picks the socket.
 */
export interface WireTopic {
  endpoint: EndpointName;
  key: string;
  /** True when frames feed a local order book (orderbook, and V5 bookticker from orderbook.1). */
  book: boolean;
  /** True when frames are a snapshot then deltas of changed fields, merged by `mergeFrame` (V5 linear/inverse tickers). */
  merge?: boolean;
}

/** A merged frame (the whole current state), or why a frame could not be merged. */
export type MergeResult = { kind: 'ok'; held: unknown; frame: unknown } | { kind: 'no-snapshot' } | { kind: 'malformed'; reason: string };

/** Sockets a config node may open: v1 serves bookTicker on a second public path; V5 one per category; 'trade' is the V5 order socket (engine/trade.ts), not a stream. */
export type EndpointName = 'public' | 'public2' | 'private' | 'trade' | 'public-linear' | 'public-inverse' | 'public-option';

export type Endpoints = Partial<Record<EndpointName, string>>;

export type RequestOp = 'subscribe' | 'unsubscribe';

/** One request frame and the topic keys it carries, so replies can be matched to topics. */
export interface OutgoingRequest {
  frame: string;
  reqId?: string;
  keys: string[];
  op: RequestOp;
}

/**
 * A reply to a subscribe or unsubscribe as its dialect reads it: the keys it accepts and
 * refuses by name, and what it says about the other keys of the request it answers. The
 * engine finds that request (by `reqId`, else by `op` and the keys named) and applies this.
 */
export interface AckReply {
  kind: 'ack';
  /** Absent when the reply does not say (V5 option `COMMAND_RESP`): it may answer either op. */
  op?: RequestOp;
  /** The echoed req_id; absent when none came back (Bybit's private reply has none, V5 linear echoes ""). */
  reqId?: string;
  accepted: string[];
  refused: string[];
  /** Why keys were refused, in the server's words ('' when it gave none). */
  reason: string;
  /**
   * The request's keys this reply does not name: all taken (a success, "already subscribed"),
   * all refused, to be sent again (the server failed the request for another key's fault), or
   * still awaited (each key gets a reply of its own, spot v1).
   */
  rest: 'accepted' | 'refused' | 'resend' | 'awaited';
}

/** A server frame after decoding: everything the engine needs, nothing it must re-parse. */
export type Decoded =
  | { kind: 'data'; key: string; frame: unknown }
  /** One frame carrying several topics' data (spot v1 private arrays keyed by `e`). */
  | { kind: 'multi'; events: { key: string; frame: unknown }[] }
  | AckReply
  | { kind: 'auth'; success: boolean; message: string }
  /** serverTime: the server's clock in ms, where the pong carries it (V5 private and option pongs). */
  | { kind: 'pong'; serverTime?: number }
  | { kind: 'error'; message: string; reqId?: string }
  | { kind: 'ignored' }
  | { kind: 'malformed'; reason: string };

export interface Dialect {
  readonly name: ApiName;
  /** Most topics one subscribe request may carry. */
  readonly maxArgsPerRequest: number;
  /** False when authenticating already delivers every private topic (spot v1). */
  readonly privateNeedsSubscribe: boolean;
  endpoints(network: Network, custom?: { publicUrl?: string; privateUrl?: string }): Endpoints;
  /** Order-book stream depth for a requested depth (smallest at or above, else the largest). */
  bookDepth(requested: number, category?: Category): number;
  /** Wire topics behind a spec: usually one; v3/v1 orders are two (order + stop order). */
  wireTopics(spec: TopicSpec): WireTopic[];
  encodePing(id: string): string;
  encodeAuth(apiKey: string, expires: number, signature: string, reqId: string): string;
  /** Splits keys into as many requests as the dialect's limits need. */
  encodeRequests(op: RequestOp, endpoint: EndpointName, keys: string[], nextReqId: () => string): OutgoingRequest[];
  decode(text: string, endpoint: EndpointName): Decoded;
  /**
   * Turns one data frame of a non-book topic into output items, one per message to send.
   * `dropped` hears of each item left out because an essential field was unreadable.
   */
  normalize(spec: TopicSpec, frame: unknown, dropped?: (reason: string) => void): OutputItem[];
  /** Reads an order-book frame (topics whose WireTopic.book is true); null when unreadable. */
  bookFrame(frame: unknown): BookFrame | null;
  /** The categories this dialect streams (spot-v3 and spot-v1: spot only). */
  readonly categories: readonly Category[];
  /** Folds a frame of a `merge` topic into what is held (undefined before the first snapshot). */
  mergeFrame?(held: unknown, frame: unknown): MergeResult;
  /** Other topic keys a data frame keyed `key` may belong to (V5 pushes `order` to an `order.spot` subscriber). */
  dataAliases?(key: string): readonly string[];
}
