/**
 * Candles per (symbol, interval). Interval names are V5 words; other dialects map theirs
 * onto these. Candles close on real time boundaries, or early through a test hook.
 */
import type { Trade } from './market';

export const KLINE_INTERVALS = ['1', '3', '5', '15', '30', '60', '120', '240', '360', '720', 'D', 'W', 'M'] as const;
export type KlineInterval = (typeof KLINE_INTERVALS)[number];

export function isKlineInterval(value: string): value is KlineInterval {
  return (KLINE_INTERVALS as readonly string[]).includes(value);
}

const MINUTE = 60_000;
const DAY = 86_400_000;
/** 1970-01-01 was a Thursday; Bybit weeks start on Monday 00:00 UTC, four days later. */
const WEEK_ORIGIN = 4 * DAY;

/** The [start, end] (end inclusive, ms) of the candle that contains time t. */
export function candleBounds(interval: KlineInterval, t: number): { start: number; end: number } {
  if (interval === 'M') {
    const d = new Date(t);
    const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    return { start, end: next - 1 };
  }
  if (interval === 'W') {
    const start = Math.floor((t - WEEK_ORIGIN) / (7 * DAY)) * 7 * DAY + WEEK_ORIGIN;
    return { start, end: start + 7 * DAY - 1 };
  }
  const length = interval === 'D' ? DAY : Number(interval) * MINUTE;
  const start = Math.floor(t / length) * length;
  return { start, end: start + length - 1 };
}

export interface Candle {
  start: number;
  end: number;
  /** prices in price units, volume in qty units, turnover in quote currency */
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  turnover: number;
  confirm: boolean;
}

export class KlineSeries {
  current: Candle;

  constructor(
    readonly symbol: string,
    readonly interval: KlineInterval,
    price: number,
    now: number,
  ) {
    this.current = KlineSeries.open(candleBounds(interval, now), price);
  }

  /** Folds this tick's trades in; returns the candle that closed on a time boundary, if any. */
  update(trades: readonly Trade[], now: number, price: number): Candle | undefined {
    let closed: Candle | undefined;
    if (now > this.current.end) {
      closed = { ...this.current, confirm: true };
      this.current = KlineSeries.open(candleBounds(this.interval, now), this.current.close);
    }
    const c = this.current;
    for (const t of trades) {
      c.high = Math.max(c.high, t.price);
      c.low = Math.min(c.low, t.price);
      c.close = t.price;
      c.volume += t.qty;
      c.turnover += t.quote;
    }
    if (trades.length === 0) c.close = price;
    c.high = Math.max(c.high, c.close);
    c.low = Math.min(c.low, c.close);
    return closed;
  }

  /**
   * Closes the current candle now (tests cannot wait a minute) and opens the next one right
   * after it; from then on this series runs ahead of the wall clock until time catches up.
   */
  forceClose(): Candle {
    const closed = { ...this.current, confirm: true };
    this.current = KlineSeries.open(candleBounds(this.interval, closed.end + 1), closed.close);
    return closed;
  }

  private static open(bounds: { start: number; end: number }, price: number): Candle {
    return { ...bounds, open: price, high: price, low: price, close: price, volume: 0, turnover: 0, confirm: false };
  }
}
