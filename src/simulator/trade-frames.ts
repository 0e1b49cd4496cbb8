/**
 * The V5 private push items for the trade API's orders, in the documented shapes and key
 * order: websocket/private/order.mdx, execution.mdx, position.mdx (their response examples).
 */
import { divAmount, fmtAmount, mulAmount, type Amount } from './amount';
import { contractValue, isOpen, leaves, type Execution, type Position, type TradeOrder } from './trade-model';

const fmt = fmtAmount;

/** Spot and option orders carry no createType (order.mdx, execution.mdx). */
function createType(o: Readonly<TradeOrder>): Record<string, string> {
  return o.category === 'spot' || o.category === 'option' ? {} : { createType: 'CreateByUser' };
}

function avgPrice(o: Readonly<TradeOrder>): string {
  if (o.cumQty === 0n) return '';
  // Inverse: value is in coins, so the average price is qty / value.
  return fmt(o.category === 'inverse' ? divAmount(o.cumQty, o.cumValue) : divAmount(o.cumValue, o.cumQty));
}

export function orderItem(o: Readonly<TradeOrder>): Record<string, unknown> {
  const open = isOpen(o);
  const rest = open ? leaves(o) : 0n;
  const feeDetail: Record<string, string> = {};
  if (o.cumFee > 0n && (o.category === 'spot' || o.category === 'linear')) feeDetail[o.feeCoin] = fmt(o.cumFee);
  const quoteUnits = o.marketUnit === 'quoteCoin';
  return {
    category: o.category, symbol: o.inst.symbol, orderId: o.orderId, orderLinkId: o.orderLinkId, parentOrderLinkId: '',
    isLeverage: o.category === 'spot' ? '0' : '', blockTradeId: '', side: o.side, orderType: o.orderType, cancelType: o.cancelType,
    price: fmt(o.price), brokerOrderPrice: '', qty: fmt(o.qty), orderIv: '', timeInForce: o.timeInForce, orderStatus: o.status,
    lastPriceOnCreated: o.lastPriceOnCreated, reduceOnly: o.reduceOnly,
    leavesQty: quoteUnits ? '0' : fmt(rest),
    leavesValue: fmt(quoteUnits ? rest : o.price === 0n ? 0n : contractValue(o.category, o.price, rest)),
    cumExecQty: fmt(o.cumQty), cumExecValue: fmt(o.cumValue), avgPrice: avgPrice(o), positionIdx: 0,
    cumExecFee: fmt(o.cumFee), closedPnl: fmt(o.closedPnl), createdTime: String(o.createdTime), updatedTime: String(o.updatedTime),
    rejectReason: o.rejectReason, stopOrderType: '', tpslMode: '', triggerPrice: '', takeProfit: '', stopLoss: '',
    tpTriggerBy: '', slTriggerBy: '', tpLimitPrice: '', slLimitPrice: '', triggerDirection: 0, triggerBy: '', closeOnTrigger: false,
    placeType: o.category === 'option' ? 'price' : '', smpType: 'None', smpGroup: 0, smpOrderId: '',
    feeCurrency: o.category === 'spot' ? o.feeCoin : '', marketUnit: o.marketUnit, slippageToleranceType: 'UNKNOWN', slippageTolerance: '0',
    ocoTriggerBy: o.category === 'spot' ? 'OcoTriggerByUnknown' : '', cumFeeDetail: feeDetail, rpiTakerAccess: false, rpiMatchedQty: '0',
    ...createType(o),
  };
}

export function executionItem(o: Readonly<TradeOrder>, e: Execution, markPrice: string): Record<string, unknown> {
  const derivative = o.category !== 'spot';
  return {
    category: o.category, symbol: o.inst.symbol, closedSize: derivative ? fmt(e.closedSize) : '', execFee: fmt(e.fee), execId: e.execId,
    execPrice: fmt(e.price), execQty: fmt(e.qty), execType: 'Trade', execValue: fmt(e.value), feeRate: fmt(e.feeRate),
    tradeIv: '', markIv: '', blockTradeId: '', markPrice: derivative ? markPrice : '', indexPrice: '', underlyingPrice: '',
    leavesQty: fmt(e.leavesQty), orderId: o.orderId, orderLinkId: o.orderLinkId, orderPrice: fmt(o.price), orderQty: fmt(o.qty),
    orderType: o.orderType, stopOrderType: 'UNKNOWN', side: o.side, execTime: String(e.time), isLeverage: '0', isMaker: e.isMaker,
    seq: e.seq, marketUnit: o.marketUnit, execPnl: derivative ? fmt(e.pnl) : '0', extraFees: '', feeCurrency: e.feeCoin,
    ...createType(o),
  };
}

/** position.mdx; `mark` is the simulator's last price, used as the mark price. */
export function positionItem(p: Readonly<Position>, mark: Amount): Record<string, unknown> {
  const value = p.size === 0n ? 0n : contractValue(p.category, p.entryPrice, p.size);
  const markValue = p.size === 0n ? 0n : contractValue(p.category, mark, p.size);
  const direction = p.side === 'Sell' ? -1n : 1n;
  // Linear gains as the price rises; inverse values fall as it rises.
  const upl = p.category === 'inverse' ? (value - markValue) * direction : (markValue - value) * direction;
  return {
    positionIdx: 0, tradeMode: 0, riskId: 1, riskLimitValue: '2000000', symbol: p.symbol, side: p.side, size: fmt(p.size),
    entryPrice: fmt(p.entryPrice), leverage: fmt(p.leverage), breakEvenPrice: fmt(p.entryPrice), positionValue: fmt(value),
    positionBalance: fmt(p.im), markPrice: fmt(mark), positionIM: fmt(p.im), positionIMByMp: fmt(p.im),
    positionMM: fmt(mulAmount(p.im, 10_000_000n)), positionMMByMp: fmt(mulAmount(p.im, 10_000_000n)),
    takeProfit: '0', stopLoss: '0', trailingStop: '0', unrealisedPnl: fmt(upl), curRealisedPnl: fmt(p.curRealisedPnl),
    cumRealisedPnl: fmt(p.cumRealisedPnl), sessionAvgPrice: '0', createdTime: String(p.createdTime), updatedTime: String(p.updatedTime),
    tpslMode: 'Full', liqPrice: '', bustPrice: '', category: p.category, positionStatus: 'Normal', adlRankIndicator: p.size === 0n ? 0 : 2,
    autoAddMargin: 0, leverageSysUpdatedTime: '', mmrSysUpdatedTime: '', seq: p.seq, isReduceOnly: false, openTime: p.openTime,
  };
}
