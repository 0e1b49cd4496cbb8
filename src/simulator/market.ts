/**
 * The market model shared by every wire dialect: per-symbol price walk, trades, 24h ticker
 * statistics, order books and candles. It knows nothing of JSON or topics; dialects map
 * their topics onto feed keys and encode what `advance` returns.
 */
import { SimBook, type BookDelta, type BookScale } from './book';
import { formatFloat, formatUnits } from './decimal';
import { DerivState, blackScholes, smileVol, yearsTo, type Greeks } from './derivatives';
import {
  BASE_PRICES, instrumentId, instrumentSpec, isOptionGroup, optionsOf, parseInstrumentId, type Category, type InstrumentSpec,
} from './instruments';
import { KlineSeries, type Candle, type KlineInterval } from './kline';
import { createRng, hashString, rngUuid, type Rng } from './rng';

export type TickDirection = 'PlusTick' | 'ZeroPlusTick' | 'MinusTick' | 'ZeroMinusTick';

export interface Trade {
  id: string;
  time: number;
  /** the wire symbol (BTCUSDT, BTC-27DEC26-30000-C) */
  symbol: string;
  /** the market instrument id (see instruments.ts) */
  instrument: string;
  /** taker side */
  side: 'Buy' | 'Sell';
  /** price units and qty units (see SymbolInfo decimals); quote in quote currency */
  price: number;
  qty: number;
  quote: number;
  seq: number;
  /** direction of this trade's price against the previous one (V5 `L`) */
  tick: TickDirection;
  /** a block trade (V5 `BT`) */
  blockTrade?: boolean;
  /** exact wire strings that replace the formatted units (injected trades) */
  text?: { price: string; qty: string };
}

/** One liquidation on `allLiquidation.{symbol}` (all-liquidation.mdx). */
export interface Liquidation {
  time: number;
  /** the liquidated position's side: Buy = a long was liquidated */
  side: 'Buy' | 'Sell';
  /** price and qty units of the symbol */
  price: number;
  qty: number;
}

export interface SymbolInfo extends BookScale {
  symbol: string;
}

/** 24h statistics as wire strings, shared by the V5, v3 and v1 ticker encodings. */
export interface TickerView {
  symbol: string;
  lastPrice: string;
  highPrice24h: string;
  lowPrice24h: string;
  prevPrice24h: string;
  volume24h: string;
  turnover24h: string;
  price24hPcnt: string;
  usdIndexPrice: string;
  crossSeq: number;
}

/** Feed keys name one stream of market data independently of any dialect's topic syntax. */
export type FeedKey = string;
/** Feed keys take instrument ids: the spot symbol itself, or `<category>/<symbol>` (instruments.ts). */
export const feed = {
  trade: (symbol: string): FeedKey => `trade:${symbol}`,
  ticker: (symbol: string): FeedKey => `ticker:${symbol}`,
  book: (symbol: string, depth: number): FeedKey => `book:${symbol}:${depth}`,
  kline: (symbol: string, interval: KlineInterval): FeedKey => `kline:${symbol}:${interval}`,
  liquidation: (symbol: string): FeedKey => `liq:${symbol}`,
};

export interface TickResult {
  now: number;
  /** trades generated this tick, per symbol that was active */
  trades: Map<string, Trade[]>;
  /** per book feed: this tick's delta, or null when the book did not change */
  books: Map<FeedKey, BookDelta | null>;
  /** per kline feed: a candle that closed on a time boundary (confirm: true), then the current one */
  klines: Map<FeedKey, { closed?: Candle; current: Candle }>;
  /** per liquidation feed: liquidations this tick (absent or empty: none) */
  liquidations?: Map<FeedKey, Liquidation[]>;
}

/** Rough starting prices so common spot symbols look familiar; anything else gets a hashed price. */
const KNOWN_PRICES: Record<string, number> = {
  BTCUSDT: 30000, BTCUSDC: 30000, ETHUSDT: 2000, ETHUSDC: 2000, ETHBTC: 0.066, SOLUSDT: 100,
  XRPUSDT: 0.5, DOGEUSDT: 0.08, ADAUSDT: 0.35, BNBUSDT: 300, LTCUSDT: 70, DOTUSDT: 5,
};

const HISTORY = 60;

function hashedPrice(name: string, rng: Rng): number {
  return 10 ** ((hashString(name) % 6) - 1) * (1 + rng.next() * 8);
}

/**
 * Lot steps: inverse contracts are whole USD, options trade in 0.01, linear BTCUSDT in 0.001
 * (instrument.mdx examples), coarser for cheaper coins; spot keeps its finer steps.
 */
function qtyDecimalsOf(category: Category, intDigits: number): number {
  if (category === 'inverse') return 0;
  if (category === 'option') return 2;
  if (category === 'linear') return Math.max(0, Math.min(3, intDigits - 2));
  return Math.min(6, Math.max(2, intDigits + 1));
}

function startPriceOf(spec: InstrumentSpec, rng: Rng): number {
  if (spec.category === 'spot') return KNOWN_PRICES[spec.symbol] ?? hashedPrice(spec.symbol, rng);
  return BASE_PRICES[spec.baseCoin] ?? hashedPrice(spec.baseCoin, rng);
}

export class SymbolMarket {
  readonly info: SymbolInfo;
  /** mark, index, funding and open interest (linear and inverse only) */
  readonly deriv: DerivState | undefined;
  mid: number;
  last: number;
  private readonly base: number;
  private readonly prev24h: number;
  private high24h: number;
  private low24h: number;
  private volume24h: number;
  private turnover24h: number;
  private seq: number;
  private lastTick: TickDirection = 'ZeroPlusTick';
  private readonly rng: Rng;
  /** newest last; spot v1 sends these with its first trade message */
  readonly recent: Trade[] = [];

  /** `startPrice` (quote currency) overrides the seeded start, e.g. an option's fair value. */
  constructor(readonly spec: InstrumentSpec, seed: number, now: number, startPrice?: number) {
    const symbol = spec.symbol;
    this.rng = createRng(seed, `symbol:${spec.id}`);
    const price = startPrice ?? startPriceOf(spec, this.rng);
    const intDigits = price >= 1 ? Math.floor(Math.log10(price)) + 1 : 0;
    const priceDecimals = Math.min(8, Math.max(2, 6 - intDigits));
    const qtyDecimals = qtyDecimalsOf(spec.category, intDigits);
    this.base = Math.max(1, Math.round(price * 10 ** priceDecimals));
    this.info = { symbol, priceDecimals, qtyDecimals, grid: Math.max(1, Math.round(this.base * 0.00002)) };
    this.mid = this.base;
    this.last = this.base;
    this.prev24h = Math.round(this.base * (1 + (this.rng.next() - 0.5) * 0.06));
    this.high24h = Math.max(this.base, this.prev24h) + this.info.grid * this.rng.int(10, 500);
    this.low24h = Math.max(1, Math.min(this.base, this.prev24h) - this.info.grid * this.rng.int(10, 500));
    this.volume24h = this.rng.int(1000, 100000) * 10 ** this.info.qtyDecimals;
    this.turnover24h = this.notional(this.base, this.volume24h);
    this.seq = this.rng.int(1_000_000_000, 2_000_000_000);
    const derivative = spec.category === 'linear' || spec.category === 'inverse';
    this.deriv = derivative ? new DerivState(spec, createRng(seed, `deriv:${spec.id}`), this.base, now) : undefined;
    // A history exists from the start so "the last 60 trades" is never short.
    for (let i = HISTORY; i > 0; i--) this.makeTrade(now - i * 1000);
  }

  get id(): string {
    return this.spec.id;
  }

  /**
   * One tick: the mid walks a little (pulled back toward `anchor`, default the start price)
   * and 1..3 trades print around it.
   */
  advance(now: number, anchor = this.base): Trade[] {
    const grid = this.info.grid;
    // Mild pull back toward the anchor keeps long runs (1000s of steps) in range.
    const drift = this.mid > anchor * 1.1 ? -1 : this.mid < anchor * 0.9 ? 1 : 0;
    this.mid = Math.max(grid * 20, this.mid + grid * (this.rng.int(-2, 2) + drift));
    const trades: Trade[] = [];
    const count = this.rng.int(1, 3);
    for (let i = 0; i < count; i++) trades.push(this.makeTrade(now));
    this.deriv?.advance(this.mid, grid, now);
    return trades;
  }

  ticker(): TickerView {
    const d = this.info.priceDecimals;
    const change = (this.last - this.prev24h) / this.prev24h;
    return {
      symbol: this.info.symbol,
      lastPrice: formatUnits(this.last, d),
      highPrice24h: formatUnits(this.high24h, d),
      lowPrice24h: formatUnits(this.low24h, d),
      prevPrice24h: formatUnits(this.prev24h, d),
      volume24h: formatUnits(this.volume24h, this.info.qtyDecimals),
      turnover24h: formatFloat(this.turnover24h, 8),
      price24hPcnt: formatFloat(change, 4),
      usdIndexPrice: formatFloat(this.fromPrice(this.last) * 1.0003, d + 4),
      crossSeq: this.seq,
    };
  }

  /** direction of the latest trade (V5 tickDirection) */
  get tickDirection(): TickDirection {
    return this.lastTick;
  }

  /** the latest cross sequence, stamped on book and ticker messages */
  get crossSeq(): number {
    return this.seq;
  }

  nextSeq(): number {
    return ++this.seq;
  }

  price(units: number): string {
    return formatUnits(units, this.info.priceDecimals);
  }

  qty(units: number): string {
    return formatUnits(units, this.info.qtyDecimals);
  }

  fromPrice(units: number): number {
    return units / 10 ** this.info.priceDecimals;
  }

  fromQty(units: number): number {
    return units / 10 ** this.info.qtyDecimals;
  }

  toPriceUnits(price: number): number {
    return Math.round(price * 10 ** this.info.priceDecimals);
  }

  /** Value of qty at price in the settle currency: quote for linear/spot/option, base coin for inverse. */
  notional(priceUnits: number, qtyUnits: number): number {
    const p = this.fromPrice(priceUnits);
    const q = this.fromQty(qtyUnits);
    return this.spec.category === 'inverse' ? (p > 0 ? q / p : 0) : p * q;
  }

  private makeTrade(time: number): Trade {
    const grid = this.info.grid;
    const side = this.rng.chance(0.5) ? 'Buy' : 'Sell';
    // Takers lift asks above the mid or hit bids below it.
    const offset = grid * this.rng.int(1, 2);
    const price = Math.max(1, side === 'Buy' ? this.mid + offset : this.mid - offset);
    const qty = this.rng.int(1, 2000) * 10 ** Math.max(0, this.info.qtyDecimals - 3);
    const quote = this.notional(price, qty);
    this.lastTick = price > this.last ? 'PlusTick' : price < this.last ? 'MinusTick' : this.lastTick.includes('Plus') ? 'ZeroPlusTick' : 'ZeroMinusTick';
    const trade: Trade = {
      id: rngUuid(this.rng), time, symbol: this.info.symbol, instrument: this.spec.id, side, price, qty, quote, seq: this.nextSeq(), tick: this.lastTick,
    };
    this.last = price;
    this.high24h = Math.max(this.high24h, price);
    this.low24h = Math.min(this.low24h, price);
    this.volume24h += qty;
    this.turnover24h += quote;
    this.recent.push(trade);
    if (this.recent.length > HISTORY) this.recent.shift();
    return trade;
  }
}

/** An option's model values at one moment (ticker.mdx option fields, trade.mdx mP/iP/mIv/iv). */
export interface OptionView extends Greeks {
  /** underlying = index price of the base coin (quote currency) */
  underlying: number;
  /** mark implied volatility (fraction) */
  vol: number;
}

export class Market {
  private readonly symbols = new Map<string, SymbolMarket>();
  private readonly books = new Map<FeedKey, SimBook>();
  /** books that missed a tick: their state is stale and is rebuilt before the next snapshot */
  private readonly idleBooks = new Set<FeedKey>();
  private readonly klines = new Map<FeedKey, KlineSeries>();
  private readonly liqRngs = new Map<string, Rng>();
  /** every book's update ids skip now and then (no longer promised to step by 1) */
  uSkips = false;

  constructor(
    readonly seed: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The instrument behind an id (a spot symbol, or `<category>/<symbol>`); created on first use. */
  symbol(id: string): SymbolMarket {
    let s = this.symbols.get(id);
    if (!s) {
      const { category, symbol } = parseInstrumentId(id);
      const spec = instrumentSpec(category, symbol) ?? fallbackSpec(id);
      const now = this.clock();
      const start = spec.option ? Math.max(1, this.optionModel(spec, now).price) : undefined;
      s = new SymbolMarket(spec, this.seed, now, start);
      this.symbols.set(id, s);
    }
    return s;
  }

  instrument(category: Category, symbol: string): SymbolMarket {
    return this.symbol(instrumentId(category, symbol));
  }

  /** The underlying of a base coin's options: the spot `<BASE>USDT` price (quote currency). */
  underlying(baseCoin: string): number {
    const spot = this.symbol(`${baseCoin}USDT`);
    return spot.fromPrice(spot.mid);
  }

  /** Black–Scholes values of an option at the current underlying, with a volatility smile. */
  optionModel(spec: InstrumentSpec, now = this.clock()): OptionView {
    const underlying = this.underlying(spec.baseCoin);
    const strike = spec.option?.strike ?? underlying;
    const vol = smileVol(underlying, strike);
    const g = blackScholes(spec.option?.type ?? 'Call', underlying, strike, yearsTo(spec.deliveryTime, now), vol);
    return { ...g, underlying, vol };
  }

  /** Members of an option base-coin group: the listed options plus any option already in use. */
  groupMembers(groupId: string): string[] {
    const base = groupId.slice('option/'.length);
    const ids = new Set(optionsOf(base).map((s) => instrumentId('option', s)));
    for (const [id, s] of this.symbols) if (s.spec.category === 'option' && s.spec.baseCoin === base) ids.add(id);
    return [...ids].sort();
  }

  /** The book a new subscriber gets a snapshot of; created or rebuilt around the mid as needed. */
  book(symbol: string, depth: number): SimBook {
    const key = feed.book(symbol, depth);
    const sym = this.symbol(symbol);
    let book = this.books.get(key);
    if (!book) {
      book = new SimBook(symbol, depth, sym.info, createRng(this.seed, `book:${symbol}:${depth}`), sym.mid);
      book.skipU = this.uSkips;
      this.books.set(key, book);
    } else if (this.idleBooks.has(key)) {
      book.regenerate(sym.mid);
      book.nextU();
    }
    this.idleBooks.delete(key);
    return book;
  }

  /** An existing book, without creating or touching it (for inspection). */
  findBook(symbol: string, depth: number): SimBook | undefined {
    return this.books.get(feed.book(symbol, depth));
  }

  /** Every existing book of an instrument, shallowest first. */
  booksOf(symbol: string): SimBook[] {
    return [...this.books.values()].filter((b) => b.symbol === symbol).sort((a, b) => a.depth - b.depth);
  }

  /** Turns random `u` skips on or off for every book, existing and future. */
  setUSkips(enabled: boolean): void {
    this.uSkips = enabled;
    for (const b of this.books.values()) b.skipU = enabled;
  }

  kline(symbol: string, interval: KlineInterval): KlineSeries {
    const key = feed.kline(symbol, interval);
    let series = this.klines.get(key);
    if (!series) {
      series = new KlineSeries(symbol, interval, this.symbol(symbol).last, this.clock());
      this.klines.set(key, series);
    }
    return series;
  }

  findKline(symbol: string, interval: KlineInterval): KlineSeries | undefined {
    return this.klines.get(feed.kline(symbol, interval));
  }

  /** Advances every active feed by one tick. Feeds not listed are left alone (and go idle). */
  advance(active: Iterable<FeedKey>, now = this.clock()): TickResult {
    const result: TickResult = { now, trades: new Map(), books: new Map(), klines: new Map(), liquidations: new Map() };
    const keys = [...new Set(active)].sort();
    const groups = new Set<string>();
    const concrete = new Set<string>();
    for (const key of keys) {
      const id = key.split(':')[1];
      if (isOptionGroup(id)) {
        groups.add(id);
        for (const m of this.groupMembers(id)) concrete.add(m);
      } else concrete.add(id);
    }
    for (const id of [...concrete].sort()) {
      const sym = this.symbol(id);
      const anchor = sym.spec.option ? sym.toPriceUnits(this.optionModel(sym.spec, now).price) : undefined;
      result.trades.set(id, sym.advance(now, anchor));
    }
    for (const g of groups) result.trades.set(g, this.groupMembers(g).flatMap((m) => result.trades.get(m) ?? []));

    for (const key of keys) {
      const [kind, symbol, param] = key.split(':');
      if (kind === 'book') {
        const book = this.book(symbol, Number(param));
        result.books.set(key, book.step(this.symbol(symbol).mid));
      } else if (kind === 'kline') {
        const series = this.kline(symbol, param as KlineInterval);
        const closed = series.update(result.trades.get(symbol) ?? [], now, this.symbol(symbol).last);
        result.klines.set(key, { closed, current: series.current });
      } else if (kind === 'liq') {
        result.liquidations!.set(key, this.liquidations(symbol, now));
      }
    }
    const activeSet = new Set(keys);
    for (const key of this.books.keys()) if (!activeSet.has(key)) this.idleBooks.add(key);
    for (const key of [...this.klines.keys()]) if (!activeSet.has(key)) this.klines.delete(key);
    return result;
  }

  /** About one liquidation every five ticks (Bybit pushes every 500 ms), from its own stream. */
  private liquidations(id: string, now: number): Liquidation[] {
    let rng = this.liqRngs.get(id);
    if (!rng) this.liqRngs.set(id, (rng = createRng(this.seed, `liq:${id}`)));
    if (!rng.chance(0.2)) return [];
    const sym = this.symbol(id);
    const side = rng.chance(0.5) ? 'Buy' : 'Sell';
    // A long (Buy) is closed at its bankruptcy price below the market, a short above it.
    const offset = sym.info.grid * rng.int(5, 50);
    const price = Math.max(1, side === 'Buy' ? sym.mid - offset : sym.mid + offset);
    return [{ time: now - rng.int(1, 400), side, price, qty: rng.int(1, 5000) * 10 ** Math.max(0, sym.info.qtyDecimals - 3) }];
  }
}

/** Ids that no category accepts still get a market (spot-like), as the spot dialects always did. */
function fallbackSpec(id: string): InstrumentSpec {
  const { category, symbol } = parseInstrumentId(id);
  return { category, symbol, id, baseCoin: symbol, quoteCoin: 'USDT', settleCoin: 'USDT', deliveryTime: 0 };
}
