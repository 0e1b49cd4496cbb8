/**
 * The Trade API's order desk: orders and positions per account (API key), balance checks and
 * reservations in the shared account model, matching against the simulator's order book, and
 * the `order` / `execution` / `position` frames (plus `wallet`, through the account model) on
 * that account's `/v5/private` sockets.
 *
 * Matching reads the book and does not consume it: the public book streams stay exactly what
 * they were (a client's local book keeps matching the simulator's). Resting orders are not
 * shown in the public book and fill only when told to (`fillResting`).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Accounts } from './account';
import { divAmount, fmtAmount, minAmount, mulAmount, toAmount, type Amount } from './amount';
import type { SimBook } from './book';
import type { Market } from './market';
import type { Session } from './session';
import { TradeLimits } from './trade-limits';
import { executionItem, orderItem, positionItem } from './trade-frames';
import type { AmendRequest, CreateRequest, OrderRef } from './trade-params';
import {
  byCategory, contractValue, E, feeRate, isOpen, leaves, leverageOf, TradeError,
  type Category, type Execution, type Instrument, type Position, type Side, type TradeOrder,
} from './trade-model';

export interface TradeHost {
  readonly market: Market;
  readonly accounts: Accounts;
  now(): number;
  /** open, authenticated `/v5/private` sockets of this API key */
  privateSessions(key: string): Iterable<Session>;
}

/** The reply data of a create/amend/cancel, and the frames to push once the reply is out. */
export interface TradeOutcome {
  orderId: string;
  orderLinkId: string;
  publish(): void;
}

interface Level {
  price: Amount;
  qty: Amount;
}

interface AccountDesk {
  orders: Map<string, TradeOrder>;
  /** `${category}\n${orderLinkId}` -> orderId */
  linkIds: Map<string, string>;
  /** `${category}\n${symbol}` */
  positions: Map<string, Position>;
}

/** Balance changes of one request, applied at once and pushed as one wallet frame. */
class Ledger {
  readonly changes = new Map<string, { wallet: Amount; locked: Amount }>();

  add(coin: string, wallet: Amount, locked: Amount): void {
    if (wallet === 0n && locked === 0n) return;
    const c = this.changes.get(coin) ?? { wallet: 0n, locked: 0n };
    this.changes.set(coin, { wallet: c.wallet + wallet, locked: c.locked + locked });
  }
}

/** Per account; the oldest closed orders are forgotten beyond this. */
const MAX_ORDERS = 10_000;
/** create-order.mdx: 500 active orders per symbol (spot: per account). */
const MAX_OPEN = 500;

export class TradeDesk {
  readonly limits = new TradeLimits();
  private readonly desks = new Map<string, AccountDesk>();
  private nextSpotId = 1_900_000_000_000_000_000n;
  private seq = 140_612_148_000_000;

  constructor(private readonly host: TradeHost) {}

  create(key: string, req: CreateRequest): TradeOutcome {
    const desk = this.desk(key);
    const { category, inst } = req;
    if (req.orderLinkId && desk.linkIds.has(`${category}\n${req.orderLinkId}`)) throw byCategory(category, E.spotDuplicateLinkId, E.duplicateLinkId);
    const open = [...desk.orders.values()].filter((o) => isOpen(o) && o.category === category && (category === 'spot' || o.inst.symbol === inst.symbol));
    if (open.length >= MAX_OPEN) throw byCategory(category, E.spotTooManyOrders, E.tooManyOrders);
    let qty = req.qty;
    if (req.reduceOnly) {
      const pos = desk.positions.get(`${category}\n${inst.symbol}`);
      if (!pos || pos.side === '' || pos.side === req.side) throw E.truncatedToZero;
      qty = minAmount(qty, pos.size);
    }
    const levels = this.levels(inst, req.side);
    const { coin, amount } = this.required({ ...req, qty }, levels);
    if (amount > this.available(key, coin)) throw byCategory(category, E.spotBalance, E.insufficient);

    const order = this.newOrder(key, { ...req, qty });
    const ledger = new Ledger();
    if (req.orderType === 'Limit' && !req.reduceOnly) {
      order.reserved = this.reserveFor(order, order.price, qty);
      ledger.add(order.reserveCoin, 0n, order.reserved);
    }
    const execs = this.match(order, levels, ledger);
    this.store(desk, order);
    return this.outcome(order, execs, ledger);
  }

  amend(key: string, req: AmendRequest): TradeOutcome {
    const order = this.find(key, req, byCategory(req.category, E.spotNotFound, E.notFoundAmend));
    const qty = req.qty ?? order.qty;
    const price = req.price ?? order.price;
    if (qty === order.qty && price === order.price) {
      throw new TradeError(E.param, 'Request parameter error: the order remains unchanged (same qty and price)');
    }
    if (qty <= order.cumQty) throw byCategory(order.category, E.spotQtyBelowFilled, E.qtyBelowFilled);
    const ledger = new Ledger();
    const reserve = order.reduceOnly ? 0n : this.reserveFor(order, price, qty - order.cumQty);
    if (reserve - order.reserved > this.available(key, order.reserveCoin)) throw byCategory(order.category, E.spotBalance, E.insufficient);
    ledger.add(order.reserveCoin, 0n, reserve - order.reserved);
    Object.assign(order, { qty, price, reserved: reserve, updatedTime: this.host.now() });
    const execs = this.match(order, this.levels(order.inst, order.side), ledger);
    return this.outcome(order, execs, ledger);
  }

  cancel(key: string, ref: OrderRef): TradeOutcome {
    const order = this.find(key, ref, byCategory(ref.category, E.spotNotFound, E.notFoundCancel));
    const ledger = new Ledger();
    this.close(order, ledger, 'CancelByUser', 'EC_NoError');
    return this.outcome(order, [], ledger);
  }

  /** Fills a resting order (default: all that is left) at its own price, as the maker. */
  fillResting(orderId: string, qty?: Amount, key?: string): { execIds: string[]; orderStatus: string } {
    const order = this.findAny(orderId, key);
    if (!order || !isOpen(order)) throw new Error(`no open trade order ${JSON.stringify(orderId)}`);
    const ledger = new Ledger();
    const execQty = minAmount(qty ?? leaves(order), leaves(order));
    if (execQty <= 0n) throw new Error('fill qty must be greater than 0');
    const exec = this.execute(order, order.price, execQty, true, ledger, ++this.seq);
    if (leaves(order) === 0n) this.release(order, ledger);
    this.outcome(order, [exec], ledger).publish();
    return { execIds: [exec.execId], orderStatus: order.status };
  }

  /** Orders of one account (default: every account), newest last. */
  orders(key?: string): Readonly<TradeOrder>[] {
    return this.accountsOf(key).flatMap((d) => [...d.orders.values()]);
  }

  positions(key?: string): Readonly<Position>[] {
    return this.accountsOf(key).flatMap((d) => [...d.positions.values()]);
  }

  // ---- matching -------------------------------------------------------------------------

  /** Takes liquidity as the order allows, then ends what must not rest (IOC, FOK, PostOnly, Market). */
  private match(order: TradeOrder, levels: Level[], ledger: Ledger): Execution[] {
    const limit = order.orderType === 'Limit' ? order.price : undefined;
    const crossing = levels.filter((l) => limit === undefined || (order.side === 'Buy' ? l.price <= limit : l.price >= limit));
    if (order.timeInForce === 'PostOnly' && crossing.length > 0) {
      this.close(order, ledger, 'UNKNOWN', 'EC_PostOnlyWillTakeLiquidity');
      return [];
    }
    if (order.timeInForce === 'FOK' && this.fillable(order, crossing) < leaves(order)) {
      this.close(order, ledger, 'UNKNOWN', 'EC_CancelForNoFullFill');
      return [];
    }
    const seq = ++this.seq;
    const execs: Execution[] = [];
    // An order by value is done once what is left buys less than one qty step.
    let dust = false;
    for (const level of crossing) {
      const q = this.takeQty(order, level);
      if (q <= 0n) {
        dust = order.marketUnit === 'quoteCoin' && order.cumQty > 0n;
        break;
      }
      execs.push(this.execute(order, level.price, q, false, ledger, seq));
      if (leaves(order) === 0n) break;
    }
    if (leaves(order) === 0n || dust) {
      order.status = 'Filled';
      this.release(order, ledger);
    } else if (order.timeInForce === 'IOC' || order.timeInForce === 'FOK') {
      this.close(order, ledger, 'UNKNOWN', order.cumQty > 0n ? 'EC_NoEnoughQtyToFill' : 'EC_NoImmediateQtyToFill');
    }
    return execs;
  }

  /** Base qty (or contracts) the order takes from one level. */
  private takeQty(order: TradeOrder, level: Level): Amount {
    if (order.marketUnit !== 'quoteCoin') return minAmount(level.qty, leaves(order));
    // Spot market orders by value: as much base as the rest of the value buys, in the symbol's qty steps.
    const step = 10n ** BigInt(Math.max(0, 8 - this.host.market.symbol(order.inst.symbol).info.qtyDecimals));
    const q = divAmount(leaves(order), level.price);
    return minAmount(level.qty, q - (q % step));
  }

  private fillable(order: TradeOrder, crossing: Level[]): Amount {
    let total = 0n;
    for (const l of crossing) total += order.marketUnit === 'quoteCoin' ? mulAmount(l.price, l.qty) : l.qty;
    return total;
  }

  /** One fill: balances, fees, the position (derivatives) and the order's totals. */
  private execute(order: TradeOrder, price: Amount, qty: Amount, isMaker: boolean, ledger: Ledger, seq: number): Execution {
    const { category, inst } = order;
    const value = contractValue(category, price, qty);
    const rate = feeRate(category, isMaker);
    let fee: Amount;
    let closed = 0n;
    let pnl = 0n;
    if (category === 'spot') {
      fee = mulAmount(order.side === 'Buy' ? qty : value, rate);
      const [paid, paidAmount, got, gotAmount] = order.side === 'Buy' ? [inst.quote, value, inst.base, qty] : [inst.base, qty, inst.quote, value];
      const release = minAmount(order.reserved, order.side === 'Buy' ? mulAmount(order.price, qty) : qty);
      order.reserved -= release;
      ledger.add(paid, -paidAmount, -release);
      ledger.add(got, gotAmount - fee, 0n);
    } else {
      fee = mulAmount(value, rate);
      const release = minAmount(order.reserved, divAmount(contractValue(category, order.price, qty), leverageOf(category)));
      order.reserved -= release;
      const pos = this.applyToPosition(order, price, qty, seq);
      closed = pos.closed;
      pnl = pos.pnl;
      ledger.add(inst.settle, pnl - fee, pos.imDelta - release);
    }
    const time = this.host.now();
    order.cumQty += qty;
    order.cumValue += value;
    order.cumFee += fee;
    order.closedPnl += pnl;
    order.status = leaves(order) === 0n ? 'Filled' : 'PartiallyFilled';
    order.updatedTime = time;
    return {
      execId: randomUUID(), price, qty, value, fee, feeRate: rate, feeCoin: order.feeCoin, isMaker, closedSize: closed, pnl, time, seq,
      leavesQty: order.marketUnit === 'quoteCoin' ? 0n : leaves(order),
    };
  }

  /** One-way mode: a fill adds to the position on its side or reduces (and may flip) the other. */
  private applyToPosition(order: TradeOrder, price: Amount, qty: Amount, seq: number): { closed: Amount; pnl: Amount; imDelta: Amount } {
    const pos = this.position(order.key, order.category, order.inst.symbol);
    const now = this.host.now();
    const lev = pos.leverage;
    let closed = 0n;
    let pnl = 0n;
    let imDelta = 0n;
    let rest = qty;
    if (pos.side !== '' && pos.side !== order.side) {
      closed = minAmount(rest, pos.size);
      const direction = pos.side === 'Buy' ? 1n : -1n;
      pnl = order.category === 'inverse'
        ? mulAmount(closed, divAmount(toAmount(1), pos.entryPrice) - divAmount(toAmount(1), price)) * direction
        : mulAmount(price - pos.entryPrice, closed) * direction;
      const freed = pos.im * closed / pos.size;
      imDelta -= freed;
      pos.im -= freed;
      pos.size -= closed;
      pos.curRealisedPnl += pnl;
      pos.cumRealisedPnl += pnl;
      rest -= closed;
      if (pos.size === 0n) Object.assign(pos, { side: '', entryPrice: 0n, im: 0n, curRealisedPnl: 0n, openTime: 0 });
    }
    if (rest > 0n) {
      const size = pos.size + rest;
      pos.entryPrice = order.category === 'inverse'
        ? divAmount(size, contractValue('inverse', pos.entryPrice || price, pos.size) + contractValue('inverse', price, rest))
        : divAmount(mulAmount(pos.entryPrice, pos.size) + mulAmount(price, rest), size);
      const im = divAmount(contractValue(order.category, price, rest), lev);
      imDelta += im;
      pos.im += im;
      if (pos.side === '') pos.openTime = now;
      pos.side = order.side;
      pos.size = size;
    }
    pos.updatedTime = now;
    pos.seq = seq;
    return { closed, pnl, imDelta };
  }

  // ---- balances --------------------------------------------------------------------------

  /** What a new order needs free: spot buys the quote coin, spot sells the base, derivatives margin. */
  private required(req: CreateRequest, levels: Level[]): { coin: string; amount: Amount } {
    const { category, inst, side, orderType, qty } = req;
    if (category === 'spot') {
      if (side === 'Buy') {
        if (orderType === 'Limit') return { coin: inst.quote, amount: mulAmount(req.price, qty) };
        return { coin: inst.quote, amount: req.marketUnit === 'quoteCoin' ? qty : walk(levels, qty, 'cost') };
      }
      return { coin: inst.base, amount: req.marketUnit === 'quoteCoin' ? walk(levels, qty, 'base') : qty };
    }
    if (req.reduceOnly) return { coin: inst.settle, amount: 0n };
    const price = orderType === 'Limit' ? req.price : walkPrice(levels, qty);
    return { coin: inst.settle, amount: divAmount(contractValue(category, price, qty), leverageOf(category)) };
  }

  /** Held for a resting limit order's rest: quote (spot buy), base (spot sell), margin (derivatives). */
  private reserveFor(order: TradeOrder, price: Amount, qty: Amount): Amount {
    if (order.category === 'spot') return order.side === 'Buy' ? mulAmount(price, qty) : qty;
    return divAmount(contractValue(order.category, price, qty), leverageOf(order.category));
  }

  private available(key: string, coin: string): Amount {
    const b = this.host.accounts.balancesOf(key).find((x) => x.coin === coin);
    return b ? b.walletBalance - b.locked : 0n;
  }

  private release(order: TradeOrder, ledger: Ledger): void {
    ledger.add(order.reserveCoin, 0n, -order.reserved);
    order.reserved = 0n;
  }

  /** Ends an open order: Cancelled, or (spot, after a fill) PartiallyFilledCanceled (enum.mdx orderStatus). */
  private close(order: TradeOrder, ledger: Ledger, cancelType: string, rejectReason: string): void {
    order.status = order.cumQty > 0n && order.category === 'spot' ? 'PartiallyFilledCanceled' : 'Cancelled';
    order.cancelType = cancelType;
    order.rejectReason = rejectReason;
    order.updatedTime = this.host.now();
    this.release(order, ledger);
  }

  // ---- state -----------------------------------------------------------------------------

  private newOrder(key: string, req: CreateRequest): TradeOrder {
    const { category, inst } = req;
    const now = this.host.now();
    const sym = this.host.market.symbol(inst.symbol);
    const reserveCoin = category !== 'spot' ? inst.settle : req.side === 'Buy' ? inst.quote : inst.base;
    return {
      key, category, inst, orderId: category === 'spot' ? String(this.nextSpotId++) : randomUUID(), orderLinkId: req.orderLinkId,
      side: req.side, orderType: req.orderType, timeInForce: req.timeInForce, price: req.price, qty: req.qty, marketUnit: req.marketUnit,
      reduceOnly: req.reduceOnly, status: 'New', cancelType: 'UNKNOWN', rejectReason: 'EC_NoError', cumQty: 0n, cumValue: 0n, cumFee: 0n,
      // Spot fees are charged in the coin received; derivatives in the settle coin.
      feeCoin: category !== 'spot' ? inst.settle : req.side === 'Buy' ? inst.base : inst.quote,
      closedPnl: 0n, reserved: 0n, reserveCoin, lastPriceOnCreated: sym.price(sym.last), createdTime: now, updatedTime: now,
    };
  }

  private store(desk: AccountDesk, order: TradeOrder): void {
    desk.orders.set(order.orderId, order);
    if (order.orderLinkId) desk.linkIds.set(`${order.category}\n${order.orderLinkId}`, order.orderId);
    if (desk.orders.size <= MAX_ORDERS) return;
    for (const o of desk.orders.values()) {
      if (desk.orders.size <= (MAX_ORDERS * 9) / 10) break;
      if (isOpen(o)) continue;
      desk.orders.delete(o.orderId);
      if (o.orderLinkId) desk.linkIds.delete(`${o.category}\n${o.orderLinkId}`);
    }
  }

  /** An open order by orderId (preferred) or orderLinkId, in the request's category and symbol. */
  private find(key: string, ref: OrderRef, notFound: TradeError): TradeOrder {
    const desk = this.desk(key);
    const id = ref.orderId ?? desk.linkIds.get(`${ref.category}\n${ref.orderLinkId}`);
    const order = id === undefined ? undefined : desk.orders.get(id);
    if (!order || order.category !== ref.category || order.inst.symbol !== ref.inst.symbol || !isOpen(order)) throw notFound;
    return order;
  }

  private findAny(orderId: string, key?: string): TradeOrder | undefined {
    for (const d of this.accountsOf(key)) {
      const o = d.orders.get(orderId);
      if (o) return o;
    }
    return undefined;
  }

  private desk(key: string): AccountDesk {
    let d = this.desks.get(key);
    if (!d) this.desks.set(key, (d = { orders: new Map(), linkIds: new Map(), positions: new Map() }));
    return d;
  }

  private accountsOf(key?: string): AccountDesk[] {
    if (key !== undefined) return this.desks.has(key) ? [this.desks.get(key)!] : [];
    return [...this.desks.values()];
  }

  private position(key: string, category: Category, symbol: string): Position {
    const desk = this.desk(key);
    const id = `${category}\n${symbol}`;
    let p = desk.positions.get(id);
    if (!p) {
      const now = this.host.now();
      p = {
        category, symbol, side: '', size: 0n, entryPrice: 0n, leverage: leverageOf(category), im: 0n, curRealisedPnl: 0n,
        cumRealisedPnl: 0n, createdTime: now, updatedTime: now, openTime: 0, seq: -1,
      };
      desk.positions.set(id, p);
    }
    return p;
  }

  /** The deepest live book of the symbol (what subscribers see), or a fresh one. */
  private book(symbol: string): SimBook {
    for (const depth of [1000, 200, 50]) {
      const b = this.host.market.findBook(symbol, depth);
      if (b) return b;
    }
    return this.host.market.book(symbol, 50);
  }

  /** The side a taker of `side` trades against, best first. */
  private levels(inst: Instrument, side: Side): Level[] {
    const book = this.book(inst.symbol);
    return book.levels(side === 'Sell', book.depth).map(([p, q]) => ({ price: toAmount(p), qty: toAmount(q) }));
  }

  private markPrice(symbol: string): Amount {
    const sym = this.host.market.symbol(symbol);
    return toAmount(sym.price(sym.last));
  }

  // ---- frames ----------------------------------------------------------------------------

  /** Applies the balance changes now; the frames go out when the caller publishes (after its reply). */
  private outcome(order: TradeOrder, execs: Execution[], ledger: Ledger): TradeOutcome {
    const { key, category } = order;
    this.host.accounts.adjustBalances(key, ledger.changes, false);
    const orderFrame = orderItem(order);
    const mark = this.markPrice(order.inst.symbol);
    const execFrames = execs.map((e) => executionItem(order, e, fmtAmount(mark)));
    const pos = category === 'spot' ? undefined : positionItem(this.position(key, category, order.inst.symbol), mark);
    const coins = [...ledger.changes.keys()];
    const seq = execs[0]?.seq ?? this.seq;
    return {
      orderId: order.orderId,
      orderLinkId: order.orderLinkId,
      publish: () => {
        this.push(key, 'execution', category, execFrames, `${this.host.accounts.userId(key)}_${order.inst.symbol}_${seq}`);
        this.push(key, 'order', category, [orderFrame]);
        // position.mdx: every create/amend/cancel pushes the position, changed or not.
        if (pos) this.push(key, 'position', category, [pos]);
        this.host.accounts.pushWallet(key, coins);
      },
    };
  }

  /** To each private socket of the key holding the all-in-one topic or the category's own. */
  private push(key: string, topic: string, category: Category, data: unknown[], id = messageId()): void {
    if (data.length === 0) return;
    const creationTime = this.host.now();
    for (const s of this.host.privateSessions(key)) {
      const held = s.topics.has(`${topic}.${category}`) ? `${topic}.${category}` : s.topics.has(topic) ? topic : undefined;
      if (held) s.sendJson({ id, topic: held, creationTime, data });
    }
  }
}

/** Quote spent to buy `qty` base ('cost'), or base sold to receive `qty` quote ('base'), walking the levels. */
function walk(levels: Level[], qty: Amount, mode: 'cost' | 'base'): Amount {
  let left = qty;
  let total = 0n;
  for (const l of levels) {
    if (left <= 0n) break;
    if (mode === 'cost') {
      const q = minAmount(l.qty, left);
      total += mulAmount(l.price, q);
      left -= q;
    } else {
      const v = minAmount(mulAmount(l.price, l.qty), left);
      total += divAmount(v, l.price);
      left -= v;
    }
  }
  return total;
}

/** The average price a market order of qty would get (the last level's price for the unfillable rest). */
function walkPrice(levels: Level[], qty: Amount): Amount {
  if (levels.length === 0) return 0n;
  let left = qty;
  let value = 0n;
  for (const l of levels) {
    const q = minAmount(l.qty, left);
    value += mulAmount(l.price, q);
    left -= q;
    if (left <= 0n) break;
  }
  if (left > 0n) value += mulAmount(levels[levels.length - 1].price, left);
  return divAmount(value, qty);
}

/** Bybit message ids look like a short hex prefix glued to a UUID (as on the private stream). */
function messageId(): string {
  return `${randomBytes(7).toString('hex')}${randomUUID().slice(8)}`;
}
