/**
 * Bybit V5: the dialect Bybit serves today. Topics are strings ("publicTrade.BTCUSDT"), which
 * are also the routing keys; requests carry `op`, `args` and a `req_id` echoed in the reply.
 */
import { decodeOpFrame, encodeOpRequests } from './op-frames';
import type { BookFrame } from '../book/frame';
import type { Category, Dialect, TopicSpec, WireTopic } from './types';
import { CATEGORIES } from './types';
import { messageTopic, specCategory, type Balance, type OutputItem } from './payloads';
import {
  BOOK_DEPTHS_BY_CATEGORY, categoryBookDepth, categoryTickerItems, liquidationItems, mergeTicker, positionItems, privateAliases,
  privateItemCategory, publicEndpoint, v5Endpoints,
} from './v5-derivatives';
import { isRec, levels, num, numOrNull, str, strOrNull, type Rec } from './fields';

export const BOOK_DEPTHS = [...BOOK_DEPTHS_BY_CATEGORY.spot];

function bookDepth(requested: number, category: Category = 'spot'): number {
  return categoryBookDepth(category, requested);
}

/** order/execution: spot by default; position: linear. A category is the categorised topic, `all` the all-in-one. */
function privateKey(base: string, spec: TopicSpec): string {
  const category = spec.category ?? (base === 'position' ? 'linear' : 'spot');
  return category === 'all' ? base : `${base}.${category}`;
}

function wireTopics(spec: TopicSpec): WireTopic[] {
  const s = spec.symbol ?? '';
  const category = specCategory(spec);
  const endpoint = publicEndpoint(category);
  switch (spec.channel) {
    // Option trades are published per base coin (publicTrade.BTC): the symbol is the base coin there.
    case 'trade': return [{ endpoint, key: `publicTrade.${s}`, book: false }];
    case 'ticker': return [{ endpoint, key: `tickers.${s}`, book: false, merge: category === 'linear' || category === 'inverse' }];
    case 'kline': return [{ endpoint, key: `kline.${spec.interval}.${s}`, book: false }];
    case 'orderbook': return [{ endpoint, key: `orderbook.${bookDepth(spec.depth ?? 1, category)}.${s}`, book: true }];
    // V5 has no separate best bid/ask stream: the shallowest book is it (option: 25).
    case 'bookticker': return [{ endpoint, key: `orderbook.${bookDepth(1, category)}.${s}`, book: true }];
    case 'liquidation': return [{ endpoint, key: `allLiquidation.${s}`, book: false }];
    case 'account': return [{ endpoint: 'private', key: 'wallet', book: false }];
    case 'order': return [{ endpoint: 'private', key: privateKey('order', spec), book: false }];
    case 'execution': return [{ endpoint: 'private', key: privateKey('execution', spec), book: false }];
    case 'position': return [{ endpoint: 'private', key: privateKey('position', spec), book: false }];
  }
}

function tradeItems(spec: TopicSpec, f: Rec): OutputItem[] {
  const data = Array.isArray(f.data) ? f.data : [];
  const items: OutputItem[] = [];
  // A frame's trades share one symbol: build its topic string once, not per trade.
  let symbol = '';
  let topic = '';
  const category = specCategory(spec);
  // publicTrade.BTC carries every BTC option: each trade names its own, which must be one of that coin's.
  const prefix = category === 'option' ? `${spec.symbol ?? ''}-` : undefined;
  for (const t of data) {
    if (!isRec(t)) continue;
    if (prefix !== undefined && !str(t.s).startsWith(prefix)) continue;
    if (t.s !== symbol) {
      symbol = str(t.s);
      topic = messageTopic(spec, symbol);
    }
    items.push({
      channel: 'trade',
      topic,
      symbol,
      payload: { category, symbol, id: str(t.i), price: num(t.p), qty: num(t.v), side: str(t.S), time: num(t.T) },
      raw: t,
    });
  }
  return items;
}

function tickerItems(spec: TopicSpec, f: Rec): OutputItem[] {
  if (specCategory(spec) !== 'spot') return categoryTickerItems(spec, f);
  const d = f.data;
  if (!isRec(d)) return [];
  const symbol = str(d.symbol);
  return [{
    channel: 'ticker',
    topic: messageTopic(spec, symbol),
    symbol,
    payload: {
      category: 'spot',
      symbol,
      lastPrice: num(d.lastPrice),
      openPrice24h: num(d.prevPrice24h),
      highPrice24h: num(d.highPrice24h),
      lowPrice24h: num(d.lowPrice24h),
      volume24h: num(d.volume24h),
      turnover24h: num(d.turnover24h),
      change24h: num(d.price24hPcnt),
      usdIndexPrice: numOrNull(d.usdIndexPrice),
      time: num(f.ts),
    },
    raw: d,
  }];
}

function klineItems(spec: TopicSpec, f: Rec): OutputItem[] {
  const data = Array.isArray(f.data) ? f.data : [];
  const symbol = spec.symbol ?? '';
  const interval = spec.interval ?? '1';
  const topic = messageTopic(spec, symbol);
  const items: OutputItem[] = [];
  for (const k of data) {
    if (!isRec(k)) continue;
    items.push({
      channel: 'kline',
      topic,
      symbol,
      payload: {
        category: specCategory(spec),
        symbol,
        interval,
        start: num(k.start),
        open: num(k.open),
        high: num(k.high),
        low: num(k.low),
        close: num(k.close),
        volume: num(k.volume),
        turnover: numOrNull(k.turnover),
        confirm: typeof k.confirm === 'boolean' ? k.confirm : null,
        time: num(k.timestamp ?? f.ts),
      },
      raw: k,
    });
  }
  return items;
}

function walletItems(spec: TopicSpec, f: Rec): OutputItem[] {
  const data = Array.isArray(f.data) ? f.data : [];
  const balances: Balance[] = [];
  for (const account of data) {
    if (!isRec(account) || !Array.isArray(account.coin)) continue;
    for (const c of account.coin) {
      if (!isRec(c)) continue;
      const total = num(c.walletBalance);
      const locked = num(c.locked) || 0;
      balances.push({ coin: str(c.coin), total, free: total - locked, locked });
    }
  }
  return [{ channel: 'account', topic: messageTopic(spec, ''), symbol: '', payload: { category: 'spot', time: num(f.creationTime), balances }, raw: f.data }];
}

function orderItems(spec: TopicSpec, f: Rec): OutputItem[] {
  const data = Array.isArray(f.data) ? f.data : [];
  const items: OutputItem[] = [];
  for (const o of data) {
    if (!isRec(o)) continue;
    const category = privateItemCategory(spec, o);
    if (!category) continue;
    const symbol = str(o.symbol);
    items.push({
      channel: 'order',
      topic: messageTopic(spec, symbol, category),
      symbol,
      payload: {
        category,
        symbol,
        orderId: str(o.orderId),
        clientOrderId: strOrNull(o.orderLinkId),
        side: str(o.side),
        type: str(o.orderType),
        timeInForce: str(o.timeInForce),
        price: num(o.price),
        qty: num(o.qty),
        status: str(o.orderStatus),
        cumQty: num(o.cumExecQty),
        cumQuote: num(o.cumExecValue),
        // Nothing filled, nothing to average: Bybit sends "" or "0" then.
        avgPrice: num(o.cumExecQty) > 0 ? numOrNull(o.avgPrice) : null,
        createdTime: num(o.createdTime),
        updatedTime: num(o.updatedTime),
      },
      raw: o,
    });
  }
  return items;
}

function executionItems(spec: TopicSpec, f: Rec): OutputItem[] {
  const data = Array.isArray(f.data) ? f.data : [];
  const items: OutputItem[] = [];
  for (const e of data) {
    if (!isRec(e)) continue;
    const category = privateItemCategory(spec, e);
    if (!category) continue;
    const symbol = str(e.symbol);
    items.push({
      channel: 'execution',
      topic: messageTopic(spec, symbol, category),
      symbol,
      payload: {
        category,
        symbol,
        execId: strOrNull(e.execId),
        orderId: strOrNull(e.orderId),
        clientOrderId: strOrNull(e.orderLinkId),
        side: strOrNull(e.side),
        price: numOrNull(e.execPrice),
        qty: numOrNull(e.execQty),
        fee: numOrNull(e.execFee),
        feeCoin: strOrNull(e.feeCurrency),
        isMaker: e.isMaker === true,
        time: num(e.execTime),
      },
      raw: e,
    });
  }
  return items;
}

function normalize(spec: TopicSpec, frame: unknown): OutputItem[] {
  if (!isRec(frame)) return [];
  switch (spec.channel) {
    case 'trade': return tradeItems(spec, frame);
    case 'ticker': return tickerItems(spec, frame);
    case 'kline': return klineItems(spec, frame);
    case 'account': return walletItems(spec, frame);
    case 'order': return orderItems(spec, frame);
    case 'execution': return executionItems(spec, frame);
    case 'position': return positionItems(spec, frame);
    case 'liquidation': return liquidationItems(spec, frame);
    case 'orderbook':
    case 'bookticker':
      return []; // served from the local book, see bookFrame
  }
}

function bookFrame(frame: unknown): BookFrame | null {
  if (!isRec(frame) || !isRec(frame.data)) return null;
  const d = frame.data;
  const kind = frame.type === 'delta' ? 'delta' : frame.type === 'snapshot' ? 'snapshot' : null;
  if (!kind) return null;
  return { kind, symbol: str(d.s), bids: levels(d.b), asks: levels(d.a), updateId: numOrNull(d.u), time: num(frame.ts), raw: d };
}

export const v5: Dialect = {
  name: 'v5',
  maxArgsPerRequest: 10,
  privateNeedsSubscribe: true,
  endpoints: v5Endpoints,
  bookDepth,
  wireTopics,
  encodePing: (id) => JSON.stringify({ req_id: id, op: 'ping' }),
  encodeAuth: (apiKey, expires, signature, reqId) => JSON.stringify({ req_id: reqId, op: 'auth', args: [apiKey, expires, signature] }),
  encodeRequests: (op, endpoint, keys, nextReqId) => {
    if (endpoint !== 'private') return encodeOpRequests(op, keys, v5.maxArgsPerRequest, nextReqId);
    // order.mdx: an all-in-one topic (order, execution, position) and a categorised one cannot be in the same request.
    const allInOne = keys.filter((k) => privateAliases(k).length > 0);
    const rest = keys.filter((k) => privateAliases(k).length === 0);
    return [rest, allInOne].flatMap((part) => (part.length ? encodeOpRequests(op, part, v5.maxArgsPerRequest, nextReqId) : []));
  },
  decode: decodeOpFrame,
  normalize,
  bookFrame,
  categories: CATEGORIES,
  mergeFrame: mergeTicker,
  dataAliases: privateAliases,
};
