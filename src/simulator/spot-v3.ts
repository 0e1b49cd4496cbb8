/** Spot v3 public (`/spot/public/v3`): op/args requests, snapshot-only pushes. */
import type { Dialect, DialectContext } from './dialect';
import { feed, type FeedKey, type Market, type TickResult } from './market';
import type { Session } from './session';
import { SPOT_INTERVALS, bestOf, candleItem, tickerItem, tradeItem } from './spot-items';
import { SYMBOL_RE } from './topics';
import { asOpFrame, handleOpSubscription, type OpFrame } from './v5-common';

/**
 * What both v3 sockets do first with a frame: answer an undecodable one and a ping; returns the
 * request for the socket to handle, or undefined when it was answered here.
 */
export function v3Request(ctx: DialectContext, session: Session, frame: unknown, decodeError: string | undefined): OpFrame | undefined {
  if (decodeError !== undefined) {
    session.sendJson(v3Envelope(session, false, `Failed to decode incoming data: ${decodeError}`, undefined));
    return undefined;
  }
  const req = asOpFrame(frame);
  if (!req) {
    session.sendJson(v3Envelope(session, false, 'error:invalid op', req));
    return undefined;
  }
  if (req.op !== 'ping') return req;
  session.sendJson(v3Pong(session, req, ctx.now()));
  return undefined;
}

const V3_BOOK_DEPTH = 40;

type V3Topic =
  | { kind: 'book'; symbol: string }
  | { kind: 'trade'; symbol: string }
  | { kind: 'kline'; symbol: string; interval: string }
  | { kind: 'ticker'; symbol: string }
  | { kind: 'bookticker'; symbol: string };

export function parseV3Topic(topic: string): V3Topic | undefined {
  const parts = topic.split('.');
  const symbol = parts[parts.length - 1];
  if (!SYMBOL_RE.test(symbol)) return undefined;
  if (parts.length === 3 && parts[0] === 'orderbook' && parts[1] === String(V3_BOOK_DEPTH)) return { kind: 'book', symbol };
  if (parts.length === 3 && parts[0] === 'kline' && parts[1] in SPOT_INTERVALS) return { kind: 'kline', symbol, interval: parts[1] };
  if (parts.length === 2 && parts[0] === 'trade') return { kind: 'trade', symbol };
  if (parts.length === 2 && parts[0] === 'tickers') return { kind: 'ticker', symbol };
  if (parts.length === 2 && parts[0] === 'bookticker') return { kind: 'bookticker', symbol };
  return undefined;
}

/** `{op, success, req_id?, ret_msg, conn_id}` in the v3 key order. */
export function v3Envelope(session: Session, success: boolean, retMsg: string, req: OpFrame | undefined, op?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const opName = op ?? (typeof req?.op === 'string' ? req.op : undefined);
  if (opName !== undefined) out.op = opName;
  out.success = success;
  if (req && req.req_id !== undefined) out.req_id = req.req_id;
  out.ret_msg = retMsg;
  out.conn_id = session.connId;
  return out;
}

/** v3 answers pings on both sockets with `{op:"pong", args:[ms], req_id?, conn_id}`. */
export function v3Pong(session: Session, req: OpFrame, now: number): Record<string, unknown> {
  const out: Record<string, unknown> = { op: 'pong', args: [now] };
  if (req.req_id !== undefined) out.req_id = req.req_id;
  out.conn_id = session.connId;
  return out;
}

/** subscribe / unsubscribe on v3 sockets (shared with the private one). */
export function handleV3Subscription(
  ctx: DialectContext,
  session: Session,
  req: OpFrame,
  op: 'subscribe' | 'unsubscribe',
  valid: (t: string) => boolean,
  after?: (topics: string[]) => void,
): void {
  handleOpSubscription(ctx, session, req, op, valid, v3Envelope, after);
}

export class SpotV3PublicDialect implements Dialect {
  readonly name = 'spot-v3-public';

  constructor(private readonly ctx: DialectContext) {}

  onFrame(session: Session, _text: string, frame: unknown, decodeError: string | undefined): void {
    const req = v3Request(this.ctx, session, frame, decodeError);
    if (!req) return;
    const op = req.op;
    if (op === 'subscribe' || op === 'unsubscribe') {
      handleV3Subscription(this.ctx, session, req, op, (t) => parseV3Topic(t) !== undefined, (topics) => {
        // Full-snapshot topics start right away so a new subscriber is not blank until the next change.
        const now = this.ctx.now();
        for (const t of topics) {
          const p = parseV3Topic(t);
          if (p && (p.kind === 'book' || p.kind === 'ticker' || p.kind === 'bookticker')) session.send(this.encodeNow(t, p, now));
        }
      });
    } else session.sendJson(v3Envelope(session, false, 'error:invalid op', req));
  }

  withMarket(market: Market): SpotV3PublicDialect {
    return new SpotV3PublicDialect({ ...this.ctx, market });
  }

  feedOf(topic: string): FeedKey | undefined {
    const t = parseV3Topic(topic);
    if (!t) return undefined;
    switch (t.kind) {
      case 'book':
        return feed.book(t.symbol, V3_BOOK_DEPTH);
      case 'bookticker':
        return feed.book(t.symbol, 1);
      case 'trade':
        return feed.trade(t.symbol);
      case 'ticker':
        return feed.ticker(t.symbol);
      case 'kline':
        return feed.kline(t.symbol, SPOT_INTERVALS[t.interval]);
    }
  }

  encodeTick(topic: string, tick: TickResult): string[] {
    const t = parseV3Topic(topic);
    if (!t) return [];
    const m = this.ctx.market;
    switch (t.kind) {
      case 'trade':
        // One trade per message on v3.
        return (tick.trades.get(t.symbol) ?? []).map((tr) => frame(topic, tick.now, tradeItem(m, tr)));
      case 'ticker':
        return [this.encodeNow(topic, t, tick.now)];
      case 'book':
      case 'bookticker':
        return tick.books.get(this.feedOf(topic)!) ? [this.encodeNow(topic, t, tick.now)] : [];
      case 'kline': {
        const k = tick.klines.get(this.feedOf(topic)!);
        if (!k) return [];
        const frames = k.closed ? [frame(topic, tick.now, candleItem(m, t.symbol, k.closed))] : [];
        frames.push(frame(topic, tick.now, candleItem(m, t.symbol, k.current)));
        return frames;
      }
    }
  }

  /** Snapshot-style topics encode the current state. */
  private encodeNow(topic: string, t: V3Topic, now: number): string {
    const m = this.ctx.market;
    if (t.kind === 'book') {
      const view = m.book(t.symbol, V3_BOOK_DEPTH).view();
      return frame(topic, now, { s: t.symbol, t: now - 2, b: view.bids, a: view.asks });
    }
    if (t.kind === 'bookticker') return frame(topic, now, { s: t.symbol, ...bestOf(m.book(t.symbol, 1).view()), t: now - 1 });
    return frame(topic, now, tickerItem(m, t.symbol, now - 3));
  }
}

function frame(topic: string, ts: number, data: unknown): string {
  return JSON.stringify({ topic, type: 'snapshot', ts, data });
}
