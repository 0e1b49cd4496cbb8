/**
 * Private state per API key: balances, orders of every V5 category (spot, linear, inverse,
 * option), conditional (stop) orders and derivative positions. Control calls mutate it and
 * emit dialect-neutral events; each private dialect encodes them for its own sockets (the
 * spot v3/v1 dialects only see spot).
 */
import { randomUUID } from 'node:crypto';
import { FEE_RATE, divAmount, fmtAmount, minAmount, mulAmount, toAmount, truncAmount, type Amount } from './amount';
import type { Credential } from './auth';
import { instrumentSpec, isCategory, type Category } from './instruments';
import { DEFAULT_LEVERAGE, applyFill, positionFigures, type Position, type PositionFigures } from './positions';

export { splitSymbol } from './instruments';

export type Side = 'Buy' | 'Sell';
export type OrderType = 'Limit' | 'Market';
/** docs/v5/enum.mdx orderStatus */
export type OrderStatus =
  | 'New' | 'PartiallyFilled' | 'Untriggered'
  | 'Rejected' | 'PartiallyFilledCanceled' | 'Filled' | 'Cancelled' | 'Triggered' | 'Deactivated';
export type MarketUnit = 'baseCoin' | 'quoteCoin';

export interface Order {
  key: string;
  orderId: string;
  orderLinkId: string;
  category: Category;
  symbol: string;
  base: string;
  quote: string;
  settleCoin: string;
  side: Side;
  type: OrderType;
  timeInForce: string;
  /** 0 for market orders */
  price: Amount;
  /** in the order's unit: quote coin for a spot market order with marketUnit quoteCoin */
  qty: Amount;
  status: OrderStatus;
  /** base quantity filled */
  cumQty: Amount;
  /** quote value filled (inverse: base-coin value) */
  cumValue: Amount;
  /** Σ price × qty of the fills: the average price without the 8-decimal rounding of an inverse value */
  cumNotional: Amount;
  /** how much of `qty` (in its own unit) fills have used up */
  usedQty: Amount;
  cumFee: Amount;
  /** coin the fee is charged in (spot: the coin received; derivatives: the settle coin) */
  feeCoin: string;
  createdTime: number;
  updatedTime: number;
  /** the most recent fill, if any (v3/v1 order frames repeat it) */
  lastFill: Fill | undefined;
  /** spot market orders only, '' otherwise (order.mdx `marketUnit`) */
  marketUnit: MarketUnit | '';
  /** 0 unless conditional */
  triggerPrice: Amount;
  /** '' for plain orders (order.mdx example), else e.g. tpslOrder (spot) or Stop */
  stopOrderType: string;
  triggerBy: string;
  /** 1 rise, 2 fall, 0 none */
  triggerDirection: number;
  /** 0 until the conditional order triggered */
  triggeredTime: number;
  /** a conditional order whose triggered order could not be placed */
  stopFailed: boolean;
  /** the id spot v3/v1 give the order a stop order places when it triggers (`eo`) */
  spawnedOrderId: string;
  /** UNKNOWN until cancelled (order.mdx example) */
  cancelType: string;
  rejectReason: string;
  reduceOnly: boolean;
  lastPriceOnCreated: Amount;
  /** realised PnL of the fills that closed position size (derivatives) */
  closedPnl: Amount;
}

export interface Fill {
  execId: string;
  /** numeric trade id as the spot v3/v1 frames carry it */
  tradeId: string;
  orderId: string;
  price: Amount;
  /** base quantity (contracts for derivatives) */
  qty: Amount;
  value: Amount;
  fee: Amount;
  feeRate: Amount;
  feeCoin: string;
  isMaker: boolean;
  time: number;
  seq: number;
  /** derivatives: size this fill closed and its PnL */
  closedSize: Amount;
  execPnl: Amount;
  markPrice: Amount;
  /** what the order had left after this fill, in the order's unit */
  leavesQty: Amount;
}

export interface Balance {
  coin: string;
  /** Bybit's new walletBalance, which includes spotBorrow (wallet.mdx) */
  walletBalance: Amount;
  locked: Amount;
  spotBorrow: Amount;
  /** walletBalance - spotBorrow (no unrealised PnL or option value in the simulator) */
  equity: Amount;
  /** equity in USD at the simulator's current prices */
  usdValue: Amount;
  /** walletBalance in USD */
  walletUsd: Amount;
}

/** A position as pushed: the stored state, its derived figures and the mark it used. */
export interface PositionView {
  position: Readonly<Position>;
  figures: PositionFigures;
  markPrice: Amount;
}

export type AccountEvent =
  | { kind: 'wallet'; key: string; time: number; changed: Balance[]; all: Balance[]; totalUsd: Amount; userId: string }
  | { kind: 'order'; key: string; time: number; order: Readonly<Order>; userId: string }
  | { kind: 'execution'; key: string; time: number; order: Readonly<Order>; fill: Fill; userId: string }
  | { kind: 'position'; key: string; time: number; view: PositionView; userId: string };

export interface BalanceInput {
  coin: string;
  walletBalance: string | number;
  locked?: string | number;
  /** borrowed by spot margin; already included in walletBalance (wallet.mdx) */
  spotBorrow?: string | number;
  /** API key of the account (default: the first configured credential) */
  key?: string;
}

export interface OrderInput {
  /** default spot */
  category?: Category;
  symbol: string;
  side: Side | 'BUY' | 'SELL' | 'buy' | 'sell';
  type?: OrderType | 'LIMIT' | 'MARKET' | 'limit' | 'market';
  /** required for limit orders */
  price?: string | number;
  qty: string | number;
  orderLinkId?: string;
  timeInForce?: string;
  /**
   * spot market orders: the unit of qty. Default baseCoin (the control API's own default, so a
   * qty reads as coins); Bybit's default for a market Buy is quoteCoin (create-order.mdx), so a
   * caller standing in for Bybit's order entry passes it explicitly.
   */
  marketUnit?: MarketUnit;
  /** makes the order conditional: Untriggered until triggerOrder() */
  triggerPrice?: string | number;
  /** default tpslOrder on spot, Stop otherwise */
  stopOrderType?: string;
  /** places the order as Rejected with this rejectReason (enum.mdx rejectReason) */
  rejectReason?: string;
  reduceOnly?: boolean;
  key?: string;
}

export interface LifecycleInput extends OrderInput {
  /** number of fills: fills-1 PartiallyFilled updates, then Filled (default 1) */
  fills?: number;
}

export interface PositionInput {
  category?: Exclude<Category, 'spot'>;
  symbol: string;
  /** Buy (long) or Sell (short); ignored when size is 0 */
  side?: Side | '';
  size: string | number;
  /** the price the change happens at (default: the current mark); sets entryPrice when opening */
  price?: string | number;
  /** fixes the mark price of this position from now on (for exact PnL in tests) */
  markPrice?: string | number;
  leverage?: string | number;
  key?: string;
}

/** What the account needs from the market model. */
export interface MarketLink {
  /** last traded price */
  lastPrice(category: Category, symbol: string): Amount;
  /** mark price (derivatives; spot: last) */
  markPrice(category: Category, symbol: string): Amount;
  /** USD price of a coin */
  usdPrice(coin: string): Amount;
}

/** Taker / maker fee rates per category (spot's 0.1 % as before; derivatives per Bybit's VIP 0). */
const FEES: Record<Category, { taker: Amount; maker: Amount }> = {
  spot: { taker: FEE_RATE, maker: FEE_RATE },
  linear: { taker: toAmount('0.00055'), maker: toAmount('0.0002') },
  inverse: { taker: toAmount('0.00055'), maker: toAmount('0.0002') },
  option: { taker: toAmount('0.0003'), maker: toAmount('0.0003') },
};

const OPEN: readonly OrderStatus[] = ['New', 'PartiallyFilled', 'Untriggered'];

export function isOpen(o: Readonly<Order>): boolean {
  return OPEN.includes(o.status);
}

interface Wallet {
  walletBalance: Amount;
  locked: Amount;
  spotBorrow: Amount;
}

export class Accounts {
  private readonly balances = new Map<string, Map<string, Wallet>>();
  private readonly orders = new Map<string, Order>();
  private readonly positions = new Map<string, Position>();
  private nextOrderId = 1_700_000_000_000_000_000n;
  private tradeSeq = 4_688_000_000;
  private nextTradeId = 2_100_000_000_000_000_000n;

  constructor(
    private readonly credentials: readonly Credential[],
    private readonly emit: (ev: AccountEvent) => void,
    private readonly market: MarketLink,
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
    const spotBorrow = toAmount(input.spotBorrow ?? 0, 'spotBorrow');
    if (locked > walletBalance) throw new Error('locked cannot exceed walletBalance');
    this.wallet(key).set(input.coin, { walletBalance, locked, spotBorrow });
    this.emitWallet(key, [input.coin]);
  }

  /**
   * Adds signed amounts to balances and pushes one wallet update for the coins touched (the
   * trade API's reservations and fills; trade-desk.ts checks available funds beforehand).
   */
  adjustBalances(key: string, changes: ReadonlyMap<string, { wallet: Amount; locked: Amount }>, push = true): void {
    const w = this.wallet(this.resolveKey(key));
    for (const [coin, d] of changes) {
      const b = w.get(coin) ?? { walletBalance: 0n, locked: 0n, spotBorrow: 0n };
      w.set(coin, { ...b, walletBalance: b.walletBalance + d.wallet, locked: b.locked + d.locked });
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

  /** Creates an order (New; Untriggered when it has a trigger price; Rejected on request) and pushes it. */
  placeOrder(input: OrderInput): string {
    const order = this.newOrder(input);
    this.orders.set(order.orderId, order);
    this.emitOrder(order);
    this.touchPosition(order);
    return order.orderId;
  }

  /**
   * Fills qty (default: all that is left; in the order's unit) at the order price (market
   * orders: the last trade price). Pushes the execution, the order, and for derivatives the position.
   */
  fillOrder(orderId: string, qty?: string | number, opts: { isMaker?: boolean; price?: string | number } = {}): Fill {
    const order = this.open(orderId);
    if (order.status === 'Untriggered') throw new Error(`order ${orderId} is Untriggered: trigger it first`);
    const left = order.qty - order.usedQty;
    const want = qty === undefined ? left : minAmount(toAmount(qty, 'qty'), left);
    if (want <= 0n) throw new Error('fill qty must be greater than 0');
    const price = opts.price !== undefined ? toAmount(opts.price, 'price') : order.type === 'Market' ? this.market.lastPrice(order.category, order.symbol) : order.price;
    if (price <= 0n) throw new Error('fill price must be greater than 0');
    // A quote-unit market buy spends `want` quote coin: the base quantity follows from the price.
    const execQty = order.marketUnit === 'quoteCoin' ? truncAmount(divAmount(want, price), 8) : want;
    if (execQty <= 0n) throw new Error('fill is smaller than one unit at this price');
    const isMaker = opts.isMaker ?? false;
    const fill = this.makeFill(order, price, execQty, isMaker);
    order.usedQty += want;
    order.cumQty += execQty;
    order.cumValue += fill.value;
    order.cumNotional += mulAmount(price, execQty);
    order.cumFee += fill.fee;
    order.status = order.usedQty >= order.qty ? 'Filled' : 'PartiallyFilled';
    order.updatedTime = fill.time;
    fill.leavesQty = order.qty - order.usedQty;
    if (order.category !== 'spot') this.fillPosition(order, fill);
    order.lastFill = fill;
    this.emit({ kind: 'execution', key: order.key, time: fill.time, order: { ...order }, fill, userId: this.userId(order.key) });
    this.emitOrder(order);
    if (order.category !== 'spot') this.emitPosition(this.position(order.key, order.category, order.symbol));
    return fill;
  }

  /** Cancels what is left: Cancelled, PartiallyFilledCanceled (spot, after a fill) or Deactivated (untriggered). */
  cancelOrder(orderId: string, cancelType = 'CancelByUser'): void {
    const order = this.open(orderId);
    if (order.status === 'Untriggered') order.status = 'Deactivated';
    else order.status = order.cumQty > 0n && order.category === 'spot' ? 'PartiallyFilledCanceled' : 'Cancelled';
    order.cancelType = cancelType;
    order.updatedTime = this.now();
    this.emitOrder(order);
    this.touchPosition(order);
  }

  /**
   * Triggers a conditional order: Triggered then New (V5); spot v3/v1 see the stop order
   * filled and a new order `eo`. With `fail`, the triggered order is not placed: Rejected
   * (V5) / ORDER_FAILED (spot v3/v1).
   */
  triggerOrder(orderId: string, opts: { fail?: boolean; rejectReason?: string } = {}): void {
    const order = this.open(orderId);
    if (order.status !== 'Untriggered') throw new Error(`order ${orderId} is ${order.status}, not Untriggered`);
    const time = this.now();
    order.updatedTime = time;
    if (opts.fail) {
      order.status = 'Rejected';
      order.stopFailed = true;
      order.rejectReason = opts.rejectReason ?? 'EC_Others';
      this.emitOrder(order);
      return;
    }
    order.triggeredTime = time;
    order.status = 'Triggered';
    this.emitOrder(order);
    order.status = 'New';
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

  /**
   * Sets a position to `size` on `side` as if filled at `price` (default the mark), so opening,
   * changing and closing realise PnL like trades do; pushes the position. Size 0 closes it.
   */
  setPosition(input: PositionInput): PositionView {
    const key = this.resolveKey(input.key);
    const category = input.category ?? 'linear';
    if (!['linear', 'inverse', 'option'].includes(category)) throw new Error('category must be linear, inverse or option');
    if (!instrumentSpec(category, input.symbol)) throw new Error(`invalid ${category} symbol ${JSON.stringify(input.symbol)}`);
    const size = toAmount(input.size, 'size');
    if (size > 0n && input.side !== 'Buy' && input.side !== 'Sell') throw new Error('side must be Buy or Sell for a non-zero size');
    const pos = this.position(key, category, input.symbol);
    if (input.markPrice !== undefined) pos.markOverride = toAmount(input.markPrice, 'markPrice');
    if (input.leverage !== undefined) pos.leverage = toAmount(input.leverage, 'leverage');
    const target = input.side === 'Sell' ? -size : size;
    const change = target - pos.size;
    const time = this.now();
    if (change !== 0n) {
      const price = input.price !== undefined ? toAmount(input.price, 'price') : this.markOf(pos);
      applyFill(pos, change > 0n ? 'Buy' : 'Sell', change > 0n ? change : -change, price, time);
      pos.seq = ++this.tradeSeq;
    }
    pos.updatedTime = time;
    return this.emitPosition(pos);
  }

  /** The current position of a symbol (flat if it never had one). */
  positionOf(category: Exclude<Category, 'spot'>, symbol: string, key?: string): PositionView {
    return this.view(this.position(this.resolveKey(key), category, symbol));
  }

  private newOrder(input: OrderInput): Order {
    const key = this.resolveKey(input.key);
    const category = input.category ?? 'spot';
    if (!isCategory(category)) throw new Error(`category must be spot, linear, inverse or option, got ${JSON.stringify(category)}`);
    const spec = typeof input.symbol === 'string' ? instrumentSpec(category, input.symbol) : undefined;
    if (!spec) throw new Error(`invalid ${category} symbol ${JSON.stringify(input.symbol)}`);
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
    const marketUnit = marketUnitOf(category, type, input.marketUnit);
    const triggerPrice = input.triggerPrice === undefined ? 0n : toAmount(input.triggerPrice, 'triggerPrice');
    const last = this.market.lastPrice(category, input.symbol);
    const time = this.now();
    const orderId = String(this.nextOrderId++);
    // A stop order reserves the next id for the order it places when triggered (v3/v1 `eo`).
    const spawnedOrderId = triggerPrice > 0n ? String(this.nextOrderId++) : '';
    return {
      key, orderId, orderLinkId: input.orderLinkId ?? '', category, symbol: input.symbol,
      base: spec.baseCoin, quote: spec.quoteCoin, settleCoin: spec.settleCoin, side, type,
      timeInForce: input.timeInForce ?? (type === 'Market' ? 'IOC' : 'GTC'), price, qty,
      status: input.rejectReason ? 'Rejected' : triggerPrice > 0n ? 'Untriggered' : 'New',
      cumQty: 0n, cumValue: 0n, cumNotional: 0n, usedQty: 0n, cumFee: 0n,
      feeCoin: category === 'spot' ? (side === 'Buy' ? spec.baseCoin : spec.quoteCoin) : spec.settleCoin,
      createdTime: time, updatedTime: time, lastFill: undefined, marketUnit,
      triggerPrice, stopOrderType: triggerPrice > 0n ? (input.stopOrderType ?? (category === 'spot' ? 'tpslOrder' : 'Stop')) : '',
      triggerBy: triggerPrice > 0n ? 'LastPrice' : '', triggerDirection: triggerPrice > 0n ? (triggerPrice > last ? 1 : 2) : 0,
      triggeredTime: 0, stopFailed: false, spawnedOrderId, cancelType: 'UNKNOWN', rejectReason: input.rejectReason ?? 'EC_NoError',
      reduceOnly: input.reduceOnly ?? false, lastPriceOnCreated: last, closedPnl: 0n,
    };
  }

  private makeFill(order: Order, price: Amount, execQty: Amount, isMaker: boolean): Fill {
    const fees = FEES[order.category];
    const feeRate = isMaker ? fees.maker : fees.taker;
    const value = order.category === 'inverse' ? divAmount(execQty, price) : mulAmount(price, execQty);
    let fee: Amount;
    if (order.category === 'spot') fee = mulAmount(order.side === 'Buy' ? execQty : value, feeRate);
    else if (order.category === 'option') fee = mulAmount(mulAmount(this.market.markPrice('spot', `${order.base}USDT`), execQty), feeRate);
    else fee = mulAmount(value, feeRate);
    return {
      execId: randomUUID(), tradeId: String(this.nextTradeId++), orderId: order.orderId, price, qty: execQty, value, fee, feeRate,
      feeCoin: order.feeCoin, isMaker, time: this.now(), seq: ++this.tradeSeq, closedSize: 0n, execPnl: 0n,
      markPrice: this.market.markPrice(order.category, order.symbol), leavesQty: 0n,
    };
  }

  private fillPosition(order: Order, fill: Fill): void {
    const pos = this.position(order.key, order.category as Position['category'], order.symbol);
    const effect = applyFill(pos, order.side, fill.qty, fill.price, fill.time);
    pos.curRealisedPnl -= fill.fee;
    pos.cumRealisedPnl -= fill.fee;
    pos.seq = fill.seq;
    fill.closedSize = effect.closedSize;
    fill.execPnl = effect.pnl - fill.fee;
    order.closedPnl += effect.pnl;
  }

  /** position.mdx: creating or cancelling a derivative order pushes its position too. */
  private touchPosition(order: Order): void {
    if (order.category === 'spot') return;
    this.emitPosition(this.position(order.key, order.category, order.symbol));
  }

  private position(key: string, category: Position['category'], symbol: string): Position {
    const id = `${key}\n${category}/${symbol}`;
    let pos = this.positions.get(id);
    if (!pos) {
      const time = this.now();
      pos = {
        key, category, symbol, size: 0n, entryPrice: 0n, leverage: DEFAULT_LEVERAGE, curRealisedPnl: 0n, cumRealisedPnl: 0n,
        createdTime: time, updatedTime: time, openTime: 0, seq: -1,
      };
      this.positions.set(id, pos);
    }
    return pos;
  }

  private markOf(pos: Position): Amount {
    return pos.markOverride ?? this.market.markPrice(pos.category, pos.symbol);
  }

  private view(pos: Position): PositionView {
    const mark = this.markOf(pos);
    return { position: { ...pos }, figures: positionFigures(pos, mark, FEES[pos.category].taker), markPrice: mark };
  }

  private emitPosition(pos: Position): PositionView {
    const view = this.view(pos);
    this.emit({ kind: 'position', key: pos.key, time: pos.updatedTime, view, userId: this.userId(pos.key) });
    return view;
  }

  private open(orderId: string): Order {
    const order = this.orders.get(String(orderId));
    if (!order) throw new Error(`unknown orderId ${JSON.stringify(orderId)}`);
    if (!isOpen(order)) throw new Error(`order ${orderId} is ${order.status}`);
    return order;
  }

  private emitOrder(order: Order): void {
    this.emit({ kind: 'order', key: order.key, time: order.updatedTime, order: { ...order }, userId: this.userId(order.key) });
  }

  private emitWallet(key: string, coins: string[]): void {
    const all = this.balancesOf(key);
    const totalUsd = all.reduce((sum, b) => sum + b.usdValue, 0n);
    const changed = all.filter((b) => coins.includes(b.coin));
    this.emit({ kind: 'wallet', key, time: this.now(), changed, all, totalUsd, userId: this.userId(key) });
  }

  private balance(key: string, coin: string): Balance {
    const b = this.wallet(key).get(coin) ?? { walletBalance: 0n, locked: 0n, spotBorrow: 0n };
    const price = this.market.usdPrice(coin);
    const equity = b.walletBalance - b.spotBorrow;
    return { coin, ...b, equity, usdValue: mulAmount(equity, price), walletUsd: mulAmount(b.walletBalance, price) };
  }

  private wallet(key: string): Map<string, Wallet> {
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

function marketUnitOf(category: Category, type: OrderType, given: MarketUnit | undefined): MarketUnit | '' {
  if (category !== 'spot' || type !== 'Market') return '';
  if (given !== undefined && given !== 'baseCoin' && given !== 'quoteCoin') throw new Error('marketUnit must be baseCoin or quoteCoin');
  return given ?? 'baseCoin';
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
