/**
 * The V5 private data items, field for field (and in the key order) of the stream examples in
 * docs/v5/websocket/private/{order,execution,position,wallet}.mdx.
 */
import { divAmount, fmtAmount, mulAmount, type Amount } from './amount';
import type { AccountEvent, Balance, Order, PositionView } from './account';
import { isOpen } from './account';
import { instrumentSpec } from './instruments';
import type { Market } from './market';

/** createType: absent on spot and option orders (order.mdx, execution.mdx). */
function createType(o: Readonly<Order>): Record<string, string> {
  return o.category === 'spot' || o.category === 'option' ? {} : { createType: 'CreateByUser' };
}

function feeDetail(o: Readonly<Order>): Record<string, string> {
  return o.cumFee > 0n ? { [o.feeCoin]: fmtAmount(o.cumFee) } : {};
}

function amountOrEmpty(a: Amount): string {
  return a > 0n ? fmtAmount(a) : '';
}

export function orderItem(o: Readonly<Order>): Record<string, unknown> {
  const open = isOpen(o);
  const leaves = open ? o.qty - o.usedQty : 0n;
  return {
    symbol: o.symbol, orderId: o.orderId, side: o.side, orderType: o.type, cancelType: o.cancelType,
    price: fmtAmount(o.price), qty: fmtAmount(o.qty), orderIv: '', timeInForce: o.timeInForce, orderStatus: o.status,
    orderLinkId: o.orderLinkId, lastPriceOnCreated: fmtAmount(o.lastPriceOnCreated), reduceOnly: o.reduceOnly,
    leavesQty: fmtAmount(leaves), leavesValue: fmtAmount(o.type === 'Limit' ? mulAmount(leaves, o.price) : 0n),
    cumExecQty: fmtAmount(o.cumQty), cumExecValue: fmtAmount(o.cumValue),
    // Bybit leaves avgPrice empty until something has filled.
    avgPrice: o.cumQty > 0n ? fmtAmount(avgPrice(o)) : '',
    blockTradeId: '', positionIdx: 0, cumExecFee: fmtAmount(o.cumFee), closedPnl: fmtAmount(o.closedPnl),
    createdTime: String(o.createdTime), updatedTime: String(o.updatedTime), rejectReason: o.rejectReason,
    stopOrderType: o.stopOrderType, tpslMode: '', triggerPrice: amountOrEmpty(o.triggerPrice), takeProfit: '', stopLoss: '',
    tpTriggerBy: '', slTriggerBy: '', tpLimitPrice: '', slLimitPrice: '', triggerDirection: o.triggerDirection, triggerBy: o.triggerBy,
    closeOnTrigger: false, category: o.category, placeType: o.category === 'option' ? 'price' : '', smpType: 'None', smpGroup: 0,
    smpOrderId: '', feeCurrency: o.category === 'spot' && o.cumFee > 0n ? o.feeCoin : '', cumFeeDetail: feeDetail(o),
    rpiTakerAccess: false, rpiMatchedQty: '0', isLeverage: '0', marketUnit: o.marketUnit, parentOrderLinkId: '',
    ocoTriggerBy: o.category === 'spot' && o.stopOrderType ? 'OcoTriggerByUnknown' : '', slippageToleranceType: 'UNKNOWN',
    slippageTolerance: '0', brokerOrderPrice: '', ...createType(o),
  };
}

/** Inverse values are in coin, so their average price is qty / value. */
function avgPrice(o: Readonly<Order>): Amount {
  return o.category === 'inverse' ? divAmount(o.cumQty, o.cumValue) : divAmount(o.cumValue, o.cumQty);
}

type ExecutionEvent = Extract<AccountEvent, { kind: 'execution' }>;

export function executionItem(ev: ExecutionEvent, market: Market): Record<string, unknown> {
  const { order: o, fill: f } = ev;
  const opt = o.category === 'option' ? optionFigures(market, o.symbol) : undefined;
  return {
    category: o.category, symbol: o.symbol, closedSize: fmtAmount(f.closedSize), execFee: fmtAmount(f.fee), execId: f.execId,
    execPrice: fmtAmount(f.price), execQty: fmtAmount(f.qty), execType: 'Trade', execValue: fmtAmount(f.value), feeRate: fmtAmount(f.feeRate),
    tradeIv: opt?.iv ?? '', markIv: opt?.iv ?? '', blockTradeId: '', markPrice: o.category === 'spot' ? '' : fmtAmount(f.markPrice),
    indexPrice: opt?.index ?? '', underlyingPrice: opt?.index ?? '', leavesQty: fmtAmount(f.leavesQty), orderId: o.orderId,
    orderLinkId: o.orderLinkId, orderPrice: fmtAmount(o.price), orderQty: fmtAmount(o.qty), orderType: o.type,
    // The execution example prints UNKNOWN where the order example prints "" for a plain order.
    stopOrderType: o.stopOrderType || 'UNKNOWN', side: o.side, execTime: String(f.time), isLeverage: '0', isMaker: f.isMaker,
    seq: f.seq, marketUnit: o.marketUnit, execPnl: fmtAmount(f.execPnl), ...createType(o), extraFees: '', feeCurrency: f.feeCoin,
  };
}

function optionFigures(market: Market, symbol: string): { iv: string; index: string } | undefined {
  const spec = instrumentSpec('option', symbol);
  if (!spec) return undefined;
  const m = market.optionModel(spec);
  return { iv: m.vol.toFixed(4), index: m.underlying.toFixed(2) };
}

export function positionItem(view: PositionView, market: Market): Record<string, unknown> {
  const p = view.position;
  const f = view.figures;
  const flat = p.size === 0n;
  const size = p.size < 0n ? -p.size : p.size;
  const item: Record<string, unknown> = {
    positionIdx: 0, tradeMode: 0, riskId: 1, riskLimitValue: '2000000', symbol: p.symbol, side: flat ? '' : p.size > 0n ? 'Buy' : 'Sell',
    size: fmtAmount(size), entryPrice: fmtAmount(p.entryPrice), leverage: fmtAmount(p.leverage), breakEvenPrice: fmtAmount(f.breakEvenPrice),
    positionValue: fmtAmount(f.positionValue), positionBalance: fmtAmount(f.positionIM), markPrice: fmtAmount(view.markPrice),
    positionIM: fmtAmount(f.positionIM), positionIMByMp: fmtAmount(f.positionIM), positionMM: fmtAmount(f.positionMM),
    positionMMByMp: fmtAmount(f.positionMM), takeProfit: '0', stopLoss: '0', trailingStop: '0', unrealisedPnl: fmtAmount(f.unrealisedPnl),
    curRealisedPnl: fmtAmount(p.curRealisedPnl), cumRealisedPnl: fmtAmount(p.cumRealisedPnl), sessionAvgPrice: '0',
    createdTime: String(p.createdTime), updatedTime: String(p.updatedTime), tpslMode: 'Full',
    liqPrice: f.liqPrice === undefined ? '0' : fmtAmount(f.liqPrice), bustPrice: '', category: p.category, positionStatus: 'Normal',
    adlRankIndicator: flat ? 0 : 2, autoAddMargin: 0, leverageSysUpdatedTime: '', mmrSysUpdatedTime: '', seq: p.seq,
    isReduceOnly: false, openTime: p.openTime,
  };
  if (p.category === 'option') Object.assign(item, optionGreeks(market, p.symbol, p.size));
  return item;
}

/** position.mdx: delta, gamma, vega, theta only on option positions (position size times the option's greeks). */
function optionGreeks(market: Market, symbol: string, size: Amount): Record<string, string> {
  const spec = instrumentSpec('option', symbol);
  const q = Number(fmtAmount(size));
  if (!spec) return { delta: '0', gamma: '0', vega: '0', theta: '0' };
  const g = market.optionModel(spec);
  return { delta: (g.delta * q).toFixed(8), gamma: (g.gamma * q).toFixed(8), vega: (g.vega * q).toFixed(8), theta: (g.theta * q).toFixed(8) };
}

function coinItem(b: Balance): Record<string, unknown> {
  return {
    coin: b.coin, equity: fmtAmount(b.equity), usdValue: fmtAmount(b.usdValue), walletBalance: fmtAmount(b.walletBalance),
    // Deprecated for UNIFIED accounts since 9 Jan 2025 (wallet.mdx table), always "".
    availableToWithdraw: '', availableToBorrow: '', borrowAmount: fmtAmount(b.spotBorrow), accruedInterest: '0',
    totalOrderIM: '0', totalPositionIM: '0', totalPositionMM: '0', unrealisedPnl: '0', cumRealisedPnl: '0', bonus: '0',
    collateralSwitch: true, marginCollateral: true, locked: fmtAmount(b.locked), spotHedgingQty: '0', spotBorrow: fmtAmount(b.spotBorrow),
  };
}

export function walletItem(ev: Extract<AccountEvent, { kind: 'wallet' }>): Record<string, unknown> {
  const wallet = fmtAmount(ev.all.reduce((s, b) => s + b.walletUsd, 0n));
  return {
    accountIMRate: '0', accountIMRateByMp: '0', accountMMRate: '0', accountMMRateByMp: '0', totalEquity: fmtAmount(ev.totalUsd),
    totalWalletBalance: wallet, totalMarginBalance: wallet, totalAvailableBalance: wallet, totalPerpUPL: '0',
    totalInitialMargin: '0', totalInitialMarginByMp: '0', totalMaintenanceMargin: '0', totalMaintenanceMarginByMp: '0',
    coin: ev.changed.map(coinItem), accountLTV: '0', accountType: 'UNIFIED',
  };
}
