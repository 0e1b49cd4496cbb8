/**
 * Private state per API key: balances and spot orders. Control calls mutate it and emit
 * dialect-neutral events; each private dialect encodes them for its own sockets.
 */
import { randomUUID } from 'node:crypto';
import { FEE_RATE, divAmount, fmtAmount, minAmount, mulAmount, toAmount, type Amount } from './amount';
import type { Credential } from './auth';
import { SYMBOL_RE } from './topics';

export type Side = 'Buy' | 'Sell';
export type OrderType = 'Limit' | 'Market';
export type OrderStatus = 'New' | 'PartiallyFilled' | 'Filled' | 'Cancelled' | 'PartiallyFilledCanceled';

export interface Order {
  key: string;
  orderId: string;
  orderLinkId: string;
  symbol: string;
  base: string;
  quote: string;
  side: Side;
  type: OrderType;
  timeInForce: string;
  /** 0 for market orders */
  price: Amount;
  qty: Amount;
  status: OrderStatus;
  cumQty: Amount;
  cumValue: Amount;
  cumFee: Amount;
  /** coin the fee is charged in: the coin received (base on Buy, quote on Sell) */
  feeCoin: string;
  createdTime: number;
  updatedTime: number;
  /** the most recent fill, if any (v3/v1 order frames repeat it) */
  lastFill: Fill | undefined;
}

export interface Fill {
  execId: string;
  /** numeric trade id as the spot v3/v1 frames carry it */
  tradeId: string;
  orderId: string;
  price: Amount;
  qty: Amount;
  value: Amount;
  fee: Amount;
  feeCoin: string;
  isMaker: boolean;
  time: number;
  seq: number;
}

export interface Balance {
  coin: string;
  walletBalance: Amount;
  locked: Amount;
  /** walletBalance in USD at the simulator's current prices */
  usdValue: Amount;
}

export type AccountEvent =
  | { kind: 'wallet'; key: string; time: number; changed: Balance[]; totalUsd: Amount; userId: string }
  | { kind: 'order'; key: string; time: number; order: Readonly<Order>; userId: string }
  | { kind: 'execution'; key: string; time: number; order: Readonly<Order>; fill: Fill; userId: string };

export interface BalanceInput {
  coin: string;
  walletBalance: string | number;
  locked?: string | number;
  /** API key of the account (default: the first configured credential) */
  key?: string;
}

export interface OrderInput {
  symbol: string;
  side: Side | 'BUY' | 'SELL' | 'buy' | 'sell';
  type?: OrderType | 'LIMIT' | 'MARKET' | 'limit' | 'market';
  /** required for limit orders */
  price?: string | number;
  qty: string | number;
  orderLinkId?: string;
  timeInForce?: string;
  key?: string;
}

export interface LifecycleInput extends OrderInput {
  /** number of fills: fills-1 PartiallyFilled updates, then Filled (default 1) */
  fills?: number;
}

const STABLE = new Set(['USDT', 'USDC', 'USD', 'DAI', 'FDUSD', 'BUSD', 'USDE']);
const QUOTES = ['FDUSD', 'USDT', 'USDC', 'USDE', 'BUSD', 'BTC', 'ETH', 'EUR', 'DAI', 'BRZ'];

/** BTCUSDT -> [BTC, USDT]; unknown quotes fall back to the last four characters. */
export function splitSymbol(symbol: string): [string, string] {
  for (const q of QUOTES) if (symbol.length > q.length && symbol.endsWith(q)) return [symbol.slice(0, -q.length), q];
  return [symbol.slice(0, -4), symbol.slice(-4)];
}

export class Accounts {
  private readonly balances = new Map<string, Map<string, { walletBalance: Amount; locked: Amount }>>();
  private readonly orders = new Map<string, Order>();
  private nextOrderId = 1_700_000_000_000_000_000n;
  private tradeSeq = 4_688_000_000;
  private nextTradeId = 2_100_000_000_000_000_000n;

  constructor(
    private readonly credentials: readonly Credential[],
    private readonly emit: (ev: AccountEvent) => void,
    /** last traded price of a symbol, as an Amount, from the market model */
    private readonly lastPrice: (symbol: string) => Amount,
    private readonly now: () => number = Date.now,
  ) {}

  /** A stable numeric user id per key (spot v1 auth replies and v3 account ids carry one). */
  userId(key: string): string {
    let h = 0;
    for (const ch of key) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    return String(100000 + (h % 900000));
  }

  /** Sets a coin's balance and pushes a wallet update. */
  injectBalance(input: BalanceInput): void {
    const key = this.resolveKey(input.key);
    if (typeof input.coin !== 'string' || !/^[A-Z0-9]{1,20}$/.test(input.coin)) throw new Error(`coin must be upper-case letters/digits, got ${JSON.stringify(input.coin)}`);
    const walletBalance = toAmount(input.walletBalance, 'walletBalance');
    const locked = toAmount(input.locked ?? 0, 'locked');
    if (locked > walletBalance) throw new Error('locked cannot exceed walletBalance');
    this.wallet(key).set(input.coin, { walletBalance, locked });
    this.emitWallet(key, [input.coin]);
  }

  /**
   * Adds signed amounts to balances and pushes one wallet update for the coins touched (the
   * trade API's reservations and fills; trade-desk.ts checks available funds beforehand).
   */
  adjustBalances(key: string, changes: ReadonlyMap<string, { wallet: Amount; locked: Amount }>, push = true): void {
    const w = this.wallet(this.resolveKey(key));
    for (const [coin, d] of changes) {
      const b = w.get(coin) ?? { walletBalance: 0n, locked: 0n };
      w.set(coin, { walletBalance: b.walletBalance + d.wallet, locked: b.locked + d.locked });
    }
    if (push) this.pushWallet(key, [...changes.keys()]);
  }

  /** Pushes a wallet update for these coins (after adjustBalances with push = false). */
  pushWallet(key: string, coins: string[]): void {
    if (coins.length > 0) this.emitWallet(this.resolveKey(key), coins);
  }

  balancesOf(key?: string): Balance[] {
    const k = this.resolveKey(key);
    return [...this.wallet(k).keys()].sort().map((coin) => this.balance(k, coin));
  }

  /** Creates a New order and pushes it; returns the orderId. */
  placeOrder(input: OrderInput): string {
    const key = this.resolveKey(input.key);
    if (typeof input.symbol !== 'string' || !SYMBOL_RE.test(input.symbol)) throw new Error(`invalid symbol ${JSON.stringify(input.symbol)}`);
    const side = normalizeSide(input.side);
    const type = normalizeType(input.type ?? 'Limit');
    const qty = toAmount(input.qty, 'qty');
    if (qty <= 0n) throw new Error('qty must be greater than 0');
    let price = 0n;
    if (type === 'Limit') {
      if (input.price === undefined) throw new Error('price is required for a limit order');
      price = toAmount(input.price, 'price');
      if (price <= 0n) throw new Error('price must be greater than 0');
    }
    const [base, quote] = splitSymbol(input.symbol);
    const time = this.now();
    const order: Order = {
      key,
      orderId: String(this.nextOrderId++),
      orderLinkId: input.orderLinkId ?? '',
      symbol: input.symbol,
      base,
      quote,
      side,
      type,
      timeInForce: input.timeInForce ?? (type === 'Market' ? 'IOC' : 'GTC'),
      price,
      qty,
      status: 'New',
      cumQty: 0n,
      cumValue: 0n,
      cumFee: 0n,
      feeCoin: side === 'Buy' ? base : quote,
      createdTime: time,
      updatedTime: time,
      lastFill: undefined,
    };
    this.orders.set(order.orderId, order);
    this.emitOrder(order);
    return order.orderId;
  }

  /** Fills qty (default: all that is left) at the order price (market orders: the last trade price). */
  fillOrder(orderId: string, qty?: string | number, opts: { isMaker?: boolean } = {}): Fill {
    const order = this.open(orderId);
    const leaves = order.qty - order.cumQty;
    const execQty = qty === undefined ? leaves : minAmount(toAmount(qty, 'qty'), leaves);
    if (execQty <= 0n) throw new Error('fill qty must be greater than 0');
    const execPrice = order.type === 'Market' ? this.lastPrice(order.symbol) : order.price;
    const value = mulAmount(execPrice, execQty);
    const fee = mulAmount(order.side === 'Buy' ? execQty : value, FEE_RATE);
    const time = this.now();
    const fill: Fill = {
      execId: randomUUID(),
      tradeId: String(this.nextTradeId++),
      orderId,
      price: execPrice,
      qty: execQty,
      value,
      fee,
      feeCoin: order.feeCoin,
      isMaker: opts.isMaker ?? false,
      time,
      seq: ++this.tradeSeq,
    };
    order.cumQty += execQty;
    order.cumValue += value;
    order.cumFee += fee;
    order.status = order.cumQty >= order.qty ? 'Filled' : 'PartiallyFilled';
    order.updatedTime = time;
    order.lastFill = fill;
    this.emit({ kind: 'execution', key: order.key, time, order: { ...order }, fill, userId: this.userId(order.key) });
    this.emitOrder(order);
    return fill;
  }

  /** Cancels what is left: Cancelled, or PartiallyFilledCanceled after a partial fill. */
  cancelOrder(orderId: string): void {
    const order = this.open(orderId);
    order.status = order.cumQty > 0n ? 'PartiallyFilledCanceled' : 'Cancelled';
    order.updatedTime = this.now();
    this.emitOrder(order);
  }

  /** New, then fills-1 partial fills of equal size, then the final fill. Returns the orderId. */
  orderLifecycle(input: LifecycleInput): string {
    const fills = Math.max(1, Math.floor(input.fills ?? 1));
    const orderId = this.placeOrder(input);
    const order = this.orders.get(orderId)!;
    const part = order.qty / BigInt(fills);
    for (let i = 1; i < fills && part > 0n; i++) this.fillOrder(orderId, fmtAmount(part));
    this.fillOrder(orderId);
    return orderId;
  }

  order(orderId: string): Readonly<Order> | undefined {
    return this.orders.get(orderId);
  }

  avgPrice(order: Readonly<Order>): Amount {
    return divAmount(order.cumValue, order.cumQty);
  }

  private open(orderId: string): Order {
    const order = this.orders.get(String(orderId));
    if (!order) throw new Error(`unknown orderId ${JSON.stringify(orderId)}`);
    if (order.status !== 'New' && order.status !== 'PartiallyFilled') throw new Error(`order ${orderId} is ${order.status}`);
    return order;
  }

  private emitOrder(order: Order): void {
    this.emit({ kind: 'order', key: order.key, time: order.updatedTime, order: { ...order }, userId: this.userId(order.key) });
  }

  private emitWallet(key: string, coins: string[]): void {
    const all = this.balancesOf(key);
    const totalUsd = all.reduce((sum, b) => sum + b.usdValue, 0n);
    const changed = all.filter((b) => coins.includes(b.coin));
    this.emit({ kind: 'wallet', key, time: this.now(), changed, totalUsd, userId: this.userId(key) });
  }

  private balance(key: string, coin: string): Balance {
    const b = this.wallet(key).get(coin) ?? { walletBalance: 0n, locked: 0n };
    const price = STABLE.has(coin) ? toAmount(1) : this.lastPrice(`${coin}USDT`);
    return { coin, ...b, usdValue: mulAmount(b.walletBalance, price) };
  }

  private wallet(key: string): Map<string, { walletBalance: Amount; locked: Amount }> {
    let w = this.balances.get(key);
    if (!w) {
      w = new Map();
      this.balances.set(key, w);
    }
    return w;
  }

  private resolveKey(key: string | undefined): string {
    if (key !== undefined) {
      if (!this.credentials.some((c) => c.key === key)) throw new Error(`unknown API key ${JSON.stringify(key)}`);
      return key;
    }
    const first = this.credentials[0];
    if (!first) throw new Error('no API credentials configured');
    return first.key;
  }
}

function normalizeSide(side: unknown): Side {
  const s = typeof side === 'string' ? side.toLowerCase() : '';
  if (s === 'buy') return 'Buy';
  if (s === 'sell') return 'Sell';
  throw new Error(`side must be Buy or Sell, got ${JSON.stringify(side)}`);
}

function normalizeType(type: unknown): OrderType {
  const t = typeof type === 'string' ? type.toLowerCase() : '';
  if (t === 'limit') return 'Limit';
  if (t === 'market') return 'Market';
  throw new Error(`type must be Limit or Market, got ${JSON.stringify(type)}`);
}
