/**
 * Derivative positions (one-way mode, positionIdx 0) per API key and instrument, and the
 * PnL arithmetic of a fill: linear PnL in the quote coin, inverse PnL in the base coin.
 * Field meanings from docs/v5/websocket/private/position.mdx.
 */
import { absAmount, divAmount, minAmount, mulAmount, toAmount, type Amount } from './amount';
import type { Category } from './instruments';

export interface Position {
  key: string;
  category: Exclude<Category, 'spot'>;
  symbol: string;
  /** signed: > 0 long (side Buy), < 0 short (side Sell), 0 flat (side "") */
  size: Amount;
  /** average entry price; 0 when flat */
  entryPrice: Amount;
  leverage: Amount;
  /** realised PnL of the current holding (fees included), reset when the position is flat */
  curRealisedPnl: Amount;
  /** all-time realised PnL */
  cumRealisedPnl: Amount;
  createdTime: number;
  updatedTime: number;
  /** when the current holding was opened (0 when flat) */
  openTime: number;
  /** -1 until the symbol has traded (position.mdx `seq`) */
  seq: number;
  /** a fixed mark price set through the control route (otherwise the market's mark) */
  markOverride?: Amount;
}

export interface FillEffect {
  /** how much of the fill closed existing size */
  closedSize: Amount;
  /** realised PnL of the closed part, before fees */
  pnl: Amount;
}

export const DEFAULT_LEVERAGE = toAmount('10');
/** maintenance margin rate used for positionMM and the liquidation estimate */
export const MM_RATE = toAmount('0.005');

/** PnL of closing `qty` bought/sold at `entry` at `exit`, for a long (dir 1) or short (dir -1). */
export function closePnl(category: Position['category'], entry: Amount, exit: Amount, qty: Amount, dir: 1n | -1n): Amount {
  if (category === 'inverse') {
    // Inverse contracts are USD: PnL in coin = qty * (1/entry - 1/exit).
    return dir * (divAmount(qty, entry) - divAmount(qty, exit));
  }
  return dir * mulAmount(exit - entry, qty);
}

/** Applies a fill of `qty` at `price` (side Buy adds, Sell subtracts) and returns what it closed. */
export function applyFill(pos: Position, side: 'Buy' | 'Sell', qty: Amount, price: Amount, time: number): FillEffect {
  const signed = side === 'Buy' ? qty : -qty;
  const dir: 1n | -1n = pos.size >= 0n ? 1n : -1n;
  let closedSize = 0n;
  let pnl = 0n;
  if (pos.size !== 0n && (pos.size > 0n) !== (signed > 0n)) {
    closedSize = minAmount(absAmount(pos.size), qty);
    pnl = closePnl(pos.category, pos.entryPrice, price, closedSize, dir);
  }
  const before = pos.size;
  const after = before + signed;
  if (after === 0n) {
    pos.entryPrice = 0n;
    pos.openTime = 0;
  } else if (before === 0n || (before > 0n) !== (after > 0n)) {
    // Opened, or flipped through zero: the rest opens at this price.
    pos.entryPrice = price;
    pos.openTime = time;
  } else if (absAmount(after) > absAmount(before)) {
    pos.entryPrice = divAmount(mulAmount(pos.entryPrice, absAmount(before)) + mulAmount(price, qty), absAmount(after));
  }
  if (before === 0n) pos.curRealisedPnl = 0n;
  pos.size = after;
  pos.curRealisedPnl += pnl;
  pos.cumRealisedPnl += pnl;
  pos.updatedTime = time;
  return { closedSize, pnl };
}

/** The numbers a position push shows besides the stored state (position.mdx). */
export interface PositionFigures {
  positionValue: Amount;
  unrealisedPnl: Amount;
  positionIM: Amount;
  positionMM: Amount;
  /** undefined when flat */
  liqPrice: Amount | undefined;
  breakEvenPrice: Amount;
}

export function positionFigures(pos: Position, mark: Amount, takerFee: Amount): PositionFigures {
  const qty = absAmount(pos.size);
  const dir: 1n | -1n = pos.size >= 0n ? 1n : -1n;
  if (qty === 0n) return { positionValue: 0n, unrealisedPnl: 0n, positionIM: 0n, positionMM: 0n, liqPrice: undefined, breakEvenPrice: 0n };
  const positionValue = pos.category === 'inverse' ? divAmount(qty, pos.entryPrice) : mulAmount(pos.entryPrice, qty);
  const unrealisedPnl = closePnl(pos.category, pos.entryPrice, mark, qty, dir);
  const lev = pos.leverage > 0n ? pos.leverage : DEFAULT_LEVERAGE;
  const one = toAmount(1);
  // Isolated-style estimate: the price where margin (1/leverage) minus maintenance is gone.
  const move = divAmount(one, lev) - MM_RATE;
  const liqPrice = dir === 1n ? mulAmount(pos.entryPrice, one - move) : mulAmount(pos.entryPrice, one + move);
  // position.mdx: breakeven = (entry * qty - realised) / (qty - |qty| * takerFee), signed by side.
  const signedQty = pos.size;
  const denom = signedQty - mulAmount(qty, takerFee);
  const breakEvenPrice = denom === 0n ? 0n : absAmount(divAmount(mulAmount(pos.entryPrice, signedQty) - pos.curRealisedPnl, denom));
  return {
    positionValue, unrealisedPnl, positionIM: divAmount(positionValue, lev), positionMM: mulAmount(positionValue, MM_RATE), liqPrice, breakEvenPrice,
  };
}
