/**
 * What a flow receives: the normalized payload of every channel, the same in every dialect,
 * and the one rule that names a msg's topic. Dialects and nodes build these; users and tests
 * read them without casting.
 */
import type { BookTickerPayload, OrderBookPayload } from '../book/payloads';
import type { Category, Channel, KlineInterval, TopicSpec } from './types';

export type { Category };

export type { BookTickerPayload, OrderBookPayload };

/** One public trade; `side` is the taker's. */
export interface TradePayload {
  category: Category;
  symbol: string;
  id: string;
  price: number;
  qty: number;
  side: string;
  time: number;
}

/** 24-hour statistics; `change24h` is a fraction (0.02 = +2 %). */
export interface TickerPayload {
  category: Category;
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
  // Linear and inverse (V5): the merged ticker's derivatives fields; null where Bybit sends "".
  markPrice?: number | null;
  indexPrice?: number | null;
  openInterest?: number | null;
  openInterestValue?: number | null;
  fundingRate?: number | null;
  nextFundingTime?: number | null;
  bid1Price?: number | null;
  bid1Size?: number | null;
  ask1Price?: number | null;
  ask1Size?: number | null;
  prevPrice1h?: number | null;
  /** Futures only. */
  deliveryTime?: number | null;
  basis?: number | null;
  // Option (V5): implied volatilities and greeks.
  underlyingPrice?: number | null;
  markIv?: number | null;
  bid1Iv?: number | null;
  ask1Iv?: number | null;
  delta?: number | null;
  gamma?: number | null;
  vega?: number | null;
  theta?: number | null;
}

/** One candle update; spot v3/v1 send neither `turnover` nor `confirm` (null). */
export interface KlinePayload {
  category: Category;
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
  category: Category;
  time: number;
  balances: Balance[];
}

/** One order update; `status` in V5 words whatever the dialect. */
export interface OrderPayload {
  category: Category;
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
  category: Category;
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

/** One position update (V5 linear, inverse, option); `side` null when flat. */
export interface PositionPayload {
  category: Category;
  symbol: string;
  side: 'Buy' | 'Sell' | null;
  size: number;
  entryPrice: number | null;
  markPrice: number | null;
  leverage: number | null;
  positionValue: number | null;
  unrealisedPnl: number | null;
  curRealisedPnl: number | null;
  cumRealisedPnl: number | null;
  liqPrice: number | null;
  takeProfit: number | null;
  stopLoss: number | null;
  positionIdx: number | null;
  positionStatus: string | null;
  updatedTime: number | null;
  seq: number | null;
}

/** One liquidation (V5 linear, inverse); `side` is the liquidated position's side as Bybit reports it. */
export interface LiquidationPayload {
  category: Category;
  symbol: string;
  side: string;
  qty: number;
  price: number;
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
  position: PositionPayload;
  liquidation: LiquidationPayload;
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
 * The one rule for msg.topic: `<channel>[.<category>][.<interval>][.<SYMBOL>]`, the same words
 * in every dialect ("trade.BTCUSDT", "kline.linear.5.BTCUSDT", "account"). `symbol` is the
 * item's (a private stream carries every symbol); spot names no category. `category` is the
 * item's own where the subscription spans several (`all`), else the spec's.
 */
export function messageTopic(spec: TopicSpec, symbol: string, category: Category = specCategory(spec)): string {
  const channel = category === 'spot' || spec.channel === 'account' ? spec.channel : `${spec.channel}.${category}`;
  const head = spec.channel === 'kline' ? `${channel}.${spec.interval}` : channel;
  return symbol ? `${head}.${symbol}` : head;
}

/** The category a spec streams: its own, spot when absent (position: linear); `all` reads as spot until an item says. */
export function specCategory(spec: TopicSpec): Category {
  const c = spec.category;
  if (c === undefined) return spec.channel === 'position' || spec.channel === 'liquidation' ? 'linear' : 'spot';
  return c === 'all' ? 'spot' : c;
}
