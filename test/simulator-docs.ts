/**
 * Bybit's own example frames, copied verbatim from the documents (path and section above each),
 * and a shape check: the simulator's frames must carry the documented fields with the
 * documented JSON types. Only simulator tests use this file.
 */
import assert from 'node:assert/strict';

type Json = unknown;

function kind(v: Json): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/**
 * Every key of `documented` is in `actual` with the same JSON type (recursively into objects
 * and into the first element of arrays); `actual` may carry only the extra keys listed (fields
 * a page's table names that its example leaves out). `at` names the place in messages.
 */
export function assertDocShape(actual: Json, documented: Json, extra: readonly string[] = [], at = '$'): void {
  assert.equal(kind(actual), kind(documented), `${at}: ${kind(actual)} where the docs print ${kind(documented)}`);
  if (Array.isArray(documented)) {
    if (documented.length > 0 && (actual as Json[]).length > 0) assertDocShape((actual as Json[])[0], documented[0], extra, `${at}[0]`);
    return;
  }
  if (kind(documented) !== 'object') return;
  const a = actual as Record<string, Json>;
  const d = documented as Record<string, Json>;
  for (const key of Object.keys(d)) {
    assert.ok(key in a, `${at}.${key}: missing (docs print it)`);
    // cumFeeDetail-like maps keyed by coin: compare value types only when the keys match
    if (key === 'cumFeeDetail') continue;
    assertDocShape(a[key], d[key], extra, `${at}.${key}`);
  }
  for (const key of Object.keys(a)) assert.ok(key in d || extra.includes(key), `${at}.${key}: not in the documented example`);
}

/** docs/v5/websocket/private/order.mdx, Stream Example */
export const DOC_ORDER = {"id":"5923240c6880ab-c59f-420b-9adb-3639adc9dd90","topic":"order","creationTime":1672364262474,"data":[{"symbol":"ETH-30DEC22-1400-C","orderId":"5cf98598-39a7-459e-97bf-76ca765ee020","side":"Sell","orderType":"Market","cancelType":"UNKNOWN","price":"72.5","qty":"1","orderIv":"","timeInForce":"IOC","orderStatus":"Filled","orderLinkId":"","lastPriceOnCreated":"","reduceOnly":false,"leavesQty":"","leavesValue":"","cumExecQty":"1","cumExecValue":"75","avgPrice":"75","blockTradeId":"","positionIdx":0,"cumExecFee":"0.358635","closedPnl":"0","createdTime":"1672364262444","updatedTime":"1672364262457","rejectReason":"EC_NoError","stopOrderType":"","tpslMode":"","triggerPrice":"","takeProfit":"","stopLoss":"","tpTriggerBy":"","slTriggerBy":"","tpLimitPrice":"","slLimitPrice":"","triggerDirection":0,"triggerBy":"","closeOnTrigger":false,"category":"option","placeType":"price","smpType":"None","smpGroup":0,"smpOrderId":"","feeCurrency":"","cumFeeDetail":{"MNT":"0.00242968"},"rpiTakerAccess":false,"rpiMatchedQty":"0"}]} as const;

/** docs/v5/websocket/private/execution.mdx, Stream Example */
export const DOC_EXECUTION = {"topic":"execution","id":"386825804_BTCUSDT_140612148849382","creationTime":1746270400355,"data":[{"category":"linear","symbol":"BTCUSDT","closedSize":"0.5","execFee":"26.3725275","execId":"0ab1bdf7-4219-438b-b30a-32ec863018f7","execPrice":"95900.1","execQty":"0.5","execType":"Trade","execValue":"47950.05","feeRate":"0.00055","tradeIv":"","markIv":"","blockTradeId":"","markPrice":"95901.48","indexPrice":"","underlyingPrice":"","leavesQty":"0","orderId":"9aac161b-8ed6-450d-9cab-c5cc67c21784","orderLinkId":"","orderPrice":"94942.5","orderQty":"0.5","orderType":"Market","stopOrderType":"UNKNOWN","side":"Sell","execTime":"1746270400353","isLeverage":"0","isMaker":false,"seq":140612148849382,"marketUnit":"","execPnl":"0.05","createType":"CreateByUser","extraFees":[{"feeCoin":"USDT","feeType":"GST","subFeeType":"IND_GST","feeRate":"0.0000675","fee":"0.006403779"}],"feeCurrency":"USDT"}]} as const;

/** docs/v5/websocket/private/position.mdx, Stream Example */
export const DOC_POSITION = {"id":"1003076014fb7eedb-c7e6-45d6-a8c1-270f0169171a","topic":"position","creationTime":1697682317044,"data":[{"positionIdx":2,"tradeMode":0,"riskId":1,"riskLimitValue":"2000000","symbol":"BTCUSDT","side":"","size":"0","entryPrice":"0","leverage":"10","breakEvenPrice":"93556.73034991","positionValue":"0","positionBalance":"0","markPrice":"28184.5","positionIM":"0","positionIMByMp":"0","positionMM":"0","positionMMByMp":"0","takeProfit":"0","stopLoss":"0","trailingStop":"0","unrealisedPnl":"0","curRealisedPnl":"1.26","cumRealisedPnl":"-25.06579337","sessionAvgPrice":"0","createdTime":"1694402496913","updatedTime":"1697682317038","tpslMode":"Full","liqPrice":"0","bustPrice":"","category":"linear","positionStatus":"Normal","adlRankIndicator":0,"autoAddMargin":0,"leverageSysUpdatedTime":"","mmrSysUpdatedTime":"","seq":8327597863,"isReduceOnly":false}]} as const;

/** docs/v5/websocket/private/wallet.mdx, Stream Example */
export const DOC_WALLET = {"id":"592324d2bce751-ad38-48eb-8f42-4671d1fb4d4e","topic":"wallet","creationTime":1700034722104,"data":[{"accountIMRate":"0","accountIMRateByMp":"0","accountMMRate":"0","accountMMRateByMp":"0","totalEquity":"10262.91335023","totalWalletBalance":"9684.46297164","totalMarginBalance":"9684.46297164","totalAvailableBalance":"9556.6056555","totalPerpUPL":"0","totalInitialMargin":"0","totalInitialMarginByMp":"0","totalMaintenanceMargin":"0","totalMaintenanceMarginByMp":"0","coin":[{"coin":"BTC","equity":"0.00102964","usdValue":"36.70759517","walletBalance":"0.00102964","availableToWithdraw":"0.00102964","availableToBorrow":"","borrowAmount":"0","accruedInterest":"0","totalOrderIM":"","totalPositionIM":"","totalPositionMM":"","unrealisedPnl":"0","cumRealisedPnl":"-0.00000973","bonus":"0","collateralSwitch":true,"marginCollateral":true,"locked":"0","spotHedgingQty":"0.01592413","spotBorrow":"0"}],"accountLTV":"0","accountType":"UNIFIED"}]} as const;

/** docs/v5/websocket/public/trade.mdx, Response Example */
export const DOC_TRADE = {"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1672304486868,"data":[{"T":1672304486865,"s":"BTCUSDT","S":"Buy","v":"0.001","p":"16578.50","L":"PlusTick","i":"20f43950-d8dd-5b31-9112-a178eb6023af","BT":false,"seq":1783284617}]} as const;

/** docs/v5/websocket/public/kline.mdx, Response Example */
export const DOC_KLINE = {"topic":"kline.5.BTCUSDT","data":[{"start":1672324800000,"end":1672325099999,"interval":"5","open":"16649.5","close":"16677","high":"16677","low":"16608","volume":"2.081","turnover":"34666.4005","confirm":false,"timestamp":1672324988882}],"ts":1672324988882,"type":"snapshot"} as const;

/** docs/v5/websocket/public/all-liquidation.mdx, Response Example */
export const DOC_LIQUIDATION = {"topic":"allLiquidation.ROSEUSDT","type":"snapshot","ts":1739502303204,"data":[{"T":1739502302929,"s":"ROSEUSDT","S":"Sell","v":"20000","p":"0.04499"}]} as const;

/** docs/v5/websocket/public/ticker.mdx, Linear tab (LinearPerpetual) */
export const DOC_TICKER_PERP = {"topic":"tickers.BTCUSDT","type":"snapshot","data":{"symbol":"BTCUSDT","tickDirection":"MinusTick","price24hPcnt":"-0.158315","lastPrice":"66666.60","prevPrice24h":"79206.20","highPrice24h":"79266.30","lowPrice24h":"65076.90","prevPrice1h":"66666.60","markPrice":"66666.60","indexPrice":"115418.19","openInterest":"492373.72","openInterestValue":"32824881841.75","turnover24h":"4936790807.6521","volume24h":"73191.3870","fundingIntervalHour":"8","fundingCap":"0.005","nextFundingTime":"1760342400000","fundingRate":"-0.005","bid1Price":"66666.60","bid1Size":"23789.165","ask1Price":"66666.70","ask1Size":"23775.469","preOpenPrice":"","preQty":"","curPreListingPhase":""},"cs":9532239429,"ts":1760325052630} as const;

/** docs/v5/websocket/public/ticker.mdx, Linear tab (LinearFutures) */
export const DOC_TICKER_FUTURES = {"topic":"tickers.BTC-26DEC25","type":"snapshot","data":{"symbol":"BTC-26DEC25","tickDirection":"ZeroMinusTick","price24hPcnt":"0","lastPrice":"109401.50","prevPrice24h":"109401.50","highPrice24h":"109401.50","lowPrice24h":"109401.50","prevPrice1h":"109401.50","markPrice":"121144.63","indexPrice":"114132.51","openInterest":"6.622","openInterestValue":"802219.74","turnover24h":"0.0000","volume24h":"0.0000","deliveryTime":"2025-12-26T08:00:00Z","basisRate":"0.06129209","deliveryFeeRate":"0","predictedDeliveryPrice":"0.00","basis":"-4730.84","basisRateYear":"0.30655351","nextFundingTime":"","fundingRate":"","bid1Price":"111254.50","bid1Size":"0.176","ask1Price":"131001.00","ask1Size":"0.580"},"cs":31337927919,"ts":1760409119857} as const;

/** docs/v5/websocket/public/ticker.mdx, Option tab */
export const DOC_TICKER_OPTION = {"id":"tickers.BTC-6JAN23-17500-C-2480334983-1672917511074","topic":"tickers.BTC-6JAN23-17500-C","ts":1672917511074,"data":{"symbol":"BTC-6JAN23-17500-C","bidPrice":"0","bidSize":"0","bidIv":"0","askPrice":"10","askSize":"5.1","askIv":"0.514","lastPrice":"10","highPrice24h":"25","lowPrice24h":"5","markPrice":"7.86976724","indexPrice":"16823.73","markPriceIv":"0.4896","underlyingPrice":"16815.1","openInterest":"49.85","turnover24h":"446802.8473","volume24h":"26.55","totalVolume":"86","totalTurnover":"1437431","delta":"0.047831","gamma":"0.00021453","vega":"0.81351067","theta":"-19.9115368","predictedDeliveryPrice":"0","change24h":"-0.33333334"},"type":"snapshot"} as const;

/** docs/v5/websocket/public/ticker.mdx, Spot tab */
export const DOC_TICKER_SPOT = {"topic":"tickers.BTCUSDT","ts":1673853746003,"type":"snapshot","cs":2588407389,"data":{"symbol":"BTCUSDT","lastPrice":"21109.77","highPrice24h":"21426.99","lowPrice24h":"20575","prevPrice24h":"20704.93","volume24h":"6780.866843","turnover24h":"141946527.22907118","price24hPcnt":"0.0196","usdIndexPrice":"21120.2400136"}} as const;

/** docs/v5/market/instrument.mdx, Response Example, Linear (official USDT Perpetual) */
export const DOC_INSTRUMENT_LINEAR = {"retCode":0,"retMsg":"OK","result":{"category":"linear","list":[{"symbol":"BTCUSDT","symbolId":5,"contractType":"LinearPerpetual","status":"Trading","baseCoin":"BTC","quoteCoin":"USDT","launchTime":"1585526400000","deliveryTime":"0","deliveryFeeRate":"","priceScale":"2","leverageFilter":{"minLeverage":"1","maxLeverage":"100.00","leverageStep":"0.01"},"priceFilter":{"minPrice":"0.10","maxPrice":"1999999.80","tickSize":"0.10"},"lotSizeFilter":{"maxOrderQty":"1190.000","minOrderQty":"0.001","qtyStep":"0.001","postOnlyMaxOrderQty":"1190.000","maxMktOrderQty":"500.000","minNotionalValue":"5"},"unifiedMarginTrade":true,"fundingInterval":480,"settleCoin":"USDT","copyTrading":"both","upperFundingRate":"0.00375","lowerFundingRate":"-0.00375","isPreListing":false,"preListingInfo":null,"riskParameters":{"priceLimitRatioX":"0.01","priceLimitRatioY":"0.02"},"symbolType":""}],"nextPageCursor":""},"retExtInfo":{},"time":1735809771618} as const;

/** docs/v5/market/instrument.mdx, Response Example, Option */
export const DOC_INSTRUMENT_OPTION = {"retCode":0,"retMsg":"OK","result":{"category":"option","nextPageCursor":"","list":[{"symbol":"BTC-27MAR26-70000-P-USDT","status":"Trading","baseCoin":"BTC","quoteCoin":"USDT","settleCoin":"USDT","optionsType":"Put","launchTime":"1743669649256","deliveryTime":"1774598400000","deliveryFeeRate":"0.00015","priceFilter":{"minPrice":"5","maxPrice":"1110000","tickSize":"5"},"lotSizeFilter":{"maxOrderQty":"500","minOrderQty":"0.01","qtyStep":"0.01"},"displayName":"BTCUSDT-27MAR26-70000-P"}]},"retExtInfo":{},"time":1672712537130} as const;

/** docs/v5/market/instrument.mdx, Response Example, Spot */
export const DOC_INSTRUMENT_SPOT = {"retCode":0,"retMsg":"OK","result":{"category":"spot","list":[{"symbolId":9,"symbol":"BTCUSDT","baseCoin":"BTC","quoteCoin":"USDT","innovation":"0","status":"Trading","marginTrading":"utaOnly","stTag":"0","lotSizeFilter":{"basePrecision":"0.000001","quotePrecision":"0.0000001","minOrderQty":"0.000011","maxOrderQty":"83","minOrderAmt":"5","maxOrderAmt":"8000000","maxLimitOrderQty":"83","maxMarketOrderQty":"41.5","postOnlyMaxLimitOrderSize":"60000"},"priceFilter":{"tickSize":"0.1"},"riskParameters":{"priceLimitRatioX":"0.005","priceLimitRatioY":"0.01"},"symbolType":""}]},"retExtInfo":{},"time":1760027412300} as const;

/** docs/v5/websocket/public/orderbook.mdx, Response Example, Delta */
export const DOC_BOOK_DELTA = {"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1687940967466,"data":{"s":"BTCUSDT","b":[["30247.20","30.028"],["30245.40","0.224"],["30242.10","1.593"],["30240.30","1.305"],["30240.00","0"]],"a":[["30248.70","0"],["30249.30","0.892"],["30249.50","1.778"],["30249.60","0"],["30251.90","2.947"],["30252.20","0.659"],["30252.50","4.591"]],"u":177400507,"seq":66544703342},"cts":1687940967464} as const;

/** docs/v5/websocket/wss-authentication.mdx, Successful authentication sample response */
export const DOC_AUTH_OK = {"success":true,"ret_msg":"","op":"auth","conn_id":"cejreaspqfh3sjdnldmg-p"} as const;

/** docs/v5/websocket/wss-authentication.mdx, Pong message example of public channels, Spot */
export const DOC_PONG_SPOT = {"success":true,"ret_msg":"pong","conn_id":"0970e817-426e-429a-a679-ff7f55e0b16a","op":"ping"} as const;

/** docs/v5/websocket/wss-authentication.mdx, Pong message example of public channels, Linear/Inverse */
export const DOC_PONG_LINEAR = {"success":true,"ret_msg":"pong","conn_id":"465772b1-7630-4fdc-a492-e003e6f0f260","req_id":"","op":"ping"} as const;

/** docs/v5/websocket/wss-authentication.mdx, Pong message example of public channels, Option/Spread */
export const DOC_PONG_OPTION = {"args":["1672916271846"],"op":"pong"} as const;

/** docs/v5/websocket/wss-authentication.mdx, Pong message example of private channels */
export const DOC_PONG_PRIVATE = {"req_id":"test","op":"pong","args":["1675418560633"],"conn_id":"cfcb4ocsvfriu23r3er0-1b"} as const;

/** docs/v5/websocket/wss-authentication.mdx, Subscription Response, Private */
export const DOC_SUB_PRIVATE = {"success":true,"ret_msg":"","op":"subscribe","conn_id":"cejreassvfrsfvb9v1a0-2m"} as const;

/** docs/v5/websocket/wss-authentication.mdx, Subscription Response, Public Spot */
export const DOC_SUB_SPOT = {"success":true,"ret_msg":"subscribe","conn_id":"2324d924-aa4d-45b0-a858-7b8be29ab52b","req_id":"10001","op":"subscribe"} as const;

/** docs/v5/websocket/wss-authentication.mdx, Subscription Response, Linear/Inverse */
export const DOC_SUB_LINEAR = {"success":true,"ret_msg":"","conn_id":"3cd84cb1-4d06-4a05-930a-2efe5fc70f0f","req_id":"","op":"subscribe"} as const;

/** docs/v5/websocket/wss-authentication.mdx, Subscription Response, Option/Spread */
export const DOC_SUB_OPTION = {"success":true,"conn_id":"aa01fbfffe80af37-00000001-000b37b9-7147f432704fd28c-00e1c172","data":{"failTopics":[],"successTopics":["orderbook.100.BTC-6JAN23-18000-C"]},"type":"COMMAND_RESP"} as const;

/** legacy/source/includes/spot/v3/_websockets.md, order */
export const DOC_V3_ORDER = {"type":"snapshot","topic":"order","ts":"1662348310441","data":[{"e":"order","E":"1662348310441","s":"BTCUSDT","c":"spotx008","S":"BUY","o":"MARKET_OF_QUOTE","f":"GTC","q":"20","p":"0","X":"CANCELED","i":"1238261807653647872","M":"1238225004531834368","l":"0.001007","z":"0.001007","L":"19842.02","n":"0","N":"BTC","u":true,"w":true,"m":false,"O":"1662348310368","Z":"19.98091414","A":"0","C":false,"v":"0","d":"NO_LIQ","t":"2100000000002220938"}]} as const;

/** legacy/source/includes/spot/v3/_websockets.md, stopOrder */
export const DOC_V3_STOP_ORDER = {"type":"snapshot","topic":"stopOrder","ts":"1662107217667","data":[{"e":"stopOrder","E":"1662107217667","s":"BTCUSDT","c":"spot01","S":"BUY","o":"LIMIT","f":"GTC","q":"0.01","p":"20157.5","X":"ORDER_NEW","i":"1236239375040308480","T":"1662107217613","t":"0","C":"1662107217613","qp":"20157.86","eo":"1236239375040308481","ti":"0ef565e40fb3127b0b2951973d93d0d3","si":"f79e810f69822d81"}]} as const;

/** legacy/source/includes/spot/v1/_websockets.md, executionReport (printed as a bare object) */
export const DOC_V1_EXECUTION_REPORT = {"e":"executionReport","E":"1661505745347","s":"BITUSDT","c":"1661505744705","S":"BUY","o":"MARKET_OF_QUOTE","f":"GTC","q":"20","p":"0","X":"CANCELED","i":"1231193858535151104","M":"1231190924099373824","l":"14.16","z":"14.16","L":"1.4121","n":"0.01416","N":"BIT","u":true,"w":true,"m":true,"O":"1661505745176","Z":"19.995336","A":"0","C":false,"v":"0","d":"NO_LIQ","t":"2120000000001252630"} as const;

/** legacy/source/includes/spot/v1/_websockets.md, stop_executionReport */
export const DOC_V1_STOP_EXECUTION_REPORT = [{"e":"stop_executionReport","E":"1660031832249","s":"BTCUSDT","c":"1660031262869","S":"BUY","o":"MARKET_OF_QUOTE","f":"GTC","q":"0","p":"0","X":"ORDER_CANCELED","i":"1218825007084354304","T":"1660031263181","t":"0","C":"1660031832223","qp":"23668.86","eo":"1218825007084354305","ti":"4add1fe84e577026","si":"bc86964648a3c395"}] as const;

/** legacy/source/includes/spot/v1/_websockets.md, outboundAccountInfo */
export const DOC_V1_ACCOUNT = [{"e":"outboundAccountInfo","E":"1629969654753","T":true,"W":true,"D":true,"B":[{"a":"BTC","f":"10000000097.1982823144","l":"0"}]}] as const;
