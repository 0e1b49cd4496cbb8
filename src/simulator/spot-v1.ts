/**
 * Spot v1 public quotes (`/spot/quote/ws/v1`) and the v2 path (`/spot/quote/ws/v2`, bookTicker).
 * Requests name a topic and comma-separated symbols; replies come one per symbol. A socket's
 * topics are recorded as `<topic>.<SYMBOL>` (e.g. `trade.BTCUSDT`, `kline_1m.BTCUSDT`).
 */
import type { Dialect, DialectContext } from './dialect';
import type { Candle } from './kline';
import { feed, type FeedKey, type Market, type TickResult } from './market';
import type { Session } from './session';
import { SPOT_INTERVALS, bestOf, candleItem, tickerItem, tradeItem } from './spot-items';
import { budgetError, MAX_ARGS, PUBLIC_ARGS_CHARS, SYMBOL_RE } from './topics';

const V1_BOOK_DEPTH = 200;
/** Bybit's v1 quote frames carry an exchange id in `e`. */
const EXCHANGE_ID = 301;

/**
 * Error codes: the v1 docs list a non-zero `code` with a `desc` but not the values for these
 * cases, so the simulator uses its own: -10000 bad request, -100010 bad symbol, -100011 bad topic.
 */
export const V1_ERRORS = {
  request: '-10000',
  symbol: '-100010',
  topic: '-100011',
} as const;

type V1Topic = { kind: 'trade' | 'realtimes' | 'depth' | 'bookTicker' } | { kind: 'kline'; interval: string };

function parseV1TopicName(name: string, variant: 'v1' | 'v2'): V1Topic | undefined {
  if (variant === 'v2') return name === 'bookTicker' ? { kind: 'bookTicker' } : undefined;
  if (name === 'trade' || name === 'realtimes' || name === 'depth') return { kind: name };
  const m = /^kline_(.+)$/.exec(name);
  if (m && m[1] in SPOT_INTERVALS) return { kind: 'kline', interval: m[1] };
  return undefined;
}

/** Splits a recorded topic key `<topic>.<SYMBOL>`. */
function splitKey(key: string): [string, string] {
  const i = key.lastIndexOf('.');
  return [key.slice(0, i), key.slice(i + 1)];
}

function stringParams(params: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (params && typeof params === 'object' && !Array.isArray(params)) {
    for (const [k, v] of Object.entries(params)) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  if (out.binary === undefined) out.binary = 'false';
  return out;
}

export class SpotV1PublicDialect implements Dialect {
  readonly name: string;

  constructor(
    private readonly ctx: DialectContext,
    private readonly variant: 'v1' | 'v2',
  ) {
    this.name = `spot-${variant}-public`;
  }

  onFrame(session: Session, _text: string, frame: unknown, decodeError: string | undefined): void {
    if (decodeError !== undefined) {
      return void session.sendJson({ code: V1_ERRORS.request, desc: `Failed to decode incoming data: ${decodeError}` });
    }
    if (frame === null || typeof frame !== 'object' || Array.isArray(frame)) {
      return void session.sendJson({ code: V1_ERRORS.request, desc: 'Invalid request' });
    }
    const req = frame as Record<string, unknown>;
    if ('ping' in req) return void session.sendJson({ pong: this.ctx.now() });
    const { topic, event } = req;
    if (event !== 'sub' && event !== 'cancel') {
      return void session.sendJson({ topic, event, code: V1_ERRORS.request, desc: 'Invalid event' });
    }
    const params = stringParams(req.params);
    const raw = this.variant === 'v2' ? (req.params as Record<string, unknown> | undefined)?.symbol : req.symbol;
    const base = (): Record<string, unknown> =>
      this.variant === 'v2' ? { topic, event, params } : { topic, event, symbol: raw, params };
    const fail = (code: string, desc: string, extra: Record<string, unknown> = base()): void =>
      void session.sendJson({ ...extra, code, desc });

    const parsed = typeof topic === 'string' ? parseV1TopicName(topic, this.variant) : undefined;
    if (!parsed) return fail(V1_ERRORS.topic, 'Invalid topic');
    if (params.binary === 'true') return fail(V1_ERRORS.request, 'binary frames are not supported by the simulator');
    if (typeof raw !== 'string' || raw === '') return fail(V1_ERRORS.symbol, 'Invalid Symbols');
    const symbols = raw.split(',').map((s) => s.trim());
    if (this.variant === 'v2' && symbols.length > 1) return fail(V1_ERRORS.symbol, 'one symbol per request');
    if (symbols.length > MAX_ARGS) return fail(V1_ERRORS.symbol, `at most ${MAX_ARGS} symbols per request`);
    if (event === 'sub') {
      const over = budgetError(session.topics, symbols.map((s) => `${topic}.${s}`), { maxChars: PUBLIC_ARGS_CHARS });
      if (over !== undefined) return fail(V1_ERRORS.request, over);
      const injected = this.ctx.faults.takeRejection();
      if (injected !== undefined) return fail(V1_ERRORS.request, injected);
    }

    const changed: string[] = [];
    for (const symbol of symbols) {
      const reply = this.variant === 'v2' ? { topic, event, params } : { topic, event, symbol, params };
      if (!SYMBOL_RE.test(symbol)) {
        session.sendJson({ ...reply, code: V1_ERRORS.symbol, desc: 'Invalid Symbols' });
        continue;
      }
      const key = `${topic}.${symbol}`;
      if (event === 'sub' && !session.topics.has(key)) {
        session.topics.add(key);
        changed.push(key);
      } else if (event === 'cancel' && session.topics.delete(key)) {
        changed.push(key);
      }
      session.sendJson({ ...reply, code: '0', msg: 'Success' });
    }
    if (changed.length === 0) return;
    if (event === 'cancel') return this.ctx.unsubscribed(session, changed);
    this.ctx.subscribed(session, changed);
    // Each new subscription opens with an `f: true` message (trades: the last 60).
    const now = this.ctx.now();
    for (const key of changed) {
      const first = this.firstFrame(key, now);
      if (first) session.send(first);
    }
  }

  withMarket(market: Market): SpotV1PublicDialect {
    return new SpotV1PublicDialect({ ...this.ctx, market }, this.variant);
  }

  feedOf(key: string): FeedKey | undefined {
    const [name, symbol] = splitKey(key);
    const t = parseV1TopicName(name, this.variant);
    if (!t || !SYMBOL_RE.test(symbol)) return undefined;
    switch (t.kind) {
      case 'trade':
        return feed.trade(symbol);
      case 'realtimes':
        return feed.ticker(symbol);
      case 'depth':
        return feed.book(symbol, V1_BOOK_DEPTH);
      case 'bookTicker':
        return feed.book(symbol, 1);
      case 'kline':
        return feed.kline(symbol, SPOT_INTERVALS[t.interval]);
    }
  }

  encodeTick(key: string, tick: TickResult): string[] {
    const [name, symbol] = splitKey(key);
    const t = parseV1TopicName(name, this.variant);
    if (!t) return [];
    const m = this.ctx.market;
    const now = tick.now;
    switch (t.kind) {
      case 'trade': {
        const trades = tick.trades.get(symbol) ?? [];
        return trades.length ? [this.quote(symbol, 'trade', {}, trades.map((tr) => tradeItem(m, tr)), false, now)] : [];
      }
      case 'realtimes':
        return [this.realtimes(symbol, false, now)];
      case 'depth':
      case 'bookTicker':
        return tick.books.get(this.feedOf(key)!) ? [t.kind === 'depth' ? this.depth(symbol, false, now) : this.bookTicker(symbol, now)] : [];
      case 'kline': {
        const k = tick.klines.get(this.feedOf(key)!);
        if (!k) return [];
        const candles = k.closed ? [k.closed, k.current] : [k.current];
        return candles.map((c) => this.quote(symbol, 'kline', { klineType: t.interval }, [this.candle(symbol, c)], false, now));
      }
    }
  }

  private firstFrame(key: string, now: number): string | undefined {
    const [name, symbol] = splitKey(key);
    const t = parseV1TopicName(name, this.variant);
    const m = this.ctx.market;
    switch (t?.kind) {
      case 'trade':
        return this.quote(symbol, 'trade', {}, m.symbol(symbol).recent.map((tr) => tradeItem(m, tr)), true, now);
      case 'realtimes':
        return this.realtimes(symbol, true, now);
      case 'depth':
        return this.depth(symbol, true, now);
      case 'bookTicker':
        return this.bookTicker(symbol, now);
      case 'kline': {
        const candle = m.kline(symbol, SPOT_INTERVALS[t.interval]).current;
        return this.quote(symbol, 'kline', { klineType: t.interval }, [this.candle(symbol, candle)], true, now);
      }
      default:
        return undefined;
    }
  }

  private quote(symbol: string, topic: string, extra: Record<string, string>, data: unknown[], first: boolean, now: number): string {
    return JSON.stringify({
      symbol, symbolName: symbol, topic, params: { realtimeInterval: '24h', ...extra, binary: 'false' }, data, f: first, sendTime: now,
    });
  }

  private candle(symbol: string, c: Candle): Record<string, unknown> {
    const { t, s, ...ohlcv } = candleItem(this.ctx.market, symbol, c);
    return { t, s, sn: symbol, ...ohlcv };
  }

  private realtimes(symbol: string, first: boolean, now: number): string {
    const { t, s, c, h, l, o, v, qv, m, xp } = tickerItem(this.ctx.market, symbol, now - 3);
    return this.quote(symbol, 'realtimes', {}, [{ t, s, sn: symbol, c, h, l, o, v, qv, m, e: EXCHANGE_ID, xp }], first, now);
  }

  private depth(symbol: string, first: boolean, now: number): string {
    const book = this.ctx.market.book(symbol, V1_BOOK_DEPTH);
    const view = book.view();
    const version = `${view.u}_${this.ctx.market.symbol(symbol).crossSeq % 1000}`;
    return this.quote(symbol, 'depth', {}, [{ e: EXCHANGE_ID, s: symbol, t: now - 2, v: version, b: view.bids, a: view.asks, o: 0 }], first, now);
  }

  private bookTicker(symbol: string, now: number): string {
    const { bp, bq, ap, aq } = bestOf(this.ctx.market.book(symbol, 1).view());
    return JSON.stringify({
      topic: 'bookTicker',
      params: { symbol, binary: 'false', symbolName: symbol },
      data: { symbol, bidPrice: bp, bidQty: bq, askPrice: ap, askQty: aq, time: now - 1 },
    });
  }
}
