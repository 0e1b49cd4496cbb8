/**
 * Data items shared by the two legacy spot dialects (v3 and v1): market items keyed by
 * one-letter fields and the private account/order/ticket items. Envelopes differ per
 * dialect and live in spot-v3*.ts / spot-v1*.ts.
 */
import { createHash } from 'node:crypto';
import { fmtAmount } from './amount';
import type { AccountEvent, Order } from './account';
import type { BookView } from './book';
import type { KlineInterval, Candle } from './kline';
import type { Market, Trade } from './market';

/** Spot interval words (1m .. 1M) to the V5 words the market model uses. */
export const SPOT_INTERVALS: Record<string, KlineInterval> = {
  '1m': '1', '3m': '3', '5m': '5', '15m': '15', '30m': '30', '1h': '60', '2h': '120', '4h': '240', '6h': '360',
  '12h': '720', '1d': 'D', '1w': 'W', '1M': 'M',
};

export function tradeItem(market: Market, t: Trade): Record<string, unknown> {
  const sym = market.symbol(t.symbol);
  // `m: true` means the buyer was the taker; `v` is the numeric trade id.
  return { v: String(t.seq), t: t.time, p: sym.price(t.price), q: sym.qty(t.qty), m: t.side === 'Buy' };
}

export function tickerItem(market: Market, symbol: string, now: number): Record<string, unknown> {
  const k = market.symbol(symbol).ticker();
  return {
    t: now, s: symbol, c: k.lastPrice, h: k.highPrice24h, l: k.lowPrice24h, o: k.prevPrice24h, v: k.volume24h,
    qv: k.turnover24h, m: k.price24hPcnt, xp: k.usdIndexPrice,
  };
}

export function candleItem(market: Market, symbol: string, c: Candle): Record<string, unknown> {
  const sym = market.symbol(symbol);
  return { t: c.start, s: symbol, c: sym.price(c.close), h: sym.price(c.high), l: sym.price(c.low), o: sym.price(c.open), v: sym.qty(c.volume) };
}

export function bestOf(view: BookView): { bp: string; bq: string; ap: string; aq: string } {
  const [bp, bq] = view.bids[0] ?? ['0', '0'];
  const [ap, aq] = view.asks[0] ?? ['0', '0'];
  return { bp, bq, ap, aq };
}

// ---- private items ---------------------------------------------------------------------

/**
 * Order statuses: v3 enums list PARTIALLY_FILLED_CANCELLED; the v1 enums do not, and the v1
 * executionReport example shows a part-filled order ending CANCELED.
 */
function spotStatus(o: Readonly<Order>, dialect: 'v3' | 'v1'): string {
  switch (o.status) {
    case 'New':
    case 'Untriggered':
    case 'Triggered':
      return 'NEW';
    case 'PartiallyFilled':
      return 'PARTIALLY_FILLED';
    case 'Filled':
      return 'FILLED';
    case 'PartiallyFilledCanceled':
      return dialect === 'v3' ? 'PARTIALLY_FILLED_CANCELLED' : 'CANCELED';
    case 'Rejected':
      return 'REJECTED';
    default:
      return 'CANCELED';
  }
}

/** TP/SL order statuses (v1 enums "TP/SL order status"; the v3 stopOrder example uses the same words). */
function stopStatus(o: Readonly<Order>): string {
  if (o.stopFailed) return 'ORDER_FAILED';
  if (o.status === 'Triggered') return 'ORDER_FILLED';
  if (o.status === 'Deactivated') return 'ORDER_CANCELED';
  return 'ORDER_NEW';
}

/** A stop order event (v3 `stopOrder`, v1 `stop_executionReport`) rather than a plain order event. */
export function isStopEvent(o: Readonly<Order>): boolean {
  return o.triggerPrice > 0n && (o.stopFailed || o.status === 'Untriggered' || o.status === 'Triggered' || o.status === 'Deactivated');
}

/** Legacy order types: the docs' examples print MARKET_OF_QUOTE for a market buy by value. */
function spotOrderType(o: Readonly<Order>): string {
  if (o.type === 'Limit') return o.timeInForce === 'PostOnly' ? 'LIMIT_MAKER' : 'LIMIT';
  return o.marketUnit === 'quoteCoin' ? 'MARKET_OF_QUOTE' : 'MARKET_OF_BASE';
}

export function accountItem(ev: Extract<AccountEvent, { kind: 'wallet' }>): Record<string, unknown> {
  return {
    e: 'outboundAccountInfo', E: String(ev.time), T: true, W: true, D: true,
    B: ev.changed.map((b) => ({ a: b.coin, f: fmtAmount(b.walletBalance - b.locked), l: fmtAmount(b.locked) })),
  };
}

/**
 * The v3 `order` item; spot v1 sends the same fields as an `executionReport`. A triggered stop
 * order's own order is the one the stop order placed (`eo`), created when it triggered.
 */
export function orderItem(e: 'order' | 'executionReport', o: Readonly<Order>, time: number): Record<string, unknown> {
  const last = o.lastFill;
  const spawned = o.triggerPrice > 0n;
  return {
    e, E: String(time), s: o.symbol, c: o.orderLinkId, S: o.side === 'Buy' ? 'BUY' : 'SELL',
    o: spotOrderType(o), f: o.timeInForce, q: fmtAmount(o.qty), p: fmtAmount(o.price),
    X: spotStatus(o, e === 'order' ? 'v3' : 'v1'), i: spawned ? o.spawnedOrderId : o.orderId, M: '0', l: last ? fmtAmount(last.qty) : '0', z: fmtAmount(o.cumQty),
    L: last ? fmtAmount(last.price) : '0', n: fmtAmount(o.cumFee), N: o.cumFee > 0n ? o.feeCoin : '',
    u: true, w: o.status === 'New' || o.status === 'PartiallyFilled', m: last?.isMaker ?? false, O: String(spawned ? o.triggeredTime : o.createdTime),
    Z: fmtAmount(o.cumValue), A: '0', C: false, v: '0', d: 'NO_LIQ', t: last ? last.tradeId : '',
  };
}

/**
 * v3 `stopOrder` / v1 `stop_executionReport`, exactly the fields the legacy docs print: no O,
 * z or Z; T = created, t = triggered ("0" before), C = updated, qp = market price at creation,
 * eo = the order placed on trigger, ti/si = ids.
 */
export function stopItem(e: 'stopOrder' | 'stop_executionReport', o: Readonly<Order>, time: number): Record<string, unknown> {
  const digest = createHash('sha256').update(o.orderId).digest('hex');
  return {
    e, E: String(time), s: o.symbol, c: o.orderLinkId, S: o.side === 'Buy' ? 'BUY' : 'SELL', o: spotOrderType(o), f: o.timeInForce,
    q: fmtAmount(o.qty), p: fmtAmount(o.price), X: stopStatus(o), i: o.orderId, T: String(o.createdTime),
    t: String(o.triggeredTime), C: String(o.updatedTime), qp: fmtAmount(o.lastPriceOnCreated), eo: o.spawnedOrderId,
    ti: digest.slice(0, 32), si: digest.slice(32, 48),
  };
}

export function ticketItem(ev: Extract<AccountEvent, { kind: 'execution' }>): Record<string, unknown> {
  const { order: o, fill: f } = ev;
  return {
    e: 'ticketInfo', E: String(ev.time), s: o.symbol, q: fmtAmount(f.qty), t: String(f.time), p: fmtAmount(f.price), T: f.tradeId,
    o: o.triggerPrice > 0n ? o.spawnedOrderId : o.orderId, c: o.orderLinkId, O: '0', a: ev.userId, A: '0', m: f.isMaker, S: o.side === 'Buy' ? 'BUY' : 'SELL',
  };
}
