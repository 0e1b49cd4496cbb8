/**
 * `GET /v5/market/instruments-info` on the simulator's port: a fixed instrument list per
 * category in Bybit's documented reply shape, with cursor pages for linear, inverse and
 * option (bybit-docs v5/market/instrument.mdx: spot has no pages; `limit` 1 to 1000, 500 by
 * default; the cursor is opaque and comes back as `nextPageCursor`, "" on the last page).
 */
import type http from 'node:http';

export const INSTRUMENTS_PATH = '/v5/market/instruments-info';

type Item = Record<string, unknown> & { symbol: string; baseCoin: string; status: string };

const QUOTES = ['USDT', 'USDC', 'BTC', 'USD', 'PERP'];

function coins(symbol: string): { baseCoin: string; quoteCoin: string } {
  const quote = QUOTES.find((q) => symbol.endsWith(q) && symbol.length > q.length) ?? 'USDT';
  // Bybit's USDC perpetuals are named XXXPERP and quote in USDC.
  return { baseCoin: symbol.slice(0, -quote.length), quoteCoin: quote === 'PERP' ? 'USDC' : quote };
}

function spot(symbol: string): Item {
  return {
    symbol, ...coins(symbol), innovation: '0', status: 'Trading', marginTrading: 'none', stTag: '0',
    lotSizeFilter: { basePrecision: '0.000001', quotePrecision: '0.0000001', minOrderQty: '0.000011', maxOrderQty: '83', minOrderAmt: '5', maxOrderAmt: '8000000' },
    priceFilter: { tickSize: '0.01' }, symbolType: '',
  };
}

function perpetual(symbol: string, contractType: 'LinearPerpetual' | 'InversePerpetual'): Item {
  const { baseCoin, quoteCoin } = coins(symbol);
  return {
    symbol, contractType, status: 'Trading', baseCoin, quoteCoin, launchTime: '1585526400000', deliveryTime: '0', deliveryFeeRate: '',
    priceScale: '2', leverageFilter: { minLeverage: '1', maxLeverage: '100.00', leverageStep: '0.01' },
    priceFilter: { minPrice: '0.10', maxPrice: '1999999.80', tickSize: '0.10' },
    lotSizeFilter: { maxOrderQty: '1190.000', minOrderQty: '0.001', qtyStep: '0.001', postOnlyMaxOrderQty: '1190.000', maxMktOrderQty: '500.000', minNotionalValue: '5' },
    unifiedMarginTrade: true, fundingInterval: 480, settleCoin: contractType === 'InversePerpetual' ? baseCoin : quoteCoin, copyTrading: 'none',
    upperFundingRate: '0.00375', lowerFundingRate: '-0.00375', isPreListing: false, preListingInfo: null, symbolType: '',
  };
}

function option(baseCoin: string, expiry: string, strike: number, type: 'C' | 'P'): Item {
  return {
    symbol: `${baseCoin}-${expiry}-${strike}-${type}-USDT`, status: 'Trading', baseCoin, quoteCoin: 'USDT', settleCoin: 'USDT',
    optionsType: type === 'C' ? 'Call' : 'Put', launchTime: '1743669649256', deliveryTime: '1774598400000', deliveryFeeRate: '0.00015',
    priceFilter: { minPrice: '5', maxPrice: '1110000', tickSize: '5' }, lotSizeFilter: { maxOrderQty: '500', minOrderQty: '0.01', qtyStep: '0.01' },
    displayName: `${baseCoin}USDT-${expiry}-${strike}-${type}`,
  };
}

const SPOT = ['ADAUSDT', 'AVAXUSDT', 'BNBUSDT', 'BTCUSDC', 'BTCUSDT', 'DOGEUSDT', 'DOTUSDT', 'ETHBTC', 'ETHUSDC', 'ETHUSDT', 'LINKUSDT', 'LTCUSDT', 'SOLUSDT', 'XRPUSDT'];
const LINEAR = ['ADAUSDT', 'AVAXUSDT', 'BNBUSDT', 'BTCPERP', 'BTCUSDT', 'DOGEUSDT', 'DOTUSDT', 'ETHPERP', 'ETHUSDT', 'LINKUSDT', 'LTCUSDT', 'SOLUSDT', 'XRPUSDT'];
const INVERSE = ['ADAUSD', 'BTCUSD', 'DOTUSD', 'EOSUSD', 'ETHUSD', 'XRPUSD'];

/** Every category's list, in the order pages walk it. */
export const INSTRUMENTS: Record<string, Item[]> = {
  spot: SPOT.map(spot),
  linear: LINEAR.map((s) => perpetual(s, 'LinearPerpetual')),
  inverse: INVERSE.map((s) => perpetual(s, 'InversePerpetual')),
  option: ['BTC', 'ETH'].flatMap((coin) => ['27MAR26', '26JUN26'].flatMap((expiry) =>
    [60000, 70000].flatMap((strike) => (['C', 'P'] as const).map((t) => option(coin, expiry, coin === 'BTC' ? strike : strike / 20, t))))),
};

class ParamsError extends Error {}

/** Bybit's cursors look like `first%3DBTCUSDT%26last%3DETHUSDT` (already escaped once). */
function cursorFor(first: Item, last: Item): string {
  return encodeURIComponent(`first=${first.symbol}&last=${last.symbol}`);
}

function startAfterCursor(list: Item[], cursor: string): number {
  let last: string | null = null;
  try {
    last = new URLSearchParams(decodeURIComponent(cursor)).get('last');
  } catch {
    last = null;
  }
  const index = list.findIndex((i) => i.symbol === last);
  if (index === -1) throw new ParamsError('params error: cursor is invalid');
  return index + 1;
}

/** The reply for one request, as Bybit's envelope; bad parameters give retCode 10001. */
export function instrumentsReply(query: URLSearchParams, now = Date.now()): Record<string, unknown> {
  const envelope = (retCode: number, retMsg: string, result: unknown) => ({ retCode, retMsg, result, retExtInfo: {}, time: now });
  const category = query.get('category') ?? '';
  try {
    if (!(category in INSTRUMENTS)) throw new ParamsError(category ? `params error: category ${category} is invalid` : 'params error: category is required');
    const filters: [string, string | null][] = [['symbol', query.get('symbol')], ['status', query.get('status')], ['baseCoin', category === 'spot' ? null : query.get('baseCoin')]];
    const list = INSTRUMENTS[category].filter((item) => filters.every(([field, want]) => !want || item[field] === want));
    // Spot has no pages: limit and cursor are ignored there.
    if (category === 'spot') return envelope(0, 'OK', { category, list, nextPageCursor: '' });
    const limit = Number(query.get('limit') ?? '500');
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new ParamsError('params error: limit must be 1 to 1000');
    const cursor = query.get('cursor');
    const start = cursor ? startAfterCursor(list, cursor) : 0;
    const page = list.slice(start, start + limit);
    const more = start + limit < list.length && page.length > 0;
    return envelope(0, 'OK', { category, list: page, nextPageCursor: more ? cursorFor(page[0], page[page.length - 1]) : '' });
  } catch (err) {
    if (err instanceof ParamsError) return envelope(10001, err.message, {});
    throw err;
  }
}

/** Serves the route and returns true, or returns false for any other path. */
export function serveInstruments(req: http.IncomingMessage, res: http.ServerResponse): boolean {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname !== INSTRUMENTS_PATH) return false;
  const text = req.method === 'GET' ? JSON.stringify(instrumentsReply(url.searchParams)) : '';
  if (!text) res.writeHead(405, { allow: 'GET' }).end();
  else res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
  return true;
}
