/**
 * An order msg read before anything is sent: the action, Bybit's own field names checked per
 * action (docs/v5/order/create-order.mdx, amend-order.mdx, cancel-order.mdx), an orderLinkId
 * made up when a create has none (so a flow's retry of the same msg cannot double the order),
 * and the node's maxQty / maxNotional guards. Throws a NodeInputError naming what is wrong.
 */
import { randomBytes } from 'node:crypto';
import type { TradeOp } from '../../src/engine';
import { inputError } from './i18n';
import type { NodeAPI, NodeMessage } from './red';

export const ORDER_ACTIONS = { create: 'order.create', amend: 'order.amend', cancel: 'order.cancel' } as const;
export type OrderAction = keyof typeof ORDER_ACTIONS;

const CATEGORIES = ['spot', 'linear', 'inverse', 'option'];
/** enum.mdx "symbol": BTCUSDT, BTCUSDT-26MAR27, BTC-27DEC26 (USDC futures), BTCUSDH27; options BTC-27DEC26-30000-C(-USDT). */
const SYMBOL_RE = /^[A-Z0-9]{2,30}(-\d{1,2}[A-Z]{3}\d{2})?$/;
const OPTION_RE = /^[A-Z0-9]{2,10}-\d{1,2}[A-Z]{3}\d{2}-\d+(\.\d+)?-[CP](-USDT|-USDC)?$/;
/** create-order.mdx orderLinkId: at most 36 characters, letters, digits, "-" and "_". */
const LINK_ID_RE = /^[A-Za-z0-9_-]{1,36}$/;
const DECIMAL_RE = /^\d+(\.\d+)?$/;
/** Decimal fields checked (and a number turned into Bybit's string) when present. */
const DECIMAL_FIELDS = ['qty', 'price', 'triggerPrice', 'takeProfit', 'stopLoss', 'tpLimitPrice', 'slLimitPrice'];

export interface OrderCommand {
  op: TradeOp;
  args: Record<string, unknown>;
  msg: NodeMessage;
}

export interface Guards {
  maxQty?: Decimal;
  maxNotional?: Decimal;
}

/** A non-negative decimal as an integer and a scale: exact, whatever its length. */
export interface Decimal {
  units: bigint;
  scale: number;
}

/** A positive-or-zero decimal from a string or a plain number; undefined when it is not one. */
export function decimalOf(value: unknown): Decimal | undefined {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string' || !DECIMAL_RE.test(text)) return undefined;
  const [whole, frac = ''] = text.split('.');
  return { units: BigInt(whole + frac), scale: frac.length };
}

export function compareDecimal(a: Decimal, b: Decimal): number {
  const scale = Math.max(a.scale, b.scale);
  const x = a.units * 10n ** BigInt(scale - a.scale);
  const y = b.units * 10n ** BigInt(scale - b.scale);
  return x === y ? 0 : x > y ? 1 : -1;
}

export function multiplyDecimal(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

function fail(RED: NodeAPI, key: string, subs?: Record<string, unknown>): never {
  throw inputError(RED, `errors.order.${key}`, subs);
}

function readAction(RED: NodeAPI, msg: NodeMessage): OrderAction {
  const action = msg.action ?? 'create';
  if (typeof action === 'string' && action in ORDER_ACTIONS) return action as OrderAction;
  return fail(RED, 'action', { action: String(action) });
}

/** Reads msg.action and msg.payload into one request; guards checked; nothing sent yet. */
export function readOrder(RED: NodeAPI, msg: NodeMessage, guards: Guards): OrderCommand {
  const action = readAction(RED, msg);
  const payload = msg.payload;
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) fail(RED, 'payload');
  const args: Record<string, unknown> = { ...(payload as Record<string, unknown>) };
  readTarget(RED, args);
  for (const field of DECIMAL_FIELDS) readDecimal(RED, args, field);
  if (action === 'create') {
    readCreate(RED, args);
    // Written back into the msg: a Catch node's retry of it then reuses the id, and Bybit refuses the duplicate.
    (payload as Record<string, unknown>).orderLinkId = args.orderLinkId;
  }
  else readReference(RED, args, action);
  checkGuards(RED, action, args, guards);
  return { op: ORDER_ACTIONS[action], args, msg };
}

function readTarget(RED: NodeAPI, args: Record<string, unknown>): void {
  const { category, symbol } = args;
  if (category === undefined || category === '') fail(RED, 'required', { field: 'category' });
  if (typeof category !== 'string' || !CATEGORIES.includes(category)) fail(RED, 'category', { value: String(category) });
  if (symbol === undefined || symbol === '') fail(RED, 'required', { field: 'symbol' });
  const pattern = category === 'option' ? OPTION_RE : SYMBOL_RE;
  if (typeof symbol !== 'string' || !pattern.test(symbol)) fail(RED, 'symbol', { value: String(symbol), category });
}

/** A positive decimal (string or number); a number goes to Bybit as its decimal string. */
function readDecimal(RED: NodeAPI, args: Record<string, unknown>, field: string): void {
  const value = args[field];
  if (value === undefined) return;
  const d = decimalOf(value);
  if (!d || d.units === 0n) fail(RED, 'decimal', { field, value: String(value) });
  if (typeof value === 'number') args[field] = String(value);
}

function readCreate(RED: NodeAPI, args: Record<string, unknown>): void {
  for (const field of ['side', 'orderType', 'qty']) if (args[field] === undefined || args[field] === '') fail(RED, 'required', { field });
  if (args.side !== 'Buy' && args.side !== 'Sell') fail(RED, 'word', { field: 'side', value: String(args.side), words: 'Buy | Sell' });
  if (args.orderType !== 'Market' && args.orderType !== 'Limit') fail(RED, 'word', { field: 'orderType', value: String(args.orderType), words: 'Market | Limit' });
  if (args.orderType === 'Limit' && args.price === undefined) fail(RED, 'required', { field: 'price' });
  const tif = args.timeInForce;
  if (tif !== undefined && !['GTC', 'IOC', 'FOK', 'PostOnly', 'RPI'].includes(String(tif))) {
    fail(RED, 'word', { field: 'timeInForce', value: String(tif), words: 'GTC | IOC | FOK | PostOnly' });
  }
  if (args.orderLinkId === undefined || args.orderLinkId === '') args.orderLinkId = newOrderLinkId();
  else readLinkId(RED, args.orderLinkId);
}

/** Amend and cancel name the order: orderId or orderLinkId (amend-order.mdx, cancel-order.mdx). */
function readReference(RED: NodeAPI, args: Record<string, unknown>, action: OrderAction): void {
  const { orderId, orderLinkId } = args;
  const hasId = typeof orderId === 'string' && orderId !== '';
  if (orderId !== undefined && orderId !== '' && !hasId) fail(RED, 'orderId', { value: String(orderId) });
  if (orderLinkId !== undefined && orderLinkId !== '') readLinkId(RED, orderLinkId);
  else if (!hasId) fail(RED, 'reference', { action });
}

function readLinkId(RED: NodeAPI, value: unknown): void {
  if (typeof value !== 'string' || !LINK_ID_RE.test(value)) fail(RED, 'orderLinkId', { value: String(value) });
}

/** 36 characters at most, unique enough that a repeat is a real duplicate (Bybit refuses those). */
export function newOrderLinkId(): string {
  return `nr-${Date.now().toString(36)}-${randomBytes(8).toString('hex')}`;
}

/**
 * maxQty compares qty (base coin or contracts); maxNotional compares qty × price of a limit
 * order (inverse: qty, already in USD). A market order has no price to multiply: refused while
 * maxNotional is set, except a spot market order sized in the quote coin, whose qty is its value.
 */
function checkGuards(RED: NodeAPI, action: OrderAction, args: Record<string, unknown>, guards: Guards): void {
  if (action === 'cancel') return;
  const qty = args.qty === undefined ? undefined : decimalOf(args.qty);
  const price = args.price === undefined ? undefined : decimalOf(args.price);
  const byValue = args.category === 'spot' && args.orderType === 'Market' && (args.marketUnit ?? (args.side === 'Buy' ? 'quoteCoin' : 'baseCoin')) === 'quoteCoin';
  const { maxQty, maxNotional } = guards;
  if (maxQty && qty) {
    if (byValue) fail(RED, 'guardQuoteQty');
    if (compareDecimal(qty, maxQty) > 0) fail(RED, 'maxQty', { qty: String(args.qty), max: show(maxQty) });
  }
  if (!maxNotional) return;
  let notional: Decimal | undefined;
  if (byValue || args.category === 'inverse') notional = qty;
  else if (action === 'create' && args.orderType === 'Market') fail(RED, 'guardMarket');
  else if (qty && price) notional = multiplyDecimal(qty, price);
  if (!notional) {
    if (action === 'amend' && !qty && !price) return; // neither size nor price changes
    fail(RED, 'guardAmend');
  }
  if (compareDecimal(notional, maxNotional) > 0) fail(RED, 'maxNotional', { notional: show(notional), max: show(maxNotional) });
}

export function show(d: Decimal): string {
  const digits = d.units.toString().padStart(d.scale + 1, '0');
  if (d.scale === 0) return digits;
  const text = `${digits.slice(0, -d.scale)}.${digits.slice(-d.scale)}`;
  return text.replace(/\.?0+$/, '');
}
