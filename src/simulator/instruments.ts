/**
 * What the simulator lists and accepts per V5 category, from Bybit's symbol naming
 * (docs/v5/enum.mdx "symbol", "contractType", "category"):
 *   spot BTCUSDT; linear perpetuals BTCUSDT (USDT) and BTCPERP (USDC), linear futures
 *   BTCUSDT-26MAR27 (USDT) and BTC-27DEC26 (USDC); inverse BTCUSD and futures BTCUSDZ26
 *   (H/M/U/Z quarter letter); options BTC-27DEC26-30000-C (USDC) and …-C-USDT (USDT).
 * Any well-formed symbol of a category is accepted (with a seeded price); the catalogue below
 * is what `/v5/market/instruments-info` lists.
 *
 * A market instrument is keyed by an id: the spot symbol itself (so spot keeps its old keys),
 * otherwise `<category>/<symbol>`. An option "base coin group" (`option/BTC`) stands for every
 * listed option of that base coin (option trades are published per base coin).
 */
import { SYMBOL_RE } from './topics';

export type Category = 'spot' | 'linear' | 'inverse' | 'option';
export const CATEGORIES: readonly Category[] = ['spot', 'linear', 'inverse', 'option'];
export type ContractType = 'LinearPerpetual' | 'LinearFutures' | 'InversePerpetual' | 'InverseFutures';

export function isCategory(v: unknown): v is Category {
  return typeof v === 'string' && (CATEGORIES as readonly string[]).includes(v);
}

export interface InstrumentSpec {
  category: Category;
  symbol: string;
  id: string;
  baseCoin: string;
  quoteCoin: string;
  settleCoin: string;
  /** derivatives (not options) */
  contractType?: ContractType;
  /** futures and options: delivery time (ms); 0 for perpetuals */
  deliveryTime: number;
  option?: { strike: number; type: 'Call' | 'Put' };
}

/** Derivative and option symbols may carry hyphens (enum.mdx examples). */
export const DERIV_SYMBOL_RE = /^[A-Z0-9][A-Z0-9-]{1,40}$/;
export const BASE_COIN_RE = /^[A-Z0-9]{2,10}$/;

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
/** Inverse futures month letters (BTCUSDH23 = March 2023). */
const MONTH_CODES = 'FGHJKMNQUVXZ';
const QUOTES = ['FDUSD', 'USDT', 'USDC', 'USDE', 'BUSD', 'BTC', 'ETH', 'EUR', 'DAI', 'BRZ'];

/** BTCUSDT -> [BTC, USDT]; unknown quotes fall back to the last four characters. */
export function splitSymbol(symbol: string): [string, string] {
  for (const q of QUOTES) if (symbol.length > q.length && symbol.endsWith(q)) return [symbol.slice(0, -q.length), q];
  return [symbol.slice(0, -4), symbol.slice(-4)];
}

/** "27DEC26" -> 2026-12-27T08:00:00Z (Bybit delivers at 08:00 UTC). */
function dayCode(day: string, mon: string, yy: string): number | undefined {
  const m = MONTHS.indexOf(mon);
  const d = Number(day);
  if (m < 0 || d < 1 || d > 31) return undefined;
  return Date.UTC(2000 + Number(yy), m, d, 8);
}

/** Last Friday of a month, 08:00 UTC: the quarterly inverse futures' delivery. */
function lastFriday(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0, 8));
  const back = (last.getUTCDay() - 5 + 7) % 7;
  return last.getTime() - back * 86_400_000;
}

const FUTURE_RE = /^([A-Z0-9]{2,20}?)(USDT)?-(\d{1,2})([A-Z]{3})(\d{2})$/;
const INVERSE_FUTURE_RE = /^([A-Z0-9]{2,20}?)USD([A-Z])(\d{2})$/;
const OPTION_RE = /^([A-Z0-9]{2,10})-(\d{1,2})([A-Z]{3})(\d{2})-(\d+(?:\.\d+)?)-([CP])(?:-(USDT|USDC))?$/;

export function instrumentId(category: Category, symbol: string): string {
  return category === 'spot' ? symbol : `${category}/${symbol}`;
}

/** The spec of a symbol in a category, or undefined when the symbol is not well formed there. */
export function instrumentSpec(category: Category, symbol: string): InstrumentSpec | undefined {
  const id = instrumentId(category, symbol);
  const base = { category, symbol, id, deliveryTime: 0 };
  if (category === 'spot') {
    if (!SYMBOL_RE.test(symbol)) return undefined;
    const [b, q] = splitSymbol(symbol);
    return { ...base, baseCoin: b, quoteCoin: q, settleCoin: q };
  }
  if (!DERIV_SYMBOL_RE.test(symbol)) return undefined;
  if (category === 'option') return optionSpec(symbol, base);
  if (category === 'linear') return linearSpec(symbol, base);
  return inverseSpec(symbol, base);
}

type SpecBase = Pick<InstrumentSpec, 'category' | 'symbol' | 'id' | 'deliveryTime'>;

function optionSpec(symbol: string, base: SpecBase): InstrumentSpec | undefined {
  const m = OPTION_RE.exec(symbol);
  const delivery = m && dayCode(m[2], m[3], m[4]);
  if (!m || !delivery) return undefined;
  const quote = m[7] ?? 'USDC';
  return {
    ...base, baseCoin: m[1], quoteCoin: quote, settleCoin: quote, deliveryTime: delivery,
    option: { strike: Number(m[5]), type: m[6] === 'C' ? 'Call' : 'Put' },
  };
}

function linearSpec(symbol: string, base: SpecBase): InstrumentSpec | undefined {
  const f = FUTURE_RE.exec(symbol);
  if (f) {
    const delivery = dayCode(f[3], f[4], f[5]);
    if (!delivery) return undefined;
    const quote = f[2] ?? 'USDC';
    return { ...base, baseCoin: f[1], quoteCoin: quote, settleCoin: quote, contractType: 'LinearFutures', deliveryTime: delivery };
  }
  if (!SYMBOL_RE.test(symbol)) return undefined;
  const [b, q] = symbol.endsWith('PERP') ? [symbol.slice(0, -4), 'USDC'] : splitSymbol(symbol);
  return { ...base, baseCoin: b, quoteCoin: q, settleCoin: q, contractType: 'LinearPerpetual' };
}

function inverseSpec(symbol: string, base: SpecBase): InstrumentSpec | undefined {
  if (!SYMBOL_RE.test(symbol)) return undefined;
  const f = INVERSE_FUTURE_RE.exec(symbol);
  const month = f ? MONTH_CODES.indexOf(f[2]) : -1;
  if (f && month >= 0) {
    const delivery = lastFriday(2000 + Number(f[3]), month);
    return { ...base, baseCoin: f[1], quoteCoin: 'USD', settleCoin: f[1], contractType: 'InverseFutures', deliveryTime: delivery };
  }
  const b = symbol.endsWith('USD') ? symbol.slice(0, -3) : splitSymbol(symbol)[0];
  return { ...base, baseCoin: b, quoteCoin: 'USD', settleCoin: b, contractType: 'InversePerpetual' };
}

/** id -> category and symbol (the inverse of instrumentId). */
export function parseInstrumentId(id: string): { category: Category; symbol: string } {
  const slash = id.indexOf('/');
  if (slash < 0) return { category: 'spot', symbol: id };
  const category = id.slice(0, slash);
  return { category: isCategory(category) ? category : 'spot', symbol: id.slice(slash + 1) };
}

/** `option/BTC`: the group of a base coin's options (their trades share one topic). */
export function isOptionGroup(id: string): boolean {
  return id.startsWith('option/') && !id.includes('-');
}

/** Rough starting prices per base coin so common symbols look familiar. */
export const BASE_PRICES: Record<string, number> = {
  BTC: 30000, ETH: 2000, SOL: 100, XRP: 0.5, DOGE: 0.08, ADA: 0.35, BNB: 300, LTC: 70, DOT: 5,
};

/** What instruments-info lists (every other well-formed symbol still streams). */
export const CATALOGUE: Record<Category, readonly string[]> = {
  spot: ['BTCUSDT', 'BTCUSDC', 'ETHUSDT', 'ETHUSDC', 'ETHBTC', 'SOLUSDT', 'XRPUSDT', 'DOGEUSDT', 'ADAUSDT', 'BNBUSDT', 'LTCUSDT', 'DOTUSDT'],
  linear: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT', 'DOGEUSDT', 'BTCPERP', 'ETHPERP', 'BTCUSDT-26MAR27', 'ETHUSDT-26MAR27', 'BTC-27DEC26'],
  inverse: ['BTCUSD', 'ETHUSD', 'BTCUSDZ26', 'BTCUSDH27'],
  option: [
    ...optionChain('BTC', ['27DEC26', '26MAR27'], [25000, 30000, 35000]),
    'BTC-27DEC26-100000-C',
    ...optionChain('ETH', ['27DEC26'], [1800, 2000, 2200]),
  ],
};

function optionChain(base: string, expiries: string[], strikes: number[]): string[] {
  const out: string[] = [];
  for (const e of expiries) for (const k of strikes) for (const t of ['C', 'P']) out.push(`${base}-${e}-${k}-${t}`);
  return out;
}

/** The listed options of a base coin (the members of `option/<BASE>`). */
export function optionsOf(baseCoin: string): string[] {
  return CATALOGUE.option.filter((s) => s.startsWith(`${baseCoin}-`));
}
