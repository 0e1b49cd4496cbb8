/**
 * V5 public streams, one dialect per category endpoint (`/v5/public/spot|linear|inverse|option`).
 * Topics, depths and frames: docs/v5/websocket/public/{trade,orderbook,ticker,kline,all-liquidation}.mdx;
 * replies, pongs and args limits: docs/v5/websocket/wss-authentication.mdx (the Connect page).
 */
import type { BookDelta, Level } from './book';
import type { Dialect, DialectContext } from './dialect';
import { BASE_COIN_RE, instrumentId, instrumentSpec, type Category } from './instruments';
import { isKlineInterval, type Candle, type KlineInterval } from './kline';
import { feed, type FeedKey, type Liquidation, type Market, type TickResult, type Trade } from './market';
import type { Session } from './session';
import { PUBLIC_ARGS_CHARS, budgetError, type SubscribeLimits } from './topics';
import { asOpFrame, handleOpSubscription, replyDecodeError, v5Envelope, type OpFrame } from './v5-common';
import { fullTicker, tickerDelta, type TickerFields } from './v5-tickers';

export const V5_BOOK_DEPTHS = [1, 50, 200, 1000];

interface CategoryRules {
  depths: readonly number[];
  kline: boolean;
  liquidation: boolean;
  limits: SubscribeLimits;
}

/** orderbook.mdx depths; kline.mdx / REST kline cover spot, linear, inverse; all-liquidation.mdx linear and inverse. */
export const CATEGORY_RULES: Record<Category, CategoryRules> = {
  // "Spot can input up to 10 args for each subscription request"
  spot: { depths: V5_BOOK_DEPTHS, kline: true, liquidation: false, limits: { maxArgs: 10, maxChars: PUBLIC_ARGS_CHARS } },
  // "No args limit for Futures and Spread for now"
  linear: { depths: V5_BOOK_DEPTHS, kline: true, liquidation: true, limits: { maxChars: PUBLIC_ARGS_CHARS } },
  inverse: { depths: V5_BOOK_DEPTHS, kline: true, liquidation: true, limits: { maxChars: PUBLIC_ARGS_CHARS } },
  // "Options can input up to 2000 args for a single connection"
  option: { depths: [25, 100], kline: false, liquidation: false, limits: { maxTopics: 2000, maxChars: PUBLIC_ARGS_CHARS } },
};

export type V5Topic =
  | { kind: 'trade'; id: string; symbol: string }
  | { kind: 'ticker'; id: string; symbol: string }
  | { kind: 'book'; id: string; symbol: string; depth: number }
  | { kind: 'kline'; id: string; symbol: string; interval: KlineInterval }
  | { kind: 'liquidation'; id: string; symbol: string };

/** A topic of one category's endpoint, or undefined when that endpoint has no such topic. */
export function parseV5Topic(topic: string, category: Category = 'spot'): V5Topic | undefined {
  const parts = topic.split('.');
  const symbol = parts[parts.length - 1];
  const rules = CATEGORY_RULES[category];
  const id = instrumentId(category, symbol);
  // trade.mdx: "option uses baseCoin, e.g., publicTrade.BTC"
  if (category === 'option' && parts.length === 2 && parts[0] === 'publicTrade') {
    return BASE_COIN_RE.test(symbol) ? { kind: 'trade', id, symbol } : undefined;
  }
  if (!instrumentSpec(category, symbol)) return undefined;
  if (parts.length === 2 && parts[0] === 'publicTrade' && category !== 'option') return { kind: 'trade', id, symbol };
  if (parts.length === 2 && parts[0] === 'tickers') return { kind: 'ticker', id, symbol };
  if (parts.length === 2 && parts[0] === 'allLiquidation' && rules.liquidation) return { kind: 'liquidation', id, symbol };
  if (parts.length === 3 && parts[0] === 'orderbook' && rules.depths.map(String).includes(parts[1])) {
    return { kind: 'book', id, symbol, depth: Number(parts[1]) };
  }
  if (parts.length === 3 && parts[0] === 'kline' && rules.kline && isKlineInterval(parts[1])) return { kind: 'kline', id, symbol, interval: parts[1] };
  return undefined;
}

function feedOfTopic(t: V5Topic): FeedKey {
  switch (t.kind) {
    case 'trade':
      return feed.trade(t.id);
    case 'ticker':
      return feed.ticker(t.id);
    case 'book':
      return feed.book(t.id, t.depth);
    case 'kline':
      return feed.kline(t.id, t.interval);
    case 'liquidation':
      return feed.liquidation(t.id);
  }
}

export class V5PublicDialect implements Dialect {
  readonly name: string;
  /** the last full ticker sent per topic: linear/inverse deltas are diffs against it */
  private readonly lastTicker = new Map<string, TickerFields>();
  /** linear and inverse tickers send deltas; spot and option send whole snapshots (ticker.mdx) */
  private readonly deltas: boolean;

  constructor(
    private readonly ctx: DialectContext,
    readonly category: Category = 'spot',
  ) {
    this.name = category === 'spot' ? 'v5-public' : `v5-public-${category}`;
    this.deltas = category === 'linear' || category === 'inverse';
  }

  onFrame(session: Session, _text: string, frame: unknown, decodeError: string | undefined): void {
    if (decodeError !== undefined) return replyDecodeError(session, decodeError);
    const req = asOpFrame(frame);
    const op = req?.op;
    if (req && op === 'ping') session.sendJson(this.pong(session, req));
    else if (req && (op === 'subscribe' || op === 'unsubscribe')) this.subscription(session, req, op);
    else session.sendJson(v5Envelope(session, false, 'error:invalid op', req));
  }

  withMarket(market: Market): V5PublicDialect {
    return new V5PublicDialect({ ...this.ctx, market }, this.category);
  }

  parse(topic: string): V5Topic | undefined {
    return parseV5Topic(topic, this.category);
  }

  feedOf(topic: string): FeedKey | undefined {
    const t = this.parse(topic);
    return t && feedOfTopic(t);
  }

  encodeTick(topic: string, tick: TickResult): string[] {
    const t = this.parse(topic);
    if (!t) return [];
    switch (t.kind) {
      case 'trade': {
        const trades = tick.trades.get(t.id) ?? [];
        return trades.length ? [this.tradeFrame(topic, trades, tick.now)] : [];
      }
      case 'ticker': {
        const frame = this.tickerUpdate(topic, t.id, tick.now);
        return frame ? [frame] : [];
      }
      case 'book': {
        const delta = tick.books.get(feed.book(t.id, t.depth));
        if (!delta) return [];
        // Depth 1 is snapshot-only on spot, linear and inverse (orderbook.mdx).
        return [t.depth === 1 ? this.snapshotFrame(topic, t, tick.now) : this.deltaFrame(topic, t, delta, tick.now)];
      }
      case 'kline': {
        const k = tick.klines.get(feed.kline(t.id, t.interval));
        if (!k) return [];
        const frames = k.closed ? [this.klineFrame(topic, t, k.closed, tick.now)] : [];
        frames.push(this.klineFrame(topic, t, k.current, tick.now));
        return frames;
      }
      case 'liquidation': {
        const list = tick.liquidations?.get(feed.liquidation(t.id)) ?? [];
        return list.length ? [this.liquidationFrame(topic, t.id, list, tick.now)] : [];
      }
    }
  }

  encodeBookSnapshot(topic: string, now: number): string | undefined {
    const t = this.parse(topic);
    return t?.kind === 'book' ? this.snapshotFrame(topic, t, now) : undefined;
  }

  encodeBookDelta(topic: string, delta: BookDelta, now: number): string | undefined {
    const t = this.parse(topic);
    return t?.kind === 'book' ? this.deltaFrame(topic, t, delta, now) : undefined;
  }

  /** What a client holding every ticker message of this topic has: the last full ticker sent (or the current one). */
  currentTicker(symbol: string): TickerFields {
    const topic = `tickers.${symbol}`;
    const t = this.parse(topic);
    if (t?.kind !== 'ticker') throw new Error(`simulator: ${symbol} is not a ${this.category} symbol`);
    return this.lastTicker.get(topic) ?? fullTicker(this.ctx.market, this.category, this.ctx.market.symbol(t.id), this.ctx.now());
  }

  /** A trade frame for trades given by the caller (control routes: block trades, exact long decimals). */
  encodeTrades(topic: string, trades: readonly Trade[], now: number): string | undefined {
    return this.parse(topic)?.kind === 'trade' && trades.length ? this.tradeFrame(topic, trades, now) : undefined;
  }

  encodeLiquidations(topic: string, list: readonly Liquidation[], now: number): string | undefined {
    const t = this.parse(topic);
    return t?.kind === 'liquidation' && list.length ? this.liquidationFrame(topic, t.id, list, now) : undefined;
  }

  /** The ticker snapshot a (re)subscriber gets now. */
  tickerSnapshot(topic: string, now: number): string | undefined {
    const t = this.parse(topic);
    if (t?.kind !== 'ticker') return undefined;
    if (!this.deltas) {
      const full = fullTicker(this.ctx.market, this.category, this.ctx.market.symbol(t.id), now);
      this.lastTicker.set(topic, full);
      return this.tickerFrame(topic, 'snapshot', full, now);
    }
    // Everyone holding this topic has the last ticker sent; a new subscriber gets exactly that.
    let last = this.lastTicker.get(topic);
    if (!last) this.lastTicker.set(topic, (last = fullTicker(this.ctx.market, this.category, this.ctx.market.symbol(t.id), now)));
    return this.tickerFrame(topic, 'snapshot', last, now);
  }

  // ---- replies -------------------------------------------------------------------------

  private pong(session: Session, req: OpFrame): Record<string, unknown> {
    if (this.category === 'option') return { args: [String(this.ctx.now())], op: 'pong' };
    const out: Record<string, unknown> = { success: true, ret_msg: 'pong', conn_id: session.connId };
    if (this.category !== 'spot') out.req_id = req.req_id ?? '';
    else if (req.req_id !== undefined) out.req_id = req.req_id;
    out.op = 'ping';
    return out;
  }

  private subscription(session: Session, req: OpFrame, op: 'subscribe' | 'unsubscribe'): void {
    const valid = (t: string): boolean => this.parse(t) !== undefined;
    const after = (topics: string[]): void => this.sendInitial(session, topics);
    const rules = CATEGORY_RULES[this.category];
    if (this.category === 'option') return this.optionSubscription(session, req, op, valid, after);
    // Linear and inverse reply with ret_msg "" and always a req_id ("" when none was sent).
    const derivative = this.category !== 'spot';
    const envelope = derivative
      ? (s: Session, success: boolean, retMsg: string, r: OpFrame | undefined, o?: string): Record<string, unknown> => ({
          success, ret_msg: retMsg, conn_id: s.connId, req_id: r?.req_id ?? '', op: o ?? r?.op,
        })
      : v5Envelope;
    handleOpSubscription(this.ctx, session, req, op, valid, envelope, after, { successMsg: derivative ? '' : undefined, limits: rules.limits });
  }

  /**
   * Option acks are COMMAND_RESP frames listing successTopics and failTopics, without op,
   * req_id or ret_msg (Connect page). Each topic succeeds or fails on its own; a request over
   * the connection's budget, or an injected rejection, fails every topic.
   */
  private optionSubscription(session: Session, req: OpFrame, op: 'subscribe' | 'unsubscribe', valid: (t: string) => boolean, after: (t: string[]) => void): void {
    if (!Array.isArray(req.args) || req.args.some((a) => typeof a !== 'string')) {
      return void session.sendJson(v5Envelope(session, false, 'error:args must be an array of strings', req, op));
    }
    const args = req.args as string[];
    const good = args.filter(valid);
    const failAll = op === 'subscribe' && (budgetError(session.topics, good, CATEGORY_RULES.option.limits) !== undefined || this.ctx.faults.takeRejection() !== undefined);
    const successTopics = failAll ? [] : good;
    const failTopics = failAll ? args : args.filter((t) => !valid(t));
    const changed: string[] = [];
    for (const t of successTopics) {
      if (op === 'subscribe' ? !session.topics.has(t) && session.topics.add(t) : session.topics.delete(t)) changed.push(t);
    }
    session.sendJson({ success: failTopics.length === 0, conn_id: session.connId, data: { failTopics, successTopics }, type: 'COMMAND_RESP' });
    if (changed.length === 0) return;
    if (op === 'subscribe') {
      this.ctx.subscribed(session, changed);
      after(changed);
    } else this.ctx.unsubscribed(session, changed);
  }

  /** Tickers and books start with a snapshot right after the subscribe reply, as on Bybit. */
  private sendInitial(session: Session, topics: string[]): void {
    const now = this.ctx.now();
    for (const topic of topics) {
      const t = this.parse(topic);
      if (t?.kind === 'ticker' && !this.ctx.faults.takeTickerSnapshotSkip()) {
        const frame = this.tickerSnapshot(topic, now);
        if (frame) session.send(frame);
      }
      if (t?.kind === 'book') session.send(this.snapshotFrame(topic, t, now));
    }
  }

  // ---- frames --------------------------------------------------------------------------

  private tradeFrame(topic: string, trades: readonly Trade[], now: number): string {
    const data = trades.map((tr) => this.tradeItem(tr));
    if (this.category === 'option') {
      const seq = trades[trades.length - 1].seq;
      return JSON.stringify({ id: `${topic}-${seq}-${now}`, topic, type: 'snapshot', ts: now, data });
    }
    return JSON.stringify({ topic, type: 'snapshot', ts: now, data });
  }

  /** trade.mdx: L only on perps and futures; mP, iP, mIv, iv only on options. */
  private tradeItem(tr: Trade): Record<string, unknown> {
    const sym = this.ctx.market.symbol(tr.instrument);
    const p = tr.text?.price ?? sym.price(tr.price);
    const v = tr.text?.qty ?? sym.qty(tr.qty);
    const head = { T: tr.time, s: tr.symbol, S: tr.side, v, p };
    const tail = { i: tr.id, BT: tr.blockTrade ?? false, seq: tr.seq };
    if (this.category === 'linear' || this.category === 'inverse') return { ...head, L: tr.tick, ...tail };
    if (this.category !== 'option') return { ...head, ...tail };
    const m = this.ctx.market.optionModel(sym.spec, tr.time);
    return { ...head, ...tail, mP: m.price.toFixed(8), iP: m.underlying.toFixed(2), mIv: m.vol.toFixed(4), iv: (m.vol + 0.01).toFixed(4) };
  }

  /** A linear/inverse delta with the fields that changed since the last message (none: no frame); spot/option a snapshot. */
  private tickerUpdate(topic: string, id: string, now: number): string | undefined {
    const full = fullTicker(this.ctx.market, this.category, this.ctx.market.symbol(id), now);
    const prev = this.lastTicker.get(topic);
    this.lastTicker.set(topic, full);
    if (!this.deltas || !prev) return this.tickerFrame(topic, 'snapshot', full, now);
    const delta = tickerDelta(prev, full);
    return delta && this.tickerFrame(topic, 'delta', delta, now);
  }

  /** Key order of each ticker.mdx example. */
  private tickerFrame(topic: string, type: 'snapshot' | 'delta', data: TickerFields, now: number): string {
    const cs = this.ctx.market.symbol(instrumentId(this.category, data.symbol)).crossSeq;
    if (this.category === 'spot') return JSON.stringify({ topic, ts: now, type, cs, data });
    if (this.category === 'option') return JSON.stringify({ id: `${topic}-${cs}-${now}`, topic, ts: now, data, type });
    return JSON.stringify({ topic, type, data, cs, ts: now });
  }

  private snapshotFrame(topic: string, t: Extract<V5Topic, { kind: 'book' }>, now: number): string {
    const view = this.ctx.market.book(t.id, t.depth).view();
    return this.bookFrame(topic, 'snapshot', t, view.bids, view.asks, view.u, now);
  }

  private deltaFrame(topic: string, t: Extract<V5Topic, { kind: 'book' }>, delta: BookDelta, now: number): string {
    return this.bookFrame(topic, 'delta', t, delta.bids, delta.asks, delta.u, now);
  }

  /**
   * orderbook.mdx: spot (all levels) and futures level 1 put "ts" before "type"; the other
   * futures levels (and option, as in the page's example) put it after.
   */
  private bookFrame(topic: string, type: string, t: Extract<V5Topic, { kind: 'book' }>, b: Level[], a: Level[], u: number, now: number): string {
    const seq = this.ctx.market.symbol(t.id).crossSeq;
    const data = { s: t.symbol, b, a, u, seq };
    if (this.category === 'spot' || t.depth === 1) return JSON.stringify({ topic, ts: now, type, data, cts: now - 2 });
    return JSON.stringify({ topic, type, ts: now, data, cts: now - 2 });
  }

  private klineFrame(topic: string, t: { id: string; interval: KlineInterval }, c: Candle, now: number): string {
    const sym = this.ctx.market.symbol(t.id);
    const data = [{
      start: c.start, end: c.end, interval: t.interval,
      open: sym.price(c.open), close: sym.price(c.close), high: sym.price(c.high), low: sym.price(c.low),
      volume: sym.qty(c.volume), turnover: c.turnover.toFixed(8), confirm: c.confirm, timestamp: now,
    }];
    return JSON.stringify({ topic, data, ts: now, type: 'snapshot' });
  }

  private liquidationFrame(topic: string, id: string, list: readonly Liquidation[], now: number): string {
    const sym = this.ctx.market.symbol(id);
    const data = list.map((l) => ({ T: l.time, s: sym.spec.symbol, S: l.side, v: sym.qty(l.qty), p: sym.price(l.price) }));
    return JSON.stringify({ topic, type: 'snapshot', ts: now, data });
  }
}
