/**
 * What the retired spot v3 and spot v1 protocols share: one-letter field names for tickers,
 * klines, trades and the private events, BUY/SELL sides and upper-case order statuses. These
 * readers map them onto the same normalized payloads as V5.
 */
import type { KlineInterval, TopicSpec } from './types';
import { messageTopic, type Balance, type OutputItem } from './payloads';
import { isRec, num, numOrNull, str, strOrNull, type Rec } from './fields';

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

/** A trade item {v, t, p, q, m}: `m` true means the buyer was the taker. */
export function spotTrade(spec: TopicSpec, t: Rec): OutputItem {
  const symbol = spec.symbol ?? '';
  return {
    channel: 'trade',
    topic: messageTopic(spec, symbol),
    symbol,
    payload: { category: 'spot', symbol, id: str(t.v), price: num(t.p), qty: num(t.q), side: t.m === true ? 'Buy' : 'Sell', time: num(t.t) },
    raw: t,
  };
}

/** A 24 h ticker {t, s, c, h, l, o, v, qv, m, xp}. */
export function spotTicker(spec: TopicSpec, d: Rec, fallbackTime: unknown): OutputItem {
  const s = str(d.s) || (spec.symbol ?? '');
  return {
    channel: 'ticker',
    topic: messageTopic(spec, s),
    symbol: s,
    payload: {
      category: 'spot',
      symbol: s,
      lastPrice: num(d.c),
      openPrice24h: num(d.o),
      highPrice24h: num(d.h),
      lowPrice24h: num(d.l),
      volume24h: num(d.v),
      turnover24h: num(d.qv),
      change24h: num(d.m),
      usdIndexPrice: numOrNull(d.xp),
      time: num(d.t ?? fallbackTime),
    },
    raw: d,
  };
}

/** A kline {t, s, c, h, l, o, v}: the spot dialects send neither turnover nor a closed flag. */
export function spotKline(spec: TopicSpec, k: Rec, time: unknown): OutputItem {
  const symbol = spec.symbol ?? str(k.s);
  const interval = spec.interval ?? '1';
  return {
    channel: 'kline',
    topic: messageTopic(spec, symbol),
    symbol,
    payload: {
      category: 'spot',
      symbol,
      interval,
      start: num(k.t),
      open: num(k.o),
      high: num(k.h),
      low: num(k.l),
      close: num(k.c),
      volume: num(k.v),
      turnover: null,
      confirm: null,
      time: num(time),
    },
    raw: k,
  };
}

export function spotBookTicker(spec: TopicSpec, d: Rec, fields: { s: string; bp: string; bq: string; ap: string; aq: string; t: string }): OutputItem {
  const symbol = str(d[fields.s]);
  return {
    channel: 'bookticker',
    topic: messageTopic(spec, symbol),
    symbol,
    payload: { category: 'spot', symbol, bidPrice: num(d[fields.bp]), bidQty: num(d[fields.bq]), askPrice: num(d[fields.ap]), askQty: num(d[fields.aq]), time: num(d[fields.t]) },
    raw: d,
  };
}

/** outboundAccountInfo events → one account item with every balance. */
export function spotAccount(spec: TopicSpec, events: unknown[]): OutputItem[] {
  const balances: Balance[] = [];
  let time = NaN;
  for (const e of events) {
    if (!isRec(e) || !Array.isArray(e.B)) continue;
    time = num(e.E);
    for (const b of e.B) {
      if (!isRec(b)) continue;
      const free = num(b.f);
      const locked = num(b.l);
      balances.push({ coin: str(b.a), total: free + locked, free, locked });
    }
  }
  return balances.length || !Number.isNaN(time) ? [{ channel: 'account', topic: messageTopic(spec, ''), symbol: '', payload: { category: 'spot', time, balances }, raw: events }] : [];
}

/** order / executionReport / stopOrder / stop_executionReport events → order items. */
export function spotOrders(spec: TopicSpec, events: unknown[]): OutputItem[] {
  const items: OutputItem[] = [];
  for (const o of events) {
    if (!isRec(o)) continue;
    const symbol = str(o.s);
    const cumQty = num(o.z);
    const cumQuote = num(o.Z);
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
        price: num(o.p),
        qty: num(o.q),
        status: spotOrderStatus(o.X, cumQty),
        cumQty,
        cumQuote,
        avgPrice: cumQty > 0 ? cumQuote / cumQty : null,
        createdTime: num(o.O),
        updatedTime: num(o.E),
      },
      raw: o,
    });
  }
  return items;
}

/** ticketInfo events (fills) → execution items; execId is the trade id `T`; no fee is sent. */
export function spotExecutions(spec: TopicSpec, events: unknown[]): OutputItem[] {
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
        price: numOrNull(e.p),
        qty: numOrNull(e.q),
        fee: null,
        feeCoin: null,
        isMaker: e.m === true,
        time: num(e.t ?? e.E),
      },
      raw: e,
    });
  }
  return items;
}
