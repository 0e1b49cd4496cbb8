/**
 * The market model shared by every wire dialect: per-symbol price walk, trades, 24h ticker
 * statistics, order books and candles. It knows nothing of JSON or topics; dialects map
 * their topics onto feed keys and encode what `advance` returns.
 */
import { SimBook, type BookDelta, type BookScale } from './book';
import { formatFloat, formatUnits } from './decimal';
import { KlineSeries, type Candle, type KlineInterval } from './kline';
import { createRng, hashString, rngUuid, type Rng } from './rng';

export interface Trade {
  id: string;
  time: number;
  symbol: string;
  /** taker side */
  side: 'Buy' | 'Sell';
  /** price units and qty units (see SymbolInfo decimals); quote in quote currency */
  price: number;
  qty: number;
  quote: number;
  seq: number;
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
export const feed = {
  trade: (symbol: string): FeedKey => `trade:${symbol}`,
  ticker: (symbol: string): FeedKey => `ticker:${symbol}`,
  book: (symbol: string, depth: number): FeedKey => `book:${symbol}:${depth}`,
  kline: (symbol: string, interval: KlineInterval): FeedKey => `kline:${symbol}:${interval}`,
};

export interface TickResult {
  now: number;
  /** trades generated this tick, per symbol that was active */
  trades: Map<string, Trade[]>;
  /** per book feed: this tick's delta, or null when the book did not change */
  books: Map<FeedKey, BookDelta | null>;
  /** per kline feed: a candle that closed on a time boundary (confirm: true), then the current one */
  klines: Map<FeedKey, { closed?: Candle; current: Candle }>;
}

/** Rough starting prices so common symbols look familiar; anything else gets a hashed price. */
const KNOWN_PRICES: Record<string, number> = {
  BTCUSDT: 30000, BTCUSDC: 30000, ETHUSDT: 2000, ETHUSDC: 2000, ETHBTC: 0.066, SOLUSDT: 100,
  XRPUSDT: 0.5, DOGEUSDT: 0.08, ADAUSDT: 0.35, BNBUSDT: 300, LTCUSDT: 70, DOTUSDT: 5,
};

const HISTORY = 60;

export class SymbolMarket {
  readonly info: SymbolInfo;
  mid: number;
  last: number;
  private readonly base: number;
  private readonly prev24h: number;
  private high24h: number;
  private low24h: number;
  private volume24h: number;
  private turnover24h: number;
  private seq: number;
  private readonly rng: Rng;
  /** newest last; spot v1 sends these with its first trade message */
  readonly recent: Trade[] = [];

  constructor(symbol: string, seed: number, now: number) {
    this.rng = createRng(seed, `symbol:${symbol}`);
    const price = KNOWN_PRICES[symbol] ?? 10 ** ((hashString(symbol) % 6) - 1) * (1 + this.rng.next() * 8);
    const intDigits = price >= 1 ? Math.floor(Math.log10(price)) + 1 : 0;
    const priceDecimals = Math.min(8, Math.max(2, 6 - intDigits));
    const qtyDecimals = Math.min(6, Math.max(2, intDigits + 1));
    this.base = Math.round(price * 10 ** priceDecimals);
    this.info = { symbol, priceDecimals, qtyDecimals, grid: Math.max(1, Math.round(this.base * 0.00002)) };
    this.mid = this.base;
    this.last = this.base;
    this.prev24h = Math.round(this.base * (1 + (this.rng.next() - 0.5) * 0.06));
    this.high24h = Math.max(this.base, this.prev24h) + this.info.grid * this.rng.int(10, 500);
    this.low24h = Math.min(this.base, this.prev24h) - this.info.grid * this.rng.int(10, 500);
    this.volume24h = this.rng.int(1000, 100000) * 10 ** this.info.qtyDecimals;
    this.turnover24h = this.fromQty(this.volume24h) * this.fromPrice(this.base);
    this.seq = this.rng.int(1_000_000_000, 2_000_000_000);
    // A history exists from the start so "the last 60 trades" is never short.
    for (let i = HISTORY; i > 0; i--) this.makeTrade(now - i * 1000);
  }

  /** One tick: the mid walks a little and 1..3 trades print around it. */
  advance(now: number): Trade[] {
    const grid = this.info.grid;
    // Mild pull back toward the start price keeps long runs (1000s of steps) in range.
    const drift = this.mid > this.base * 1.1 ? -1 : this.mid < this.base * 0.9 ? 1 : 0;
    this.mid = Math.max(grid * 20, this.mid + grid * (this.rng.int(-2, 2) + drift));
    const trades: Trade[] = [];
    const count = this.rng.int(1, 3);
    for (let i = 0; i < count; i++) trades.push(this.makeTrade(now));
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

  private makeTrade(time: number): Trade {
    const grid = this.info.grid;
    const side = this.rng.chance(0.5) ? 'Buy' : 'Sell';
    // Takers lift asks above the mid or hit bids below it.
    const offset = grid * this.rng.int(1, 2);
    const price = Math.max(1, side === 'Buy' ? this.mid + offset : this.mid - offset);
    const qty = this.rng.int(1, 2000) * 10 ** Math.max(0, this.info.qtyDecimals - 3);
    const quote = this.fromPrice(price) * this.fromQty(qty);
    const trade: Trade = { id: rngUuid(this.rng), time, symbol: this.info.symbol, side, price, qty, quote, seq: this.nextSeq() };
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

export class Market {
  private readonly symbols = new Map<string, SymbolMarket>();
  private readonly books = new Map<FeedKey, SimBook>();
  /** books that missed a tick: their state is stale and is rebuilt before the next snapshot */
  private readonly idleBooks = new Set<FeedKey>();
  private readonly klines = new Map<FeedKey, KlineSeries>();

  constructor(
    readonly seed: number,
    private readonly clock: () => number = Date.now,
  ) {}

  symbol(symbol: string): SymbolMarket {
    let s = this.symbols.get(symbol);
    if (!s) {
      s = new SymbolMarket(symbol, this.seed, this.clock());
      this.symbols.set(symbol, s);
    }
    return s;
  }

  /** The book a new subscriber gets a snapshot of; created or rebuilt around the mid as needed. */
  book(symbol: string, depth: number): SimBook {
    const key = feed.book(symbol, depth);
    const sym = this.symbol(symbol);
    let book = this.books.get(key);
    if (!book) {
      book = new SimBook(symbol, depth, sym.info, createRng(this.seed, `book:${symbol}:${depth}`), sym.mid);
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
    const result: TickResult = { now, trades: new Map(), books: new Map(), klines: new Map() };
    const keys = [...new Set(active)].sort();
    const symbols = new Set<string>();
    for (const key of keys) symbols.add(key.split(':')[1]);
    for (const s of [...symbols].sort()) result.trades.set(s, this.symbol(s).advance(now));

    for (const key of keys) {
      const [kind, symbol, param] = key.split(':');
      if (kind === 'book') {
        const book = this.book(symbol, Number(param));
        result.books.set(key, book.step(this.symbol(symbol).mid));
      } else if (kind === 'kline') {
        const series = this.kline(symbol, param as KlineInterval);
        const closed = series.update(result.trades.get(symbol) ?? [], now, this.symbol(symbol).last);
        result.klines.set(key, { closed, current: series.current });
      }
    }
    const activeSet = new Set(keys);
    for (const key of this.books.keys()) if (!activeSet.has(key)) this.idleBooks.add(key);
    for (const key of [...this.klines.keys()]) if (!activeSet.has(key)) this.klines.delete(key);
    return result;
  }
}
