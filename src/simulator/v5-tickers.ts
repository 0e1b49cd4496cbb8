/**
 * V5 `tickers.{symbol}` data per category, from docs/v5/websocket/public/ticker.mdx:
 * spot and option send whole snapshots; linear and inverse send a snapshot, then deltas that
 * carry only the fields that changed ("If a response param is not found in the message, then
 * its value has not changed"). Field sets and order follow the page's examples.
 */
import { formatFloat, formatUnits } from './decimal';
import { nextFundingTime, FUNDING_CAP, FUNDING_INTERVAL_HOURS, yearsTo } from './derivatives';
import type { Category } from './instruments';
import type { Market, SymbolMarket } from './market';

export type TickerFields = Record<string, string>;

/** Trims a fixed-decimal text the way Bybit prints rates ("0.0001", "-0.005"). */
function rate(x: number, decimals = 6): string {
  const text = x.toFixed(decimals).replace(/0+$/, '').replace(/\.$/, '');
  return text === '-0' ? '0' : text;
}

/** Best bid/ask: the instrument's shallowest live book, else one grid step either side of the mid. */
function bestQuotes(market: Market, sym: SymbolMarket): { bid: string; bidSize: string; ask: string; askSize: string } {
  const book = market.booksOf(sym.id)[0];
  if (book) {
    const v = book.view();
    const [bid, bidSize] = v.bids[0] ?? [sym.price(0), sym.qty(0)];
    const [ask, askSize] = v.asks[0] ?? [sym.price(0), sym.qty(0)];
    return { bid, bidSize, ask, askSize };
  }
  const grid = sym.info.grid;
  const unit = 10 ** Math.max(0, sym.info.qtyDecimals - 3);
  return {
    bid: sym.price(sym.mid - grid),
    bidSize: sym.qty(((sym.mid * 7) % 997 + 1) * unit),
    ask: sym.price(sym.mid + grid),
    askSize: sym.qty(((sym.mid * 13) % 991 + 1) * unit),
  };
}

/** The whole current ticker of a linear or inverse perpetual / future (ticker.mdx Linear examples). */
export function derivTicker(market: Market, sym: SymbolMarket, now: number): TickerFields {
  const d = sym.deriv!;
  const k = sym.ticker();
  const spec = sym.spec;
  const mark = d.mark(sym.mid);
  const index = d.index(sym.mid);
  const markF = sym.fromPrice(mark);
  const oi = sym.fromQty(d.openInterest);
  const oiValue = spec.category === 'inverse' ? oi / markF : oi * markF;
  const q = bestQuotes(market, sym);
  const head: TickerFields = {
    symbol: spec.symbol, tickDirection: sym.tickDirection, price24hPcnt: pcnt(sym), lastPrice: k.lastPrice,
    prevPrice24h: k.prevPrice24h, highPrice24h: k.highPrice24h, lowPrice24h: k.lowPrice24h, prevPrice1h: sym.price(d.prevPrice1h),
    markPrice: sym.price(mark), indexPrice: sym.price(index), openInterest: formatUnits(d.openInterest, sym.info.qtyDecimals),
    openInterestValue: formatFloat(oiValue, 2), turnover24h: formatFloat(Number(k.turnover24h), 4), volume24h: k.volume24h,
  };
  const quotes: TickerFields = { bid1Price: q.bid, bid1Size: q.bidSize, ask1Price: q.ask, ask1Size: q.askSize };
  if (d.perpetual) {
    return {
      ...head, fundingIntervalHour: String(FUNDING_INTERVAL_HOURS), fundingCap: rate(FUNDING_CAP),
      nextFundingTime: String(nextFundingTime(now)), fundingRate: rate(d.fundingRate), ...quotes,
      preOpenPrice: '', preQty: '', curPreListingPhase: '',
    };
  }
  const basis = sym.fromPrice(sym.last - index);
  const basisRate = basis / sym.fromPrice(index);
  const years = Math.max(yearsTo(spec.deliveryTime, now), 1 / 365);
  return {
    ...head, deliveryTime: new Date(spec.deliveryTime).toISOString().replace('.000Z', 'Z'), basisRate: rate(basisRate, 8),
    deliveryFeeRate: '0', predictedDeliveryPrice: sym.price(0), basis: formatFloat(basis, sym.info.priceDecimals),
    basisRateYear: rate(basisRate / years, 8), nextFundingTime: '', fundingRate: '', ...quotes,
  };
}

function pcnt(sym: SymbolMarket): string {
  const k = sym.ticker();
  const prev = Number(k.prevPrice24h);
  return rate((sym.fromPrice(sym.last) - prev) / prev, 6);
}

/** The whole option ticker with greeks and IVs (ticker.mdx Option example). */
export function optionTicker(market: Market, sym: SymbolMarket, now: number): TickerFields {
  const m = market.optionModel(sym.spec, now);
  const k = sym.ticker();
  const q = bestQuotes(market, sym);
  const vol = m.vol;
  const volume = Number(k.volume24h);
  return {
    symbol: sym.spec.symbol, bidPrice: q.bid, bidSize: q.bidSize, bidIv: rate(Math.max(0, vol - 0.012), 4), askPrice: q.ask,
    askSize: q.askSize, askIv: rate(vol + 0.012, 4), lastPrice: k.lastPrice, highPrice24h: k.highPrice24h, lowPrice24h: k.lowPrice24h,
    markPrice: formatFloat(m.price, 8), indexPrice: formatFloat(m.underlying, 2), markPriceIv: rate(vol, 4),
    underlyingPrice: formatFloat(m.underlying, 2), openInterest: formatFloat(volume * 1.7, 2), turnover24h: formatFloat(Number(k.turnover24h), 4),
    volume24h: k.volume24h, totalVolume: String(Math.round(volume * 3.2)), totalTurnover: String(Math.round(Number(k.turnover24h) * 3.2)),
    delta: rate(m.delta, 6), gamma: rate(m.gamma, 8), vega: rate(m.vega, 8), theta: rate(m.theta, 8),
    predictedDeliveryPrice: '0', change24h: rate((sym.fromPrice(sym.last) - Number(k.prevPrice24h)) / Number(k.prevPrice24h), 8),
  };
}

/** The spot ticker (ticker.mdx Spot example). */
export function spotTicker(sym: SymbolMarket): TickerFields {
  const { crossSeq: _cs, ...data } = sym.ticker();
  return data;
}

export function fullTicker(market: Market, category: Category, sym: SymbolMarket, now: number): TickerFields {
  if (category === 'option') return optionTicker(market, sym, now);
  if (category === 'spot') return spotTicker(sym);
  return derivTicker(market, sym, now);
}

/** The fields of `next` that differ from `prev`, with the symbol always (a ticker delta's data). */
export function tickerDelta(prev: TickerFields, next: TickerFields): TickerFields | undefined {
  const out: TickerFields = { symbol: next.symbol };
  let changed = false;
  for (const [k, v] of Object.entries(next)) {
    if (prev[k] !== v) {
      out[k] = v;
      changed = true;
    }
  }
  return changed ? out : undefined;
}
