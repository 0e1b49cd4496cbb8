/**
 * Bybit V5: the dialect Bybit serves today. Topics are strings ("publicTrade.BTCUSDT"), which
 * are also the routing keys; requests carry `op`, `args` and a `req_id` echoed in the reply.
 */
import { decodeOpFrame, encodeOpRequests } from './op-frames';
import type { BookFrame } from '../book/frame';
import type { Dialect, Endpoints, Network, TopicSpec, WireTopic } from './types';
import { messageTopic, type Balance, type OutputItem } from './payloads';
import { isRec, levels, num, numOrNull, str, strOrNull, type Rec } from './fields';

export const BOOK_DEPTHS = [1, 50, 200, 1000];
const HOSTS: Record<Exclude<Network, 'custom'>, string> = {
  mainnet: 'wss://stream.bybit.com',
  testnet: 'wss://stream-testnet.bybit.com',
  demo: 'wss://stream-demo.bybit.com',
  // Regional mainnet hosts (websocket/wss-authentication.mdx), same paths as stream.bybit.com.
  'mainnet-tr': 'wss://stream.bybit.tr',
  'mainnet-kz': 'wss://stream.bybit.kz',
  'mainnet-id': 'wss://stream.bybit.id',
  'mainnet-ge': 'wss://stream.bybitgeorgia.ge',
  'mainnet-jp': 'wss://stream.manepa.jp',
};

function endpoints(network: Network, custom?: { publicUrl?: string; privateUrl?: string }): Endpoints {
  if (network === 'custom') return { public: custom?.publicUrl || undefined, private: custom?.privateUrl || undefined };
  // Demo trading has no market data of its own: public streams come from mainnet.
  const publicHost = network === 'demo' ? HOSTS.mainnet : HOSTS[network];
  return { public: `${publicHost}/v5/public/spot`, private: `${HOSTS[network]}/v5/private` };
}

function bookDepth(requested: number): number {
  return BOOK_DEPTHS.find((d) => d >= requested) ?? BOOK_DEPTHS[BOOK_DEPTHS.length - 1];
}

function wireTopics(spec: TopicSpec): WireTopic[] {
  const s = spec.symbol ?? '';
  switch (spec.channel) {
    case 'trade': return [{ endpoint: 'public', key: `publicTrade.${s}`, book: false }];
    case 'ticker': return [{ endpoint: 'public', key: `tickers.${s}`, book: false }];
    case 'kline': return [{ endpoint: 'public', key: `kline.${spec.interval}.${s}`, book: false }];
    case 'orderbook': return [{ endpoint: 'public', key: `orderbook.${bookDepth(spec.depth ?? 1)}.${s}`, book: true }];
    // V5 has no separate best bid/ask stream: orderbook.1 is it.
    case 'bookticker': return [{ endpoint: 'public', key: `orderbook.1.${s}`, book: true }];
    case 'account': return [{ endpoint: 'private', key: 'wallet', book: false }];
    case 'order': return [{ endpoint: 'private', key: 'order', book: false }];
    case 'execution': return [{ endpoint: 'private', key: 'execution', book: false }];
  }
}

function tradeItems(spec: TopicSpec, f: Rec): OutputItem[] {
  const data = Array.isArray(f.data) ? f.data : [];
  const items: OutputItem[] = [];
  // A frame's trades share one symbol: build its topic string once, not per trade.
  let symbol = '';
  let topic = '';
  for (const t of data) {
    if (!isRec(t)) continue;
    if (t.s !== symbol) {
      symbol = str(t.s);
      topic = messageTopic(spec, symbol);
    }
    items.push({
      channel: 'trade',
      topic,
      symbol,
      payload: { symbol, id: str(t.i), price: num(t.p), qty: num(t.v), side: str(t.S), time: num(t.T) },
      raw: t,
    });
  }
  return items;
}

function tickerItems(spec: TopicSpec, f: Rec): OutputItem[] {
  const d = f.data;
  if (!isRec(d)) return [];
  const symbol = str(d.symbol);
  return [{
    channel: 'ticker',
    topic: messageTopic(spec, symbol),
    symbol,
    payload: {
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
  return [{ channel: 'account', topic: messageTopic(spec, ''), symbol: '', payload: { time: num(f.creationTime), balances }, raw: f.data }];
}

function orderItems(spec: TopicSpec, f: Rec): OutputItem[] {
  const data = Array.isArray(f.data) ? f.data : [];
  const items: OutputItem[] = [];
  for (const o of data) {
    if (!isRec(o)) continue;
    const symbol = str(o.symbol);
    items.push({
      channel: 'order',
      topic: messageTopic(spec, symbol),
      symbol,
      payload: {
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
    const symbol = str(e.symbol);
    items.push({
      channel: 'execution',
      topic: messageTopic(spec, symbol),
      symbol,
      payload: {
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
  endpoints,
  bookDepth,
  wireTopics,
  encodePing: (id) => JSON.stringify({ req_id: id, op: 'ping' }),
  encodeAuth: (apiKey, expires, signature, reqId) => JSON.stringify({ req_id: reqId, op: 'auth', args: [apiKey, expires, signature] }),
  encodeRequests: (op, _endpoint, keys, nextReqId) => encodeOpRequests(op, keys, v5.maxArgsPerRequest, nextReqId),
  decode: decodeOpFrame,
  normalize,
  bookFrame,
};
