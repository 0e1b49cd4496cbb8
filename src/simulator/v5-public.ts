/** V5 public spot (`/v5/public/spot`): topic rules, replies and data frames. */
import type { BookDelta, Level } from './book';
import type { Dialect, DialectContext } from './dialect';
import { isKlineInterval, type Candle, type KlineInterval } from './kline';
import { feed, type FeedKey, type Market, type TickResult, type Trade } from './market';
import type { Session } from './session';
import { SYMBOL_RE } from './topics';
import { asOpFrame, handleV5Subscription, replyDecodeError, v5Envelope } from './v5-common';

export const V5_BOOK_DEPTHS = [1, 50, 200, 1000];

type V5Topic =
  | { kind: 'trade'; symbol: string }
  | { kind: 'ticker'; symbol: string }
  | { kind: 'book'; symbol: string; depth: number }
  | { kind: 'kline'; symbol: string; interval: KlineInterval };

export function parseV5Topic(topic: string): V5Topic | undefined {
  const parts = topic.split('.');
  const symbol = parts[parts.length - 1];
  if (!SYMBOL_RE.test(symbol)) return undefined;
  if (parts.length === 2 && parts[0] === 'publicTrade') return { kind: 'trade', symbol };
  if (parts.length === 2 && parts[0] === 'tickers') return { kind: 'ticker', symbol };
  if (parts.length === 3 && parts[0] === 'orderbook' && V5_BOOK_DEPTHS.map(String).includes(parts[1])) {
    return { kind: 'book', symbol, depth: Number(parts[1]) };
  }
  if (parts.length === 3 && parts[0] === 'kline' && isKlineInterval(parts[1])) return { kind: 'kline', symbol, interval: parts[1] };
  return undefined;
}

function feedOfTopic(t: V5Topic): FeedKey {
  switch (t.kind) {
    case 'trade':
      return feed.trade(t.symbol);
    case 'ticker':
      return feed.ticker(t.symbol);
    case 'book':
      return feed.book(t.symbol, t.depth);
    case 'kline':
      return feed.kline(t.symbol, t.interval);
  }
}

export class V5PublicDialect implements Dialect {
  readonly name = 'v5-public';

  constructor(private readonly ctx: DialectContext) {}

  onFrame(session: Session, _text: string, frame: unknown, decodeError: string | undefined): void {
    if (decodeError !== undefined) return replyDecodeError(session, decodeError);
    const req = asOpFrame(frame);
    const op = req?.op;
    if (req && op === 'ping') {
      session.sendJson(v5Envelope(session, true, 'pong', req, 'ping'));
    } else if (req && (op === 'subscribe' || op === 'unsubscribe')) {
      handleV5Subscription(this.ctx, session, req, op, (t) => parseV5Topic(t) !== undefined, (topics) =>
        this.sendInitial(session, topics),
      );
    } else {
      session.sendJson(v5Envelope(session, false, 'error:invalid op', req));
    }
  }

  withMarket(market: Market): V5PublicDialect {
    return new V5PublicDialect({ ...this.ctx, market });
  }

  feedOf(topic: string): FeedKey | undefined {
    const t = parseV5Topic(topic);
    return t && feedOfTopic(t);
  }

  encodeTick(topic: string, tick: TickResult): string[] {
    const t = parseV5Topic(topic);
    if (!t) return [];
    switch (t.kind) {
      case 'trade': {
        const trades = tick.trades.get(t.symbol) ?? [];
        return trades.length ? [this.tradeFrame(topic, trades, tick.now)] : [];
      }
      case 'ticker':
        return [this.tickerFrame(topic, t.symbol, tick.now)];
      case 'book': {
        const delta = tick.books.get(feed.book(t.symbol, t.depth));
        if (!delta) return [];
        // Depth 1 is snapshot-only on Bybit.
        return [t.depth === 1 ? this.snapshotFrame(topic, t.symbol, t.depth, tick.now) : this.deltaFrame(topic, t.symbol, delta, tick.now)];
      }
      case 'kline': {
        const k = tick.klines.get(feed.kline(t.symbol, t.interval));
        if (!k) return [];
        const frames = k.closed ? [this.klineFrame(topic, t, k.closed, tick.now)] : [];
        frames.push(this.klineFrame(topic, t, k.current, tick.now));
        return frames;
      }
    }
  }

  encodeBookSnapshot(topic: string, now: number): string | undefined {
    const t = parseV5Topic(topic);
    return t?.kind === 'book' ? this.snapshotFrame(topic, t.symbol, t.depth, now) : undefined;
  }

  encodeBookDelta(topic: string, delta: BookDelta, now: number): string | undefined {
    const t = parseV5Topic(topic);
    return t?.kind === 'book' ? this.deltaFrame(topic, t.symbol, delta, now) : undefined;
  }

  /** Tickers and books start with a snapshot right after the subscribe reply, as on Bybit. */
  private sendInitial(session: Session, topics: string[]): void {
    const now = this.ctx.now();
    for (const topic of topics) {
      const t = parseV5Topic(topic);
      if (t?.kind === 'ticker') session.send(this.tickerFrame(topic, t.symbol, now));
      if (t?.kind === 'book') session.send(this.snapshotFrame(topic, t.symbol, t.depth, now));
    }
  }

  private tradeFrame(topic: string, trades: readonly Trade[], now: number): string {
    const sym = this.ctx.market.symbol(trades[0].symbol);
    const data = trades.map((tr) => ({
      T: tr.time, s: tr.symbol, S: tr.side, v: sym.qty(tr.qty), p: sym.price(tr.price), i: tr.id, BT: false, seq: tr.seq,
    }));
    return JSON.stringify({ topic, type: 'snapshot', ts: now, data });
  }

  private tickerFrame(topic: string, symbol: string, now: number): string {
    const { crossSeq, ...data } = this.ctx.market.symbol(symbol).ticker();
    return JSON.stringify({ topic, ts: now, type: 'snapshot', cs: crossSeq, data });
  }

  private snapshotFrame(topic: string, symbol: string, depth: number, now: number): string {
    const book = this.ctx.market.book(symbol, depth);
    const view = book.view();
    return this.bookFrame(topic, 'snapshot', symbol, view.bids, view.asks, view.u, now);
  }

  private deltaFrame(topic: string, symbol: string, delta: BookDelta, now: number): string {
    return this.bookFrame(topic, 'delta', symbol, delta.bids, delta.asks, delta.u, now);
  }

  private bookFrame(topic: string, type: string, s: string, b: Level[], a: Level[], u: number, now: number): string {
    const seq = this.ctx.market.symbol(s).crossSeq;
    return JSON.stringify({ topic, ts: now, type, cts: now - 2, data: { s, b, a, u, seq } });
  }

  private klineFrame(topic: string, t: { symbol: string; interval: KlineInterval }, c: Candle, now: number): string {
    const sym = this.ctx.market.symbol(t.symbol);
    const data = [{
      start: c.start, end: c.end, interval: t.interval,
      open: sym.price(c.open), close: sym.price(c.close), high: sym.price(c.high), low: sym.price(c.low),
      volume: sym.qty(c.volume), turnover: c.turnover.toFixed(8), confirm: c.confirm, timestamp: now,
    }];
    return JSON.stringify({ topic, type: 'snapshot', ts: now, data });
  }
}
