/**
 * Bybit V5: the dialect Bybit serves today. Topics are strings ("publicTrade.BTCUSDT"), which
 * are also the routing keys; requests carry `op`, `args` and a `req_id` echoed in the reply.
 */
import { decodeOpFrame, encodeOpRequests } from './op-frames';
import type { BookFrame } from '../book/frame';
import type { Category, Dialect, TopicSpec, WireTopic } from './types';
import { CATEGORIES } from './types';
import { messageTopic, readCandle, specCategory, type Balance, type OutputItem } from './payloads';
import {
  BOOK_DEPTHS_BY_CATEGORY, baseTicker, categoryBookDepth, categoryTickerItems, liquidationItems, mergeTicker, positionItems, privateAliases,
  privateItems, publicEndpoint, v5Endpoints,
} from './v5-derivatives';
import { addAmounts, amountReader, isRec, levels, num, str, strOrNull, type AmountReader, type Decimal, type Rec } from './fields';

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

type Drop = ((reason: string) => void) | undefined;

function tradeItems(spec: TopicSpec, f: Rec, dropped: Drop): OutputItem[] {
  const data = Array.isArray(f.data) ? f.data : [];
  const d = amountReader(spec.numbers);
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
    const price = d(t.p);
    const qty = d(t.v);
    // Price and qty are what a trade is: without them the item is malformed, not a trade of 0.
    if (price === null || qty === null) {
      dropped?.('trade without a readable price or qty');
      continue;
    }
    if (t.s !== symbol) {
      symbol = str(t.s);
      topic = messageTopic(spec, symbol);
    }
    items.push({
      channel: 'trade',
      topic,
      symbol,
      payload: {
        category, symbol, id: str(t.i), price, qty, side: str(t.S), time: num(t.T), seq: num(t.seq), blockTrade: typeof t.BT === 'boolean' ? t.BT : null,
      },
      raw: t,
    });
  }
  return items;
}

function tickerItems(spec: TopicSpec, f: Rec): OutputItem[] {
  if (specCategory(spec) !== 'spot') return categoryTickerItems(spec, f);
  const d = f.data;
  if (!isRec(d)) return [];
  const a = amountReader(spec.numbers);
  const symbol = str(d.symbol);
  // Spot reads the fields every category shares, plus its USD index price.
  const payload = { ...baseTicker('spot', symbol, d, f.ts, a), usdIndexPrice: a(d.usdIndexPrice) };
  return [{ channel: 'ticker', topic: messageTopic(spec, symbol), symbol, payload, raw: d }];
}

function klineItems(spec: TopicSpec, f: Rec, dropped: Drop): OutputItem[] {
  const data = Array.isArray(f.data) ? f.data : [];
  const a = amountReader(spec.numbers);
  const symbol = spec.symbol ?? '';
  const topic = messageTopic(spec, symbol);
  const items: OutputItem[] = [];
  for (const k of data) {
    if (!isRec(k)) continue;
    const candle = readCandle(spec, a, { start: k.start, open: k.open, high: k.high, low: k.low, close: k.close, volume: k.volume });
    if (!candle) {
      dropped?.('candle without a readable start, open, high, low, close or volume');
      continue;
    }
    items.push({
      channel: 'kline',
      topic,
      symbol,
      payload: {
        ...candle, category: specCategory(spec), end: num(k.end), turnover: a(k.turnover), confirm: typeof k.confirm === 'boolean' ? k.confirm : null, time: num(k.timestamp ?? f.ts),
      },
      raw: k,
    });
  }
  return items;
}

/** One V5 wallet coin: what the user owns (wallet.mdx: walletBalance includes spotBorrow). */
function v5Balance(c: Rec, a: AmountReader): Balance {
  const wallet = a(c.walletBalance);
  const borrowed = a(c.spotBorrow);
  const locked = a(c.locked);
  const total = borrowed === null ? wallet : addAmounts(wallet, borrowed, -1);
  return { coin: str(c.coin), total, free: addAmounts(total, locked ?? a('0'), -1), locked, borrowed, equity: a(c.equity), usdValue: a(c.usdValue) };
}

function walletItems(spec: TopicSpec, f: Rec): OutputItem[] {
  const data = Array.isArray(f.data) ? f.data : [];
  const a = amountReader(spec.numbers);
  const balances: Balance[] = [];
  for (const account of data) {
    if (!isRec(account) || !Array.isArray(account.coin)) continue;
    for (const c of account.coin) if (isRec(c)) balances.push(v5Balance(c, a));
  }
  return [{ channel: 'account', topic: messageTopic(spec, ''), symbol: '', payload: { category: 'spot', time: num(f.creationTime), balances }, raw: f.data }];
}

/** "0" / "0.00" trigger prices and "" words mean "none" on plain orders (order.mdx example). */
function nonZero(value: Decimal | null): Decimal | null {
  return value === null || Number(value) === 0 ? null : value;
}

function orderItems(spec: TopicSpec, f: Rec): OutputItem[] {
  return privateItems(spec, f, (o, category, symbol, a) => {
    const cumQty = a(o.cumExecQty);
    return {
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
        price: a(o.price),
        qty: a(o.qty),
        marketUnit: strOrNull(o.marketUnit),
        status: str(o.orderStatus),
        cumQty,
        cumQuote: a(o.cumExecValue),
        // Nothing filled, nothing to average: Bybit sends "" or "0" then.
        avgPrice: cumQty !== null && Number(cumQty) > 0 ? a(o.avgPrice) : null,
        leavesQty: a(o.leavesQty),
        fee: a(o.cumExecFee),
        triggerPrice: nonZero(a(o.triggerPrice)),
        stopOrderType: strOrNull(o.stopOrderType),
        rejectReason: strOrNull(o.rejectReason),
        cancelType: strOrNull(o.cancelType),
        createdTime: num(o.createdTime),
        updatedTime: num(o.updatedTime),
      },
      raw: o,
    };
  });
}

function executionItems(spec: TopicSpec, f: Rec): OutputItem[] {
  return privateItems(spec, f, (e, category, symbol, a) => ({
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
      price: a(e.execPrice),
      qty: a(e.execQty),
      execValue: a(e.execValue),
      fee: a(e.execFee),
      feeRate: num(e.feeRate),
      feeCoin: strOrNull(e.feeCurrency),
      execType: strOrNull(e.execType),
      orderType: strOrNull(e.orderType),
      isMaker: e.isMaker === true,
      seq: num(e.seq),
      time: num(e.execTime),
    },
    raw: e,
  }));
}

function normalize(spec: TopicSpec, frame: unknown, dropped?: (reason: string) => void): OutputItem[] {
  if (!isRec(frame)) return [];
  switch (spec.channel) {
    case 'trade': return tradeItems(spec, frame, dropped);
    case 'ticker': return tickerItems(spec, frame);
    case 'kline': return klineItems(spec, frame, dropped);
    case 'account': return walletItems(spec, frame);
    case 'order': return orderItems(spec, frame);
    case 'execution': return executionItems(spec, frame);
    case 'position': return positionItems(spec, frame);
    case 'liquidation': return liquidationItems(spec, frame, dropped);
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
  return {
    kind, symbol: str(d.s), bids: levels(d.b), asks: levels(d.a), updateId: num(d.u), time: num(frame.ts), seq: num(d.seq), matchTime: num(frame.cts), raw: d,
  };
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
