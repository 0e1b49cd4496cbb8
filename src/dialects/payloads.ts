/**
 * What a flow receives: the normalized payload of every channel, the same in every dialect,
 * and the one rule that names a msg's topic. Dialects and nodes build these; users and tests
 * read them without casting.
 */
import type { BookTickerPayload, OrderBookPayload } from '../book/payloads';
import type { Channel, KlineInterval, TopicSpec } from './types';

export type { BookTickerPayload, OrderBookPayload };

/** One public trade; `side` is the taker's. */
export interface TradePayload {
  symbol: string;
  id: string;
  price: number;
  qty: number;
  side: string;
  time: number;
}

/** 24-hour statistics; `change24h` is a fraction (0.02 = +2 %). */
export interface TickerPayload {
  symbol: string;
  lastPrice: number;
  openPrice24h: number;
  highPrice24h: number;
  lowPrice24h: number;
  volume24h: number;
  turnover24h: number;
  change24h: number;
  usdIndexPrice: number | null;
  time: number;
}

/** One candle update; spot v3/v1 send neither `turnover` nor `confirm` (null). */
export interface KlinePayload {
  symbol: string;
  interval: KlineInterval;
  start: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  turnover: number | null;
  confirm: boolean | null;
  time: number;
}

export interface Balance {
  coin: string;
  total: number;
  free: number;
  locked: number;
}

/** The coins a push changed, not necessarily every coin of the account. */
export interface AccountPayload {
  time: number;
  balances: Balance[];
}

/** One order update; `status` in V5 words whatever the dialect. */
export interface OrderPayload {
  symbol: string;
  orderId: string;
  clientOrderId: string | null;
  side: string;
  type: string;
  timeInForce: string;
  price: number;
  qty: number;
  status: string;
  cumQty: number;
  cumQuote: number;
  avgPrice: number | null;
  createdTime: number;
  updatedTime: number;
}

/** One fill; spot v3/v1 send no fee. */
export interface ExecutionPayload {
  symbol: string;
  execId: string | null;
  orderId: string | null;
  clientOrderId: string | null;
  side: string | null;
  price: number | null;
  qty: number | null;
  fee: number | null;
  feeCoin: string | null;
  isMaker: boolean;
  time: number;
}

export interface PayloadByChannel {
  trade: TradePayload;
  ticker: TickerPayload;
  kline: KlinePayload;
  orderbook: OrderBookPayload;
  bookticker: BookTickerPayload;
  account: AccountPayload;
  order: OrderPayload;
  execution: ExecutionPayload;
}

/** A normalized item of one channel, ready to become a msg. */
export interface ItemOf<C extends Channel> {
  channel: C;
  /** msg.topic, built by messageTopic. */
  topic: string;
  /** Empty for account items. */
  symbol: string;
  payload: PayloadByChannel[C];
  /** The exchange's own data item(s) behind this message (raw output mode). */
  raw: unknown;
}

/** Every channel's item; `channel` tells them apart. */
export type OutputItem = { [C in Channel]: ItemOf<C> }[Channel];

/** Narrows an item to one channel's (a check, not a cast). */
export function isItemOf<C extends Channel>(item: OutputItem, channel: C): item is OutputItem & ItemOf<C> {
  return item.channel === channel;
}

/**
 * The one rule for msg.topic: `<channel>[.<interval>][.<SYMBOL>]`, the same words in every
 * dialect ("trade.BTCUSDT", "kline.5.BTCUSDT", "account"). `symbol` is the item's (a private
 * stream carries every symbol); the rest comes from the subscription. A V5 category other
 * than spot will go right after the channel ("kline.linear.5.BTCUSDT"), read from the spec.
 */
export function messageTopic(spec: TopicSpec, symbol: string): string {
  const head = spec.channel === 'kline' ? `kline.${spec.interval}` : spec.channel;
  return symbol ? `${head}.${symbol}` : head;
}
