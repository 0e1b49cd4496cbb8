/**
 * V5 beyond spot: the category endpoints, the ticker merge (linear/inverse push a snapshot,
 * then deltas with only the changed fields), the derivatives and option tickers, positions and
 * liquidations, and the category a private item belongs to. Sources: shared/PROTOCOL-V5-MORE.md,
 * bybit-docs v5/websocket/public/{ticker,all-liquidation}.mdx, v5/websocket/private/position.mdx.
 */
import type { Category, Endpoints, EndpointName, MergeResult, Network, TopicSpec } from './types';
import { CATEGORIES } from './types';
import { messageTopic, specCategory, type OutputItem, type TickerPayload } from './payloads';
import { amountReader, isRec, num, str, strOrNull, type AmountReader, type Rec } from './fields';

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

/** The endpoint that serves a category's public topics (spot keeps the plain `public`). */
export function publicEndpoint(category: Category): EndpointName {
  return category === 'spot' ? 'public' : `public-${category}`;
}

/** `…/v5/public/spot` → `…/v5/public/linear`: the custom URL's last path segment replaced (DESIGN "V5 categories"). */
export function categoryUrl(spotUrl: string, category: Category): string | undefined {
  const m = /^([^?#]*\/)[^/?#]*([?#].*)?$/.exec(spotUrl);
  return m ? `${m[1]}${category}${m[2] ?? ''}` : undefined;
}

/** Every V5 endpoint of a network: one public per category, and private. */
export function v5Endpoints(network: Network, custom?: { publicUrl?: string; privateUrl?: string }): Endpoints {
  const out: Endpoints = {};
  if (network === 'custom') {
    const spot = custom?.publicUrl || undefined;
    for (const c of CATEGORIES) out[publicEndpoint(c)] = spot && (c === 'spot' ? spot : categoryUrl(spot, c));
    out.private = custom?.privateUrl || undefined;
    return out;
  }
  // Demo trading has no market data of its own: public streams come from mainnet.
  const publicHost = network === 'demo' ? HOSTS.mainnet : HOSTS[network];
  for (const c of CATEGORIES) out[publicEndpoint(c)] = `${publicHost}/v5/public/${c}`;
  out.private = `${HOSTS[network]}/v5/private`;
  return out;
}

/** Option books stream 25 or 100 levels (PROTOCOL-V5-MORE.md §4); the others 1, 50, 200, 1000. */
export const BOOK_DEPTHS_BY_CATEGORY: Record<Category, readonly number[]> = {
  spot: [1, 50, 200, 1000],
  linear: [1, 50, 200, 1000],
  inverse: [1, 50, 200, 1000],
  option: [25, 100],
};

export function categoryBookDepth(category: Category, requested: number): number {
  const depths = BOOK_DEPTHS_BY_CATEGORY[category];
  return depths.find((d) => d >= requested) ?? depths[depths.length - 1];
}

/**
 * ticker.mdx: "If a response param is not found in the message, then its value has not
 * changed." A snapshot replaces what is held; a delta is laid over it; a delta before any
 * snapshot cannot be read (the engine waits for the next snapshot).
 */
export function mergeTicker(held: unknown, frame: unknown): MergeResult {
  if (!isRec(frame) || !isRec(frame.data)) return { kind: 'malformed', reason: 'ticker frame without data' };
  if (frame.type === 'snapshot') return { kind: 'ok', held: { ...frame.data }, frame };
  if (frame.type !== 'delta') return { kind: 'malformed', reason: `ticker frame of type ${JSON.stringify(frame.type)}` };
  if (!isRec(held)) return { kind: 'no-snapshot' };
  const merged = { ...held, ...frame.data };
  return { kind: 'ok', held: merged, frame: { ...frame, data: merged } };
}

/**
 * Bybit sends "" for a field with no value (e.g. a perpetual's deliveryTime "0", a fresh listing's
 * prices): the strict readers make that null. `a` reads prices, sizes and amounts in the node's
 * numbers mode; rates, greeks and times stay numbers (`num`).
 */
const n = num;

/** The spot ticker fields, read the same way in every category. */
export function baseTicker(category: Category, symbol: string, d: Rec, ts: unknown, a: AmountReader): TickerPayload {
  return {
    category,
    symbol,
    lastPrice: a(d.lastPrice),
    openPrice24h: a(d.prevPrice24h),
    highPrice24h: a(d.highPrice24h),
    lowPrice24h: a(d.lowPrice24h),
    volume24h: a(d.volume24h),
    turnover24h: a(d.turnover24h),
    change24h: num(d.price24hPcnt),
    usdIndexPrice: null,
    time: num(ts),
  };
}

function derivativesTicker(category: Category, symbol: string, d: Rec, ts: unknown, a: AmountReader): TickerPayload {
  const payload: TickerPayload = {
    ...baseTicker(category, symbol, d, ts, a),
    markPrice: a(d.markPrice),
    indexPrice: a(d.indexPrice),
    openInterest: a(d.openInterest),
    openInterestValue: a(d.openInterestValue),
    fundingRate: n(d.fundingRate),
    nextFundingTime: n(d.nextFundingTime),
    bid1Price: a(d.bid1Price),
    bid1Size: a(d.bid1Size),
    ask1Price: a(d.ask1Price),
    ask1Size: a(d.ask1Size),
    prevPrice1h: a(d.prevPrice1h),
  };
  // Futures carry a delivery time (ticker.mdx prints it as an ISO date) and basis; perpetuals send "0" / "" (or nothing).
  const delivery = timeOf(d.deliveryTime);
  if (delivery) Object.assign(payload, { deliveryTime: delivery, basis: a(d.basis) });
  return payload;
}

/** A time as ms: a number, a numeric string, or an ISO date; null for "", "0" or unreadable. */
function timeOf(v: unknown): number | null {
  const ms = typeof v === 'string' && v !== '' && Number.isNaN(Number(v)) ? Date.parse(v) : num(v);
  return ms !== null && Number.isFinite(ms) && ms > 0 ? ms : null;
}

/**
 * ticker.mdx, Option tab: no prevPrice24h, `change24h` instead of price24hPcnt, `bidPrice`/`bidIv`
 * for the best bid. The 24 h open is what the change is measured from: last / (1 + change).
 */
function optionTicker(symbol: string, d: Rec, ts: unknown, a: AmountReader): TickerPayload {
  const change = num(d.change24h ?? d.price24hPcnt);
  const last = num(d.lastPrice);
  // A derived open is a computed number, not one of Bybit's strings: a number in either mode.
  const derivedOpen = last === null || change === null || change === -1 ? null : last / (1 + change);
  return {
    ...baseTicker('option', symbol, d, ts, a),
    openPrice24h: d.prevPrice24h !== undefined ? a(d.prevPrice24h) : derivedOpen,
    change24h: change,
    markPrice: a(d.markPrice),
    indexPrice: a(d.indexPrice),
    underlyingPrice: a(d.underlyingPrice),
    markIv: n(d.markPriceIv),
    bid1Iv: n(d.bidIv),
    ask1Iv: n(d.askIv),
    delta: n(d.delta),
    gamma: n(d.gamma),
    vega: n(d.vega),
    theta: n(d.theta),
    openInterest: a(d.openInterest),
    bid1Price: a(d.bidPrice),
    bid1Size: a(d.bidSize),
    ask1Price: a(d.askPrice),
    ask1Size: a(d.askSize),
  };
}

/** A linear, inverse or option ticker frame (merged already for linear/inverse) as one item. */
export function categoryTickerItems(spec: TopicSpec, f: Rec): OutputItem[] {
  const d = f.data;
  if (!isRec(d)) return [];
  const category = specCategory(spec);
  const symbol = str(d.symbol);
  const a = amountReader(spec.numbers);
  const payload = category === 'option' ? optionTicker(symbol, d, f.ts, a) : derivativesTicker(category, symbol, d, f.ts, a);
  return [{ channel: 'ticker', topic: messageTopic(spec, symbol), symbol, payload, raw: d }];
}

/** all-liquidation.mdx: `data` is a list of `{T, s, S, v, p}`. */
export function liquidationItems(spec: TopicSpec, f: Rec, dropped?: (reason: string) => void): OutputItem[] {
  const data = Array.isArray(f.data) ? f.data : [];
  const category = specCategory(spec);
  const a = amountReader(spec.numbers);
  const items: OutputItem[] = [];
  for (const l of data) {
    if (!isRec(l)) continue;
    const qty = a(l.v);
    const price = a(l.p);
    // Like a trade: a liquidation without its price or size is malformed, not one of 0.
    if (qty === null || price === null) {
      dropped?.('liquidation without a readable price or qty');
      continue;
    }
    const symbol = str(l.s);
    items.push({
      channel: 'liquidation',
      topic: messageTopic({ ...spec, channel: 'liquidation' }, symbol),
      symbol,
      payload: { category, symbol, side: str(l.S), qty, price, time: num(l.T) },
      raw: l,
    });
  }
  return items;
}

/**
 * The category of a private item: its own (Bybit may push `order` to an `order.spot`
 * subscriber, so the node, not the wire, decides what it sends), the subscription's when the
 * item names none, null when it names one Bybit does not have.
 */
export function privateItemCategory(spec: TopicSpec, item: Rec): Category | null {
  const own = item.category;
  if (typeof own !== 'string' || own === '') return specCategory(spec);
  return CATEGORIES.find((c) => c === own) ?? null;
}

/**
 * Each item of a private push (order, execution, position) that belongs to the node's category,
 * built by `build` with the item's category, symbol and the node's number reader.
 */
export function privateItems(spec: TopicSpec, f: Rec, build: (item: Rec, category: Category, symbol: string, a: AmountReader) => OutputItem): OutputItem[] {
  const data = Array.isArray(f.data) ? f.data : [];
  const a = amountReader(spec.numbers);
  const items: OutputItem[] = [];
  for (const item of data) {
    if (!isRec(item)) continue;
    const category = privateItemCategory(spec, item);
    if (category) items.push(build(item, category, str(item.symbol), a));
  }
  return items;
}

/** position.mdx: one item per position; `side` "" (or "None") when flat, numbers "" when unknown. */
export function positionItems(spec: TopicSpec, f: Rec): OutputItem[] {
  return privateItems(spec, f, (p, category, symbol, a) => {
    const side = p.side === 'Buy' || p.side === 'Sell' ? p.side : null;
    return {
      channel: 'position',
      topic: messageTopic(spec, symbol, category),
      symbol,
      payload: {
        category, symbol, side, size: a(p.size),
        entryPrice: a(p.entryPrice ?? p.avgPrice), markPrice: a(p.markPrice), leverage: n(p.leverage), positionValue: a(p.positionValue),
        unrealisedPnl: a(p.unrealisedPnl), curRealisedPnl: a(p.curRealisedPnl), cumRealisedPnl: a(p.cumRealisedPnl), liqPrice: a(p.liqPrice),
        takeProfit: a(p.takeProfit), stopLoss: a(p.stopLoss), positionIdx: n(p.positionIdx), positionStatus: strOrNull(p.positionStatus),
        updatedTime: n(p.updatedTime), seq: n(p.seq),
      },
      raw: p,
    };
  });
}

const NO_ALIASES: readonly string[] = [];

/** Categorised private topics a push on the all-in-one topic may be meant for. */
export function privateAliases(key: string): readonly string[] {
  if (key !== 'order' && key !== 'execution' && key !== 'position') return NO_ALIASES;
  return CATEGORIES.map((c) => `${key}.${c}`);
}
