/**
 * What the retired spot v3 and spot v1 protocols share: one-letter field names for tickers,
 * klines, trades and the private events, BUY/SELL sides and upper-case order statuses. These
 * readers map them onto the same normalized payloads as V5.
 */
import type { KlineInterval, TopicSpec } from './types';
import { messageTopic, readCandle, type Balance, type OutputItem } from './payloads';
import { addAmounts, amountReader, isRec, num, str, strOrNull, type Decimal, type Rec } from './fields';

/** V5 interval words to the spot dialects' own. */
export const SPOT_INTERVALS: Record<KlineInterval, string> = {
  '1': '1m', '3': '3m', '5': '5m', '15': '15m', '30': '30m', '60': '1h', '120': '2h',
  '240': '4h', '360': '6h', '720': '12h', D: '1d', W: '1w', M: '1M',
};

export function spotSide(value: unknown): string {
  const s = str(value).toUpperCase();
  return s === 'BUY' ? 'Buy' : s === 'SELL' ? 'Sell' : str(value);
}

/** Spot order statuses in V5 words. Pending states report what the order is until they settle. */
export function spotOrderStatus(value: unknown, cumQty: number): string {
  switch (str(value)) {
    case 'NEW':
    case 'PENDING_NEW':
      return 'New';
    case 'PARTIALLY_FILLED':
      return 'PartiallyFilled';
    case 'FILLED':
      return 'Filled';
    case 'CANCELED':
    case 'CANCELLED':
      return 'Cancelled';
    case 'PENDING_CANCEL':
      return cumQty > 0 ? 'PartiallyFilled' : 'New';
    case 'REJECTED':
      return 'Rejected';
    case 'PARTIALLY_FILLED_CANCELED':
    case 'PARTIALLY_FILLED_CANCELLED':
      return 'PartiallyFilledCanceled';
    // Conditional (stop) orders.
    case 'ORDER_NEW':
      return 'Untriggered';
    case 'ORDER_FILLED':
      return 'Triggered';
    case 'ORDER_CANCELED':
    case 'ORDER_CANCELLED':
      return 'Deactivated';
    case 'ORDER_REJECTED':
    case 'ORDER_FAILED': // v1 _enums.md "Order status": a stop order that failed to trigger
      return 'Rejected';
    default:
      return str(value);
  }
}

/** LIMIT / LIMIT_MAKER / MARKET / MARKET_OF_BASE / MARKET_OF_QUOTE in V5 words. */
export function spotOrderType(value: unknown): string {
  const s = str(value).toUpperCase();
  if (s.startsWith('LIMIT')) return 'Limit';
  if (s.startsWith('MARKET')) return 'Market';
  return str(value);
}

type Drop = ((reason: string) => void) | undefined;

/** A trade item {v, t, p, q, m}: `m` true means the buyer was the taker; null when price or qty is unreadable. */
export function spotTrade(spec: TopicSpec, t: Rec, dropped: Drop): OutputItem | null {
  const symbol = spec.symbol ?? '';
  const a = amountReader(spec.numbers);
  const price = a(t.p);
  const qty = a(t.q);
  if (price === null || qty === null) {
    dropped?.('trade without a readable price or qty');
    return null;
  }
  return {
    channel: 'trade',
    topic: messageTopic(spec, symbol),
    symbol,
    payload: { category: 'spot', symbol, id: str(t.v), price, qty, side: t.m === true ? 'Buy' : 'Sell', time: num(t.t), seq: null, blockTrade: null },
    raw: t,
  };
}

/** A 24 h ticker {t, s, c, h, l, o, v, qv, m, xp}. */
export function spotTicker(spec: TopicSpec, d: Rec, fallbackTime: unknown): OutputItem {
  const s = str(d.s) || (spec.symbol ?? '');
  const a = amountReader(spec.numbers);
  return {
    channel: 'ticker',
    topic: messageTopic(spec, s),
    symbol: s,
    payload: {
      category: 'spot',
      symbol: s,
      lastPrice: a(d.c),
      openPrice24h: a(d.o),
      highPrice24h: a(d.h),
      lowPrice24h: a(d.l),
      volume24h: a(d.v),
      turnover24h: a(d.qv),
      change24h: num(d.m),
      usdIndexPrice: a(d.xp),
      time: num(d.t ?? fallbackTime),
    },
    raw: d,
  };
}

/** A kline {t, s, c, h, l, o, v}: the spot dialects send neither end, turnover nor a closed flag. */
export function spotKline(spec: TopicSpec, k: Rec, time: unknown, dropped: Drop): OutputItem | null {
  const symbol = spec.symbol ?? str(k.s);
  const candle = readCandle(spec, amountReader(spec.numbers), { start: k.t, open: k.o, high: k.h, low: k.l, close: k.c, volume: k.v });
  if (!candle) {
    dropped?.('candle without a readable start, open, high, low, close or volume');
    return null;
  }
  return {
    channel: 'kline',
    topic: messageTopic(spec, symbol),
    symbol,
    payload: { ...candle, category: 'spot', symbol, end: null, turnover: null, confirm: null, time: num(time) },
    raw: k,
  };
}

export function spotBookTicker(spec: TopicSpec, d: Rec, fields: { s: string; bp: string; bq: string; ap: string; aq: string; t: string }): OutputItem {
  const symbol = str(d[fields.s]);
  const a = amountReader(spec.numbers);
  return {
    channel: 'bookticker',
    topic: messageTopic(spec, symbol),
    symbol,
    payload: { category: 'spot', symbol, bidPrice: a(d[fields.bp]), bidQty: a(d[fields.bq]), askPrice: a(d[fields.ap]), askQty: a(d[fields.aq]), time: num(d[fields.t]) },
    raw: d,
  };
}

/** outboundAccountInfo events → one account item with every balance (free + locked; nothing borrowed is sent). */
export function spotAccount(spec: TopicSpec, events: unknown[]): OutputItem[] {
  const a = amountReader(spec.numbers);
  const balances: Balance[] = [];
  let time: number | null = null;
  let seen = false;
  for (const e of events) {
    if (!isRec(e) || !Array.isArray(e.B)) continue;
    seen = true;
    time = num(e.E);
    for (const b of e.B) {
      if (!isRec(b)) continue;
      const free = a(b.f);
      const locked = a(b.l);
      balances.push({ coin: str(b.a), total: addAmounts(free, locked), free, locked, borrowed: null, equity: null, usdValue: null });
    }
  }
  return seen ? [{ channel: 'account', topic: messageTopic(spec, ''), symbol: '', payload: { category: 'spot', time, balances }, raw: events }] : [];
}

/** MARKET_OF_BASE / MARKET_OF_QUOTE say which coin a market order's qty is in (V5 marketUnit words). */
function spotMarketUnit(type: unknown): string | null {
  const s = str(type).toUpperCase();
  return s === 'MARKET_OF_BASE' ? 'baseCoin' : s === 'MARKET_OF_QUOTE' ? 'quoteCoin' : null;
}

/**
 * order / executionReport events carry fills (z, Z, n) and the created time O; stopOrder /
 * stop_executionReport events do not: T is their created time, C their update time, and
 * their fill figures are null (spot v3 "stopOrder", v1 "stop_executionReport" field tables).
 */
export function spotOrders(spec: TopicSpec, events: unknown[]): OutputItem[] {
  const a = amountReader(spec.numbers);
  const items: OutputItem[] = [];
  for (const o of events) {
    if (!isRec(o)) continue;
    const symbol = str(o.s);
    const stop = o.e === 'stopOrder' || o.e === 'stop_executionReport';
    const cumQty = stop ? null : a(o.z);
    const cumQuote = stop ? null : a(o.Z);
    const filled = cumQty !== null && Number(cumQty) > 0;
    items.push({
      channel: 'order',
      topic: messageTopic(spec, symbol),
      symbol,
      payload: {
        category: 'spot',
        symbol,
        orderId: str(o.i),
        clientOrderId: strOrNull(o.c),
        side: spotSide(o.S),
        type: spotOrderType(o.o),
        timeInForce: str(o.f),
        price: a(o.p),
        qty: a(o.q),
        marketUnit: spotMarketUnit(o.o),
        status: spotOrderStatus(o.X, filled ? 1 : 0),
        cumQty,
        cumQuote,
        avgPrice: filled && cumQuote !== null ? avgOf(cumQuote, cumQty) : null,
        leavesQty: null,
        fee: stop ? null : a(o.n),
        triggerPrice: null,
        stopOrderType: null,
        rejectReason: null,
        cancelType: null,
        createdTime: num(stop ? o.T : o.O),
        updatedTime: num(stop ? o.C ?? o.E : o.E),
      },
      raw: o,
    });
  }
  return items;
}

/** cumQuote / cumQty; in string mode an exact division is not possible, so it is a number there too. */
function avgOf(cumQuote: Decimal, cumQty: Decimal): Decimal {
  return Number(cumQuote) / Number(cumQty);
}

/** ticketInfo events (fills) → execution items; execId is the trade id `T`; no fee is sent. */
export function spotExecutions(spec: TopicSpec, events: unknown[]): OutputItem[] {
  const a = amountReader(spec.numbers);
  const items: OutputItem[] = [];
  for (const e of events) {
    if (!isRec(e)) continue;
    const symbol = str(e.s);
    items.push({
      channel: 'execution',
      topic: messageTopic(spec, symbol),
      symbol,
      payload: {
        category: 'spot',
        symbol,
        execId: strOrNull(e.T),
        orderId: strOrNull(e.o),
        clientOrderId: strOrNull(e.c),
        side: e.S === undefined ? null : spotSide(e.S),
        price: a(e.p),
        qty: a(e.q),
        execValue: null,
        fee: null,
        feeRate: null,
        feeCoin: null,
        execType: null,
        orderType: null,
        isMaker: e.m === true,
        seq: null,
        time: num(e.t ?? e.E),
      },
      raw: e,
    });
  }
  return items;
}
