/**
 * What a flow receives: the normalized payload of every channel, the same in every dialect,
 * and the one rule that names a msg's topic. Dialects and nodes build these; users and tests
 * read them without casting.
 */
import type { BookTickerPayload, OrderBookPayload } from '../book/payloads';
import type { Category, Channel, KlineInterval, TopicSpec } from './types';
import { num, type Decimal } from './fields';

export type { Category, Decimal };

export type { BookTickerPayload, OrderBookPayload };

/** One public trade; `side` is the taker's. A trade whose price or qty is not a number is dropped (malformed). */
export interface TradePayload {
  category: Category;
  symbol: string;
  id: string;
  price: Decimal;
  qty: Decimal;
  side: string;
  time: number | null;
  /** V5 cross sequence (`seq`); null in spot v3/v1. */
  seq: number | null;
  /** V5 `BT`: a block trade; null in spot v3/v1. */
  blockTrade: boolean | null;
}

/** 24-hour statistics; `change24h` is a fraction (0.0196 = +1.96 %). */
export interface TickerPayload {
  category: Category;
  symbol: string;
  lastPrice: Decimal | null;
  openPrice24h: Decimal | null;
  highPrice24h: Decimal | null;
  lowPrice24h: Decimal | null;
  volume24h: Decimal | null;
  turnover24h: Decimal | null;
  change24h: number | null;
  usdIndexPrice: Decimal | null;
  time: number | null;
  // Linear and inverse (V5): the merged ticker's derivatives fields; null where Bybit sends "".
  markPrice?: Decimal | null;
  indexPrice?: Decimal | null;
  openInterest?: Decimal | null;
  openInterestValue?: Decimal | null;
  fundingRate?: number | null;
  nextFundingTime?: number | null;
  bid1Price?: Decimal | null;
  bid1Size?: Decimal | null;
  ask1Price?: Decimal | null;
  ask1Size?: Decimal | null;
  prevPrice1h?: Decimal | null;
  /** Futures only. */
  deliveryTime?: number | null;
  basis?: Decimal | null;
  // Option (V5): implied volatilities and greeks.
  underlyingPrice?: Decimal | null;
  markIv?: number | null;
  bid1Iv?: number | null;
  ask1Iv?: number | null;
  delta?: number | null;
  gamma?: number | null;
  vega?: number | null;
  theta?: number | null;
}

/**
 * One candle update; spot v3/v1 send neither `end`, `turnover` nor `confirm` (null). A candle
 * whose start, open, high, low, close or volume is not a number is dropped (malformed).
 */
export interface KlinePayload {
  category: Category;
  symbol: string;
  interval: KlineInterval;
  start: number;
  /** V5 `end`: the candle's last ms; null in spot v3/v1. */
  end: number | null;
  open: Decimal;
  high: Decimal;
  low: Decimal;
  close: Decimal;
  volume: Decimal;
  turnover: Decimal | null;
  confirm: boolean | null;
  time: number | null;
}

/**
 * One coin's balance, in what the user owns (README "Balances"): V5 `total` = walletBalance −
 * spotBorrow (Bybit's walletBalance includes borrowed coins), `free` = total − locked,
 * `borrowed` = spotBorrow; spot v3/v1 `total` = free + locked and no borrowed, equity or usdValue.
 */
export interface Balance {
  coin: string;
  total: Decimal | null;
  free: Decimal | null;
  locked: Decimal | null;
  borrowed: Decimal | null;
  /** V5 `equity`: walletBalance − spotBorrow + unrealised P&L + option value. */
  equity: Decimal | null;
  /** V5 `usdValue`. */
  usdValue: Decimal | null;
}

/** The coins a push changed, not necessarily every coin of the account. */
export interface AccountPayload {
  category: Category;
  time: number | null;
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
  price: Decimal | null;
  /** In the base coin, except a spot market order whose `marketUnit` is `quoteCoin`: then in the quote coin. */
  qty: Decimal | null;
  /** `baseCoin` or `quoteCoin`: the unit of `qty` for a spot market order; null when not sent. */
  marketUnit: string | null;
  status: string;
  /** Always in the base coin. Null on spot v3/v1 stop-order events (they carry no fill figures). */
  cumQty: Decimal | null;
  cumQuote: Decimal | null;
  avgPrice: Decimal | null;
  leavesQty: Decimal | null;
  /** Cumulative fee (V5 cumExecFee, v3/v1 `n`). */
  fee: Decimal | null;
  triggerPrice: Decimal | null;
  stopOrderType: string | null;
  rejectReason: string | null;
  cancelType: string | null;
  createdTime: number | null;
  updatedTime: number | null;
}

/** One fill; spot v3/v1 send no fee, fee rate, exec type, value or seq (null). */
export interface ExecutionPayload {
  category: Category;
  symbol: string;
  execId: string | null;
  orderId: string | null;
  clientOrderId: string | null;
  side: string | null;
  price: Decimal | null;
  qty: Decimal | null;
  execValue: Decimal | null;
  fee: Decimal | null;
  feeRate: number | null;
  feeCoin: string | null;
  execType: string | null;
  orderType: string | null;
  isMaker: boolean;
  seq: number | null;
  time: number | null;
}

/** One position update (V5 linear, inverse, option); `side` null when flat. */
export interface PositionPayload {
  category: Category;
  symbol: string;
  side: 'Buy' | 'Sell' | null;
  size: Decimal | null;
  entryPrice: Decimal | null;
  markPrice: Decimal | null;
  leverage: number | null;
  positionValue: Decimal | null;
  unrealisedPnl: Decimal | null;
  curRealisedPnl: Decimal | null;
  cumRealisedPnl: Decimal | null;
  liqPrice: Decimal | null;
  takeProfit: Decimal | null;
  stopLoss: Decimal | null;
  positionIdx: number | null;
  positionStatus: string | null;
  updatedTime: number | null;
  seq: number | null;
}

/** One liquidation (V5 linear, inverse); `side` is the liquidated position's side as Bybit reports it. A liquidation without a readable price or qty is dropped (malformed). */
export interface LiquidationPayload {
  category: Category;
  symbol: string;
  side: string;
  qty: Decimal;
  price: Decimal;
  time: number | null;
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

/** The essential fields of a candle, or null when one is not a number (the candle is malformed). */
export function readCandle(
  spec: TopicSpec,
  read: (value: unknown) => Decimal | null,
  k: { start: unknown; open: unknown; high: unknown; low: unknown; close: unknown; volume: unknown },
): Pick<KlinePayload, 'symbol' | 'interval' | 'start' | 'open' | 'high' | 'low' | 'close' | 'volume'> | null {
  const start = num(k.start);
  const open = read(k.open);
  const high = read(k.high);
  const low = read(k.low);
  const close = read(k.close);
  const volume = read(k.volume);
  if (start === null || !Number.isSafeInteger(start) || open === null || high === null || low === null || close === null || volume === null) return null;
  return { symbol: spec.symbol ?? '', interval: spec.interval ?? '1', start, open, high, low, close, volume };
}
