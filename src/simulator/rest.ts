/**
 * Bybit REST market data the simulator answers on its HTTP port:
 * GET /v5/market/instruments-info?category=spot|linear|inverse|option (docs/v5/market/instrument.mdx).
 * Served to any client, unlike the control routes: market data moves no money.
 */
import type http from 'node:http';
import { formatUnits } from './decimal';
import { CATALOGUE, instrumentSpec, isCategory, type Category } from './instruments';
import type { SymbolMarket } from './market';
import type { Simulator } from './server';

const LAUNCH_TIME = '1585526400000';

/** Handles the request when it is a REST market route; returns false otherwise. */
export function handleRestRequest(sim: Simulator, req: http.IncomingMessage, res: http.ServerResponse): boolean {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname !== '/v5/market/instruments-info') return false;
  const body = req.method === 'GET' ? instrumentsInfo(sim, url) : envelope(sim, 10001, 'Request parameter error', {});
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
  return true;
}

function envelope(sim: Simulator, retCode: number, retMsg: string, result: unknown): Record<string, unknown> {
  return { retCode, retMsg, result, retExtInfo: {}, time: sim.now() };
}

/**
 * The documented filters: symbol, baseCoin (linear/inverse/option; option defaults to BTC),
 * status (only Trading is listed), limit/cursor (pages, see pageOf).
 * A missing or unknown category is Bybit's 10001 "Request parameter error" (error.mdx).
 */
function instrumentsInfo(sim: Simulator, url: URL): Record<string, unknown> {
  const category = url.searchParams.get('category');
  if (!isCategory(category)) return envelope(sim, 10001, 'Request parameter error', {});
  const symbol = url.searchParams.get('symbol');
  const status = url.searchParams.get('status');
  const baseCoin = url.searchParams.get('baseCoin') ?? (category === 'option' && !symbol ? 'BTC' : null);
  let symbols = symbol ? (instrumentSpec(category, symbol) ? [symbol] : []) : [...CATALOGUE[category]];
  if (baseCoin && category !== 'spot') symbols = symbols.filter((s) => instrumentSpec(category, s)?.baseCoin === baseCoin);
  if (status && status !== 'Trading') symbols = [];
  const list = symbols.map((s, i) => instrumentItem(category, sim.market.instrument(category, s), i + 1));
  if (category === 'spot') return envelope(sim, 0, 'OK', { category, list });
  const page = pageOf(list, url.searchParams);
  if (!page) return envelope(sim, 10001, 'Request parameter error', {});
  const result = category === 'option' ? { category, nextPageCursor: page.next, list: page.list } : { category, list: page.list, nextPageCursor: page.next };
  return envelope(sim, 0, 'OK', result);
}

type Item = Record<string, unknown>;

/**
 * `limit` [1, 1000] (500 by default) and `cursor` for the paged categories; the cursor reads as
 * Bybit's (`first%3DBIOUSDT%26last%3DBIOUSDT`, the page example) and "" on the last page.
 * Undefined for a bad limit or cursor.
 */
function pageOf(list: Item[], query: URLSearchParams): { list: Item[]; next: string } | undefined {
  const limit = Number(query.get('limit') ?? '500');
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return undefined;
  const cursor = query.get('cursor');
  let start = 0;
  if (cursor) {
    let last: string | null = null;
    try {
      last = new URLSearchParams(decodeURIComponent(cursor)).get('last');
    } catch {
      last = null;
    }
    start = list.findIndex((i) => i.symbol === last) + 1;
    if (start === 0) return undefined;
  }
  const page = list.slice(start, start + limit);
  const more = start + limit < list.length && page.length > 0;
  const next = more ? encodeURIComponent(`first=${String(page[0].symbol)}&last=${String(page[page.length - 1].symbol)}`) : '';
  return { list: page, next };
}

/** One list entry, field for field as the page's example of that category. */
function instrumentItem(category: Category, sym: SymbolMarket, symbolId: number): Record<string, unknown> {
  const spec = sym.spec;
  const tick = formatUnits(1, sym.info.priceDecimals);
  const step = formatUnits(1, sym.info.qtyDecimals);
  const maxPrice = formatUnits(sym.mid * 60, sym.info.priceDecimals);
  if (category === 'spot') {
    return {
      symbolId, symbol: spec.symbol, baseCoin: spec.baseCoin, quoteCoin: spec.quoteCoin, innovation: '0', status: 'Trading',
      marginTrading: 'utaOnly', stTag: '0',
      lotSizeFilter: {
        basePrecision: step, quotePrecision: formatUnits(1, Math.min(8, sym.info.priceDecimals + 4)), minOrderQty: step,
        maxOrderQty: '1000000', minOrderAmt: '5', maxOrderAmt: '8000000', maxLimitOrderQty: '1000000', maxMarketOrderQty: '500000',
        postOnlyMaxLimitOrderSize: '5000000',
      },
      priceFilter: { tickSize: tick }, riskParameters: { priceLimitRatioX: '0.005', priceLimitRatioY: '0.01' }, symbolType: '',
    };
  }
  if (category === 'option') {
    return {
      symbol: spec.symbol, status: 'Trading', baseCoin: spec.baseCoin, quoteCoin: spec.quoteCoin, settleCoin: spec.settleCoin,
      optionsType: spec.option?.type ?? 'Call', launchTime: LAUNCH_TIME, deliveryTime: String(spec.deliveryTime), deliveryFeeRate: '0.00015',
      priceFilter: { minPrice: tick, maxPrice, tickSize: tick }, lotSizeFilter: { maxOrderQty: '500', minOrderQty: step, qtyStep: step },
      displayName: spec.symbol,
    };
  }
  const perpetual = spec.deliveryTime === 0;
  return {
    symbol: spec.symbol, symbolId, contractType: spec.contractType, status: 'Trading', baseCoin: spec.baseCoin, quoteCoin: spec.quoteCoin,
    launchTime: LAUNCH_TIME, deliveryTime: String(spec.deliveryTime), deliveryFeeRate: perpetual ? '' : '0.0005',
    priceScale: String(sym.info.priceDecimals), leverageFilter: { minLeverage: '1', maxLeverage: '100.00', leverageStep: '0.01' },
    priceFilter: { minPrice: tick, maxPrice, tickSize: tick },
    lotSizeFilter: { maxOrderQty: '1190000', minOrderQty: step, qtyStep: step, postOnlyMaxOrderQty: '1190000', maxMktOrderQty: '500000', minNotionalValue: '5' },
    unifiedMarginTrade: true, fundingInterval: perpetual ? 480 : 0, settleCoin: spec.settleCoin, copyTrading: perpetual ? 'both' : 'none',
    upperFundingRate: perpetual ? '0.005' : '', lowerFundingRate: perpetual ? '-0.005' : '', isPreListing: false, preListingInfo: null,
    riskParameters: { priceLimitRatioX: '0.01', priceLimitRatioY: '0.02' }, symbolType: '',
  };
}
