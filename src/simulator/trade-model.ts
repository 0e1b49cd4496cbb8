/**
 * What the V5 Trade API (`/v5/trade`) works on: categories and their instruments, orders,
 * positions, and the replies Bybit documents for refusals. Pure data and rules; the desk
 * (trade-desk.ts) keeps the state and the dialect (trade.ts) speaks the wire.
 */
import { divAmount, mulAmount, toAmount, type Amount } from './amount';
import { splitSymbol, type Fill } from './account';
import type { Position as AccountPosition } from './positions';
import { SYMBOL_RE } from './topics';

export const CATEGORIES = ['spot', 'linear', 'inverse', 'option'] as const;
export type Category = (typeof CATEGORIES)[number];
export type Side = 'Buy' | 'Sell';
export type OrderType = 'Market' | 'Limit';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK' | 'PostOnly';
export type OrderStatus = 'New' | 'PartiallyFilled' | 'Filled' | 'Cancelled' | 'PartiallyFilledCanceled';

/** A refusal as Bybit words it: `retCode` and `retMsg` of the reply. */
export class TradeError extends Error {
  constructor(
    readonly retCode: number,
    retMsg: string,
  ) {
    super(retMsg);
  }
}

/**
 * The codes the simulator answers with, and the page that settled each:
 * guideline = websocket/trade/guideline.mdx, error = error.mdx, rate = rate-limit/rate-limit.mdx.
 * Texts are the documents' descriptions, except 110001, whose documented description
 * ("Order does not exist") differs from the words Bybit's servers send; the servers' words are used.
 */
export const E = {
  /** error: "Request parameter error"; guideline: 10001 param error */
  param: 10001,
  /** error */
  recvWindow: new TradeError(10002, 'The request time exceeds the time window range.'),
  /** error; guideline auth: 10004 invalid sign */
  sign: new TradeError(10004, 'Error sign, please check your signature generation algorithm.'),
  /** rate: `"retCode": 10006, "retMsg": "Too many visits!"` */
  rateLimit: new TradeError(10006, 'Too many visits!'),
  /** error (no trade-socket code is documented for a request before auth) */
  notAuthed: new TradeError(10007, 'User authentication failed.'),
  /** guideline / error "WS OE General code" */
  opNotFound: new TradeError(10404, 'op type is not found'),
  category: new TradeError(10404, 'category is not correct/supported'),
  /** guideline auth: 20001 repeat auth */
  repeatAuth: new TradeError(20001, 'Repeat auth'),
  /** guideline */
  duplicateReqId: new TradeError(20006, 'reqId is duplicated'),
  /** error 110001; the text is what Bybit's servers send for cancel and for amend */
  notFoundCancel: new TradeError(110001, 'order not exists or too late to cancel'),
  notFoundAmend: new TradeError(110001, 'order not exists or too late to replace'),
  /** error */
  insufficient: new TradeError(110007, 'Available balance is insufficient'),
  truncatedToZero: new TradeError(110017, 'orderQty will be truncated to zero'),
  tooManyOrders: new TradeError(110020, 'Not allowed to have more than 500 active orders.'),
  qtyBelowFilled: new TradeError(110064, 'The modified contract quantity cannot be less than or equal to the filled quantity.'),
  duplicateLinkId: new TradeError(110072, 'OrderLinkedID is duplicate'),
  rpi: new TradeError(110119, 'Order failed. RPI orders are restricted to approved market makers only'),
  /** error "Spot Trade" */
  spotBalance: new TradeError(170131, 'Balance insufficient'),
  spotQtyMin: new TradeError(170136, 'Order quantity lower than the minimum.'),
  spotDuplicateLinkId: new TradeError(170141, 'Duplicate clientOrderId'),
  spotNotFound: new TradeError(170213, 'Order does not exist.'),
  spotQtyBelowFilled: new TradeError(170313, 'The modified contract quantity cannot be less than to the filled quantity'),
  spotRpi: new TradeError(170355, 'RPI orders are restricted to approved market makers only'),
  spotTooManyOrders: new TradeError(170810, 'Cannot exceed maximum of 500 conditional, TP/SL and active orders.'),
} as const;

/** Spot has its own codes for a few fields (error.mdx "Spot Trade"); the rest share 10001. */
const SPOT_FIELD_CODES: Record<string, [number, string]> = {
  side: [170117, 'Invalid side.'],
  orderType: [170116, 'Invalid orderType.'],
  timeInForce: [170115, 'Invalid timeInForce.'],
  symbol: [170121, 'Invalid symbol.'],
};

/** A missing or unreadable parameter, in the category's own words. */
export function paramError(category: Category | undefined, field: string, missing: boolean): TradeError {
  if (category === 'spot') {
    if (!missing && SPOT_FIELD_CODES[field]) return new TradeError(...SPOT_FIELD_CODES[field]);
    return missing ? new TradeError(170105, `Parameter '${field}' was empty.`) : new TradeError(170130, `Data sent for paramter '${field}' is not valid.`);
  }
  return new TradeError(E.param, `Request parameter error: ${field} ${missing ? 'is required' : 'is invalid'}`);
}

/** One of two errors, by category: spot has its own code for most business refusals. */
export function byCategory(category: Category, spot: TradeError, derivatives: TradeError): TradeError {
  return category === 'spot' ? spot : derivatives;
}

export interface Instrument {
  category: Category;
  symbol: string;
  base: string;
  quote: string;
  /** the coin balances, margin, fees and PnL are in (spot: per side, see the desk) */
  settle: string;
}

const LINEAR_RE = /^([A-Z0-9]{2,20}?)(USDT|USDC|PERP)(-\d{1,2}[A-Z]{3}\d{2})?$/;
const INVERSE_RE = /^([A-Z0-9]{2,20}?)USD([FGHJKMNQUVXZ]\d{2})?$/;
const OPTION_RE = /^([A-Z0-9]{2,10})-\d{1,2}[A-Z]{3}\d{2}-\d+(?:\.\d+)?-[CP](?:-(USDT|USDC))?$/;

/** The instrument behind a category and symbol (the symbol patterns of market/instrument.mdx), or undefined. */
export function instrument(category: Category, symbol: string): Instrument | undefined {
  if (category === 'spot') {
    if (!SYMBOL_RE.test(symbol)) return undefined;
    const [base, quote] = splitSymbol(symbol);
    return { category, symbol, base, quote, settle: quote };
  }
  if (category === 'linear') {
    const m = LINEAR_RE.exec(symbol);
    if (!m) return undefined;
    const settle = m[2] === 'USDT' ? 'USDT' : 'USDC';
    return { category, symbol, base: m[1], quote: settle, settle };
  }
  if (category === 'inverse') {
    const m = INVERSE_RE.exec(symbol);
    return m ? { category, symbol, base: m[1], quote: 'USD', settle: m[1] } : undefined;
  }
  const m = OPTION_RE.exec(symbol);
  if (!m) return undefined;
  const settle = m[2] ?? 'USDC';
  return { category, symbol, base: m[1], quote: settle, settle };
}

/** Value of qty at price in the settle coin: qty x price, or qty / price for inverse (qty in USD). */
export function contractValue(category: Category, price: Amount, qty: Amount): Amount {
  return category === 'inverse' ? divAmount(qty, price) : mulAmount(price, qty);
}

/** Leverage the simulator applies (one-way mode, cross margin); option premiums are paid in full. */
export function leverageOf(category: Category): Amount {
  return toAmount(category === 'option' ? 1 : 10);
}

/** Fee rates (Bybit's base VIP 0 tier). */
export function feeRate(category: Category, isMaker: boolean): Amount {
  if (category === 'spot') return toAmount('0.001');
  if (category === 'option') return toAmount('0.0003');
  return toAmount(isMaker ? '0.0002' : '0.00055');
}

export interface TradeOrder {
  key: string;
  category: Category;
  inst: Instrument;
  orderId: string;
  orderLinkId: string;
  side: Side;
  orderType: OrderType;
  timeInForce: TimeInForce;
  /** 0 for market orders */
  price: Amount;
  /** base qty, contracts, or (spot market orders in quoteCoin) the quote amount */
  qty: Amount;
  /** spot market orders: the unit of qty */
  marketUnit: '' | 'baseCoin' | 'quoteCoin';
  reduceOnly: boolean;
  status: OrderStatus;
  cancelType: string;
  rejectReason: string;
  cumQty: Amount;
  cumValue: Amount;
  cumFee: Amount;
  feeCoin: string;
  closedPnl: Amount;
  /** funds still held for the open rest of the order, in reserveCoin */
  reserved: Amount;
  reserveCoin: string;
  lastPriceOnCreated: string;
  createdTime: number;
  updatedTime: number;
}

/** One Trade API execution: the fields a fill shares with the account model's, plus its PnL and leaves. */
export interface Execution extends Pick<Fill, 'execId' | 'price' | 'qty' | 'value' | 'fee' | 'feeRate' | 'feeCoin' | 'isMaker' | 'closedSize' | 'time' | 'seq'> {
  pnl: Amount;
  /** the order's leaves after this execution */
  leavesQty: Amount;
}

/** The Trade API desk's position: the account model's holding fields, with its own side, size and margin. */
export interface Position
  extends Pick<AccountPosition, 'symbol' | 'entryPrice' | 'leverage' | 'curRealisedPnl' | 'cumRealisedPnl' | 'createdTime' | 'updatedTime' | 'openTime' | 'seq'> {
  category: Category;
  side: Side | '';
  size: Amount;
  /** initial margin held for the position, in the settle coin */
  im: Amount;
}

export function isOpen(o: Readonly<TradeOrder>): boolean {
  return o.status === 'New' || o.status === 'PartiallyFilled';
}

/** What is left to fill, in the unit of qty (quote for spot market orders in quoteCoin). */
export function leaves(o: Readonly<TradeOrder>): Amount {
  const done = o.marketUnit === 'quoteCoin' ? o.cumValue : o.cumQty;
  return o.qty > done ? o.qty - done : 0n;
}
