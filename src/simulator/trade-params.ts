/**
 * Reading one `args[0]` object of `order.create` / `order.amend` / `order.cancel` (the REST
 * bodies of order/create-order.mdx, amend-order.mdx, cancel-order.mdx) into typed requests,
 * refusing bad values with the category's documented code (trade-model.ts `paramError`).
 */
import { toAmount, type Amount } from './amount';
import { CATEGORIES, E, instrument, paramError, TradeError, type Category, type Instrument, type OrderType, type Side, type TimeInForce } from './trade-model';

type Args = Record<string, unknown>;

export interface CreateRequest {
  category: Category;
  inst: Instrument;
  side: Side;
  orderType: OrderType;
  qty: Amount;
  /** 0 for market orders (their price is ignored, create-order.mdx) */
  price: Amount;
  timeInForce: TimeInForce;
  orderLinkId: string;
  marketUnit: '' | 'baseCoin' | 'quoteCoin';
  reduceOnly: boolean;
}

export interface OrderRef {
  category: Category;
  inst: Instrument;
  /** when both are given Bybit goes by orderId (create-order.mdx, cancel-order.mdx) */
  orderId?: string;
  orderLinkId?: string;
}

export interface AmendRequest extends OrderRef {
  qty?: Amount;
  price?: Amount;
}

/** Fields of the REST bodies the simulator does not model: refused rather than silently ignored. */
const UNSUPPORTED = [
  'triggerPrice', 'triggerDirection', 'triggerBy', 'takeProfit', 'stopLoss', 'tpslMode', 'tpLimitPrice', 'slLimitPrice',
  'tpOrderType', 'slOrderType', 'tpTriggerBy', 'slTriggerBy', 'orderIv', 'bboSideType', 'bboLevel',
];

const LINK_ID_RE = /^[A-Za-z0-9_-]{1,36}$/;
const DECIMAL_RE = /^\d+(\.\d+)?$/;

export function asArgs(value: unknown): Args {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TradeError(E.param, 'Request parameter error: args must hold one order object');
  }
  return value as Args;
}

/** guideline.mdx: a category that is not correct/supported is 10404. */
export function readCategory(a: Args): Category {
  const c = a.category;
  if (typeof c !== 'string' || !(CATEGORIES as readonly string[]).includes(c)) throw E.category;
  return c as Category;
}

function readInstrument(category: Category, a: Args): Instrument {
  if (a.symbol === undefined || a.symbol === '') throw paramError(category, 'symbol', true);
  const inst = typeof a.symbol === 'string' ? instrument(category, a.symbol) : undefined;
  if (!inst) throw paramError(category, 'symbol', false);
  return inst;
}

/** A positive decimal: a string Bybit would accept, or a finite JSON number. */
function readAmount(category: Category, a: Args, field: string, required: boolean): Amount | undefined {
  const v = a[field];
  if (v === undefined || v === '') {
    if (required) throw paramError(category, field, true);
    return undefined;
  }
  const ok = (typeof v === 'string' && DECIMAL_RE.test(v)) || (typeof v === 'number' && Number.isFinite(v) && v >= 0);
  if (!ok) throw paramError(category, field, false);
  try {
    return toAmount(v as string | number, field);
  } catch {
    throw paramError(category, field, false);
  }
}

function readWord<T extends string>(category: Category, a: Args, field: string, words: readonly T[], fallback?: T): T {
  const v = a[field];
  if (v === undefined || v === '') {
    if (fallback !== undefined) return fallback;
    throw paramError(category, field, true);
  }
  if (typeof v !== 'string' || !(words as readonly string[]).includes(v)) throw paramError(category, field, false);
  return v as T;
}

function readLinkId(category: Category, a: Args, required: boolean): string {
  const v = a.orderLinkId;
  if (v === undefined || v === '') {
    if (required) throw paramError(category, 'orderLinkId', true);
    return '';
  }
  if (typeof v !== 'string' || !LINK_ID_RE.test(v)) throw paramError(category, 'orderLinkId', false);
  return v;
}

function refuseUnsupported(category: Category, a: Args): void {
  for (const field of UNSUPPORTED) {
    const v = a[field];
    if (v !== undefined && v !== '' && v !== '0' && v !== 0) {
      throw new TradeError(E.param, `Request parameter error: ${field} is not supported by the simulator`);
    }
  }
  if (a.isLeverage !== undefined && a.isLeverage !== 0 && a.isLeverage !== '0') throw paramError(category, 'isLeverage', false);
  if (a.orderFilter !== undefined && a.orderFilter !== 'Order') throw paramError(category, 'orderFilter', false);
  // Hedge mode is not simulated: positionIdx 0 only (the words of guideline.mdx's batch example).
  if (a.positionIdx !== undefined && a.positionIdx !== 0 && a.positionIdx !== '0') {
    throw new TradeError(E.param, 'position idx not match position mode');
  }
}

export function readCreate(a: Args): CreateRequest {
  const category = readCategory(a);
  const inst = readInstrument(category, a);
  const side = readWord(category, a, 'side', ['Buy', 'Sell'] as const);
  const orderType = readWord(category, a, 'orderType', ['Market', 'Limit'] as const);
  const qty = readAmount(category, a, 'qty', true)!;
  if (qty === 0n) throw category === 'spot' ? E.spotQtyMin : E.truncatedToZero;
  const price = orderType === 'Limit' ? readAmount(category, a, 'price', true)! : 0n;
  if (orderType === 'Limit' && price === 0n) throw paramError(category, 'price', false);
  let timeInForce = readWord(category, a, 'timeInForce', ['GTC', 'IOC', 'FOK', 'PostOnly', 'RPI'] as const, 'GTC');
  if (timeInForce === 'RPI') throw category === 'spot' ? E.spotRpi : E.rpi;
  // create-order.mdx: "Market order will always use IOC".
  if (orderType === 'Market') timeInForce = 'IOC';
  let marketUnit: CreateRequest['marketUnit'] = '';
  if (category === 'spot' && orderType === 'Market') {
    // Spot market buys are by value unless marketUnit says otherwise; sells by qty.
    marketUnit = readWord(category, a, 'marketUnit', ['baseCoin', 'quoteCoin'] as const, side === 'Buy' ? 'quoteCoin' : 'baseCoin');
  }
  const reduceOnly = a.reduceOnly === true || a.reduceOnly === 'true';
  if (a.reduceOnly !== undefined && typeof a.reduceOnly !== 'boolean' && a.reduceOnly !== 'true' && a.reduceOnly !== 'false') {
    throw paramError(category, 'reduceOnly', false);
  }
  refuseUnsupported(category, a);
  // Options need an orderLinkId (create-order.mdx).
  const orderLinkId = readLinkId(category, a, category === 'option');
  return { category, inst, side, orderType, qty, price, timeInForce: timeInForce as TimeInForce, orderLinkId, marketUnit, reduceOnly: category !== 'spot' && reduceOnly };
}

export function readRef(a: Args): OrderRef {
  const category = readCategory(a);
  const inst = readInstrument(category, a);
  const orderId = a.orderId === undefined || a.orderId === '' ? undefined : a.orderId;
  if (orderId !== undefined && typeof orderId !== 'string') throw paramError(category, 'orderId', false);
  const orderLinkId = readLinkId(category, a, false) || undefined;
  if (orderId === undefined && orderLinkId === undefined) throw paramError(category, 'orderId or orderLinkId', true);
  return { category, inst, orderId, orderLinkId };
}

export function readAmend(a: Args): AmendRequest {
  const ref = readRef(a);
  const qty = readAmount(ref.category, a, 'qty', false);
  const price = readAmount(ref.category, a, 'price', false);
  if (qty === 0n) throw paramError(ref.category, 'qty', false);
  if (price === 0n) throw paramError(ref.category, 'price', false);
  refuseUnsupported(ref.category, a);
  return { ...ref, qty, price };
}
