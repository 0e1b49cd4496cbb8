/** The V5 dialect against the frames of PROTOCOL.md, used as test vectors. */
import assert from 'node:assert/strict';
import { payloadOf } from './support/items';
import { v5 } from '../src/dialects/v5';

describe('V5 dialect', function () {
  it('uses the documented endpoints per network', function () {
    const cats = (host: string) => ({ 'public-linear': `${host}/v5/public/linear`, 'public-inverse': `${host}/v5/public/inverse`, 'public-option': `${host}/v5/public/option` });
    assert.deepEqual(v5.endpoints('mainnet'), { public: 'wss://stream.bybit.com/v5/public/spot', private: 'wss://stream.bybit.com/v5/private', ...cats('wss://stream.bybit.com') });
    assert.deepEqual(v5.endpoints('testnet'), { public: 'wss://stream-testnet.bybit.com/v5/public/spot', private: 'wss://stream-testnet.bybit.com/v5/private', ...cats('wss://stream-testnet.bybit.com') });
    // Demo trading has no market data of its own: every category's public stream is mainnet's.
    assert.deepEqual(v5.endpoints('demo'), { public: 'wss://stream.bybit.com/v5/public/spot', private: 'wss://stream-demo.bybit.com/v5/private', ...cats('wss://stream.bybit.com') });
    // Custom: each category's URL is the spot URL with its last path segment replaced.
    assert.deepEqual(v5.endpoints('custom', { publicUrl: 'ws://127.0.0.1:1/v5/public/spot', privateUrl: 'ws://127.0.0.1:1/q' }),
      { public: 'ws://127.0.0.1:1/v5/public/spot', private: 'ws://127.0.0.1:1/q', ...cats('ws://127.0.0.1:1') });
  });

  it('names topics as Bybit does and picks the book depth at or above the request', function () {
    assert.equal(v5.wireTopics({ channel: 'trade', symbol: 'BTCUSDT' })[0].key, 'publicTrade.BTCUSDT');
    assert.equal(v5.wireTopics({ channel: 'ticker', symbol: 'BTCUSDT' })[0].key, 'tickers.BTCUSDT');
    assert.equal(v5.wireTopics({ channel: 'kline', symbol: 'BTCUSDT', interval: '5' })[0].key, 'kline.5.BTCUSDT');
    assert.equal(v5.wireTopics({ channel: 'orderbook', symbol: 'BTCUSDT', depth: 20 })[0].key, 'orderbook.50.BTCUSDT');
    assert.equal(v5.wireTopics({ channel: 'bookticker', symbol: 'BTCUSDT' })[0].key, 'orderbook.1.BTCUSDT');
    assert.deepEqual([1, 2, 50, 51, 200, 201, 1000, 5000].map((d) => v5.bookDepth(d)), [1, 50, 50, 200, 200, 1000, 1000, 1000]);
  });

  it('encodes subscribe requests in batches of 10 with a req_id each', function () {
    let n = 0;
    const keys = Array.from({ length: 25 }, (_, i) => `tickers.S${i}USDT`);
    const reqs = v5.encodeRequests('subscribe', 'public', keys, () => `r${++n}`);
    assert.deepEqual(reqs.map((r) => r.keys.length), [10, 10, 5]);
    assert.deepEqual(JSON.parse(reqs[2].frame), { req_id: 'r3', op: 'subscribe', args: keys.slice(20) });
    assert.deepEqual(JSON.parse(v5.encodePing('p1')), { req_id: 'p1', op: 'ping' });
    assert.deepEqual(JSON.parse(v5.encodeAuth('k', 1662350400000, 'sig', 'a1')), { req_id: 'a1', op: 'auth', args: ['k', 1662350400000, 'sig'] });
  });

  it('decodes replies from PROTOCOL.md', function () {
    assert.deepEqual(v5.decode('{"success":true,"ret_msg":"pong","conn_id":"c","req_id":"1","op":"ping"}', 'public'), { kind: 'pong' });
    // A private pong carries the server's time (clock-skew correction reads it).
    assert.deepEqual(v5.decode('{"req_id":"1","op":"pong","args":["1675418560633"],"conn_id":"c"}', 'private'), { kind: 'pong', serverTime: 1675418560633 });
    assert.deepEqual(v5.decode('{"success":true,"ret_msg":"","op":"auth","conn_id":"c","req_id":"a1"}', 'private'), { kind: 'auth', success: true, message: '' });
    assert.deepEqual(v5.decode('{"success":false,"ret_msg":"Params Error","op":"auth","conn_id":"c"}', 'private'), { kind: 'auth', success: false, message: 'Params Error' });
    assert.deepEqual(v5.decode('{"success":true,"ret_msg":"subscribe","conn_id":"c","req_id":"s1","op":"subscribe"}', 'public'),
      { kind: 'ack', op: 'subscribe', reqId: 's1', accepted: [], refused: [], reason: '', rest: 'accepted' });
    // One bad topic fails the whole request: it is refused by name, the others are sent again.
    assert.deepEqual(
      v5.decode('{"success":false,"ret_msg":"error:handler not found,topic:orderbook.30.BTCUSDT","conn_id":"c","req_id":"s2","op":"subscribe"}', 'public'),
      { kind: 'ack', op: 'subscribe', reqId: 's2', accepted: [], refused: ['orderbook.30.BTCUSDT'], reason: 'error:handler not found,topic:orderbook.30.BTCUSDT', rest: 'resend' },
    );
    assert.equal(v5.decode('{oops', 'public').kind, 'malformed');
    assert.equal(v5.decode('[1,2]', 'public').kind, 'malformed');
    assert.equal(v5.decode('{"topic":"tickers.BTCUSDT"}', 'public').kind, 'malformed');
  });

  it('normalizes a publicTrade frame into one item per trade', function () {
    const frame = JSON.parse('{"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1672304486868,"data":[{"T":1672304486865,"s":"BTCUSDT","S":"Buy","v":"0.001","p":"16578.50","i":"20f43950-d8dd-5b31-9112-a178eb6023af","BT":false,"seq":1783284617}]}');
    const items = v5.normalize({ channel: 'trade', symbol: 'BTCUSDT' }, frame);
    assert.equal(items.length, 1);
    assert.equal(items[0].topic, 'trade.BTCUSDT');
    assert.deepEqual(items[0].payload, { category: 'spot', symbol: 'BTCUSDT', id: '20f43950-d8dd-5b31-9112-a178eb6023af', price: 16578.5, qty: 0.001, side: 'Buy', time: 1672304486865, seq: 1783284617, blockTrade: false });
  });

  it('normalizes a tickers frame', function () {
    const frame = JSON.parse('{"topic":"tickers.BTCUSDT","ts":1673853746003,"type":"snapshot","cs":2588407389,"data":{"symbol":"BTCUSDT","lastPrice":"21109.77","highPrice24h":"21426.99","lowPrice24h":"20575","prevPrice24h":"20704.93","volume24h":"6780.866843","turnover24h":"141946527.22907118","price24hPcnt":"0.0196","usdIndexPrice":"21120.2400136"}}');
    const [item] = v5.normalize({ channel: 'ticker', symbol: 'BTCUSDT' }, frame);
    assert.deepEqual(item.payload, {
      category: 'spot',
      symbol: 'BTCUSDT', lastPrice: 21109.77, openPrice24h: 20704.93, highPrice24h: 21426.99, lowPrice24h: 20575,
      volume24h: 6780.866843, turnover24h: Number('141946527.22907118'), change24h: 0.0196, usdIndexPrice: 21120.2400136, time: 1673853746003,
    });
  });

  it('normalizes a kline frame with confirm', function () {
    const frame = JSON.parse('{"topic":"kline.5.BTCUSDT","type":"snapshot","ts":1672324988882,"data":[{"start":1672324800000,"end":1672325099999,"interval":"5","open":"16649.5","close":"16677","high":"16677","low":"16608","volume":"2.081","turnover":"34666.4005","confirm":false,"timestamp":1672324988882}]}');
    const [item] = v5.normalize({ channel: 'kline', symbol: 'BTCUSDT', interval: '5' }, frame);
    assert.equal(item.topic, 'kline.5.BTCUSDT');
    assert.deepEqual(item.payload, { category: 'spot', symbol: 'BTCUSDT', interval: '5', start: 1672324800000, open: 16649.5, high: 16677, low: 16608, close: 16677, volume: 2.081, end: 1672325099999, turnover: 34666.4005, confirm: false, time: 1672324988882 });
  });

  it('reads order-book snapshots and deltas', function () {
    const snap = v5.bookFrame(JSON.parse('{"topic":"orderbook.50.BTCUSDT","ts":1672304484978,"type":"snapshot","cts":1672304484976,"data":{"s":"BTCUSDT","b":[["16493.50","0.006"],["16493.00","0.100"]],"a":[["16611.00","0.029"]],"u":18521288,"seq":7961638724}}'));
    assert.equal(snap?.kind, 'snapshot');
    assert.equal(snap?.updateId, 18521288);
    assert.deepEqual(snap?.bids[0], ['16493.50', '0.006']);
    const delta = v5.bookFrame(JSON.parse('{"topic":"orderbook.50.BTCUSDT","ts":1687940967466,"type":"delta","cts":1687940967464,"data":{"s":"BTCUSDT","b":[["30240.00","0"]],"a":[["30248.70","0.5"]],"u":18521289,"seq":66544703342}}'));
    assert.equal(delta?.kind, 'delta');
    assert.equal(delta?.updateId, 18521289);
    assert.deepEqual([delta?.seq, delta?.matchTime, snap?.seq, snap?.matchTime], [66544703342, 1687940967464, 7961638724, 1672304484976]);
  });

  it('normalizes private wallet, order and execution frames', function () {
    const wallet = JSON.parse('{"id":"x","topic":"wallet","creationTime":1700034722104,"data":[{"accountType":"UNIFIED","totalEquity":"3.31","coin":[{"coin":"BTC","equity":"0.5","walletBalance":"0.5","locked":"0.1","usdValue":"18000"}]}]}');
    assert.deepEqual(v5.normalize({ channel: 'account' }, wallet)[0].payload, { category: 'spot', time: 1700034722104, balances: [{ coin: 'BTC', total: 0.5, free: 0.4, locked: 0.1, borrowed: null, equity: 0.5, usdValue: 18000 }] });
    const order = JSON.parse('{"id":"y","topic":"order","creationTime":1672364262474,"data":[{"category":"spot","symbol":"BTCUSDT","orderId":"1321052653536515584","orderLinkId":"my-1","side":"Buy","orderType":"Limit","price":"30000","qty":"0.01","timeInForce":"GTC","orderStatus":"PartiallyFilled","avgPrice":"30000","leavesQty":"0.005","cumExecQty":"0.005","cumExecValue":"150","cumFeeDetail":{"BTC":"0.000005"},"createdTime":"1672364262444","updatedTime":"1672364262457"}]}');
    const [o] = v5.normalize({ channel: 'order' }, order);
    assert.equal(o.topic, 'order.BTCUSDT');
    assert.deepEqual(o.payload, {
      category: 'spot',
      symbol: 'BTCUSDT', orderId: '1321052653536515584', clientOrderId: 'my-1', side: 'Buy', type: 'Limit', timeInForce: 'GTC', price: 30000, qty: 0.01,
      status: 'PartiallyFilled', cumQty: 0.005, cumQuote: 150, avgPrice: 30000, createdTime: 1672364262444, updatedTime: 1672364262457,
      marketUnit: null, leavesQty: 0.005, fee: null, triggerPrice: null, stopOrderType: null, rejectReason: null, cancelType: null,
    });
    const exec = JSON.parse('{"id":"z","topic":"execution","creationTime":1672364174455,"data":[{"category":"spot","symbol":"BTCUSDT","orderId":"1321052653536515584","orderLinkId":"my-1","side":"Buy","execId":"e0cbe81d-0f18-5866-9415-cf319b5dab3b","execPrice":"30000","execQty":"0.005","execValue":"150","execFee":"0.000005","feeCurrency":"BTC","isMaker":false,"execType":"Trade","execTime":"1672364174443","seq":4688002127}]}');
    assert.deepEqual(v5.normalize({ channel: 'execution' }, exec)[0].payload, {
      category: 'spot',
      symbol: 'BTCUSDT', execId: 'e0cbe81d-0f18-5866-9415-cf319b5dab3b', orderId: '1321052653536515584', clientOrderId: 'my-1', side: 'Buy',
      price: 30000, qty: 0.005, fee: 0.000005, feeCoin: 'BTC', isMaker: false, time: 1672364174443,
      execValue: 150, feeRate: null, execType: 'Trade', orderType: null, seq: 4688002127,
    });
  });

  it('wallet as wallet.mdx prints it: total and free are what the user owns (walletBalance minus spotBorrow)', function () {
    // v5/websocket/private/wallet.mdx, Stream Example.
    const doc = '{"topic":"wallet","creationTime":1700034722104,"data":[{"accountIMRate":"0","accountIMRateByMp":"0","accountMMRate":"0","accountMMRateByMp":"0","totalEquity":"10262.91335023","totalWalletBalance":"9684.46297164","totalMarginBalance":"9684.46297164","totalAvailableBalance":"9556.6056555","totalPerpUPL":"0","totalInitialMargin":"0","totalInitialMarginByMp":"0","totalMaintenanceMargin":"0","totalMaintenanceMarginByMp":"0","coin":[{"coin":"BTC","equity":"0.00102964","usdValue":"36.70759517","walletBalance":"0.00102964","availableToWithdraw":"0.00102964","availableToBorrow":"","borrowAmount":"0","accruedInterest":"0","totalOrderIM":"","totalPositionIM":"","totalPositionMM":"","unrealisedPnl":"0","cumRealisedPnl":"-0.00000973","bonus":"0","collateralSwitch":true,"marginCollateral":true,"locked":"0","spotHedgingQty":"0.01592413","spotBorrow":"0"}],"accountLTV":"0","accountType":"UNIFIED"}]}';
    assert.deepEqual(v5.normalize({ channel: 'account' }, JSON.parse(doc))[0].payload, {
      category: 'spot', time: 1700034722104, balances: [{ coin: 'BTC', total: 0.00102964, free: 0.00102964, locked: 0, borrowed: 0, equity: 0.00102964, usdValue: 36.70759517 }],
    });
    // A margin user: 1.5 BTC in the wallet of which 0.5 borrowed, 0.2 locked in an order (wallet.mdx info box).
    const margin = JSON.parse(doc.replace('"walletBalance":"0.00102964"', '"walletBalance":"1.5"').replace('"spotBorrow":"0"', '"spotBorrow":"0.5"').replace('"locked":"0"', '"locked":"0.2"'));
    const [b] = payloadOf(v5.normalize({ channel: 'account' }, margin)[0], 'account').balances;
    assert.deepEqual([b.total, b.free, b.locked, b.borrowed], [1, 0.8, 0.2, 0.5]);
    const exact = payloadOf(v5.normalize({ channel: 'account', numbers: 'string' }, margin)[0], 'account').balances[0];
    assert.deepEqual([exact.total, exact.free, exact.locked, exact.borrowed], ['1', '0.8', '0.2', '0.5']);
  });

  it('order and execution as order.mdx / execution.mdx print them, every normalized field', function () {
    // v5/websocket/private/order.mdx, Stream Example (category changed to spot: spot nodes keep spot items only).
    const order = '{"topic":"order","creationTime":1672364262474,"data":[{"symbol":"ETH-30DEC22-1400-C","orderId":"5cf98598-39a7-459e-97bf-76ca765ee020","side":"Sell","orderType":"Market","cancelType":"UNKNOWN","price":"72.5","qty":"1","orderIv":"","timeInForce":"IOC","orderStatus":"Filled","orderLinkId":"","lastPriceOnCreated":"","reduceOnly":false,"leavesQty":"","leavesValue":"","cumExecQty":"1","cumExecValue":"75","avgPrice":"75","blockTradeId":"","positionIdx":0,"cumExecFee":"0.358635","closedPnl":"0","createdTime":"1672364262444","updatedTime":"1672364262457","rejectReason":"EC_NoError","stopOrderType":"","tpslMode":"","triggerPrice":"","takeProfit":"","stopLoss":"","tpTriggerBy":"","slTriggerBy":"","tpLimitPrice":"","slLimitPrice":"","triggerDirection":0,"triggerBy":"","closeOnTrigger":false,"category":"spot","placeType":"price","smpType":"None","smpGroup":0,"smpOrderId":"","feeCurrency":"","cumFeeDetail":{"MNT":"0.00242968"},"rpiTakerAccess":false,"rpiMatchedQty":"0"}]}';
    assert.deepEqual(v5.normalize({ channel: 'order' }, JSON.parse(order))[0].payload, {
      category: 'spot', symbol: 'ETH-30DEC22-1400-C', orderId: '5cf98598-39a7-459e-97bf-76ca765ee020', clientOrderId: null, side: 'Sell', type: 'Market', timeInForce: 'IOC',
      price: 72.5, qty: 1, marketUnit: null, status: 'Filled', cumQty: 1, cumQuote: 75, avgPrice: 75, leavesQty: null, fee: 0.358635,
      triggerPrice: null, stopOrderType: null, rejectReason: 'EC_NoError', cancelType: 'UNKNOWN', createdTime: 1672364262444, updatedTime: 1672364262457,
    });
    // A spot market buy in the quote coin (order.mdx table: marketUnit; qty in USDT, cumExecQty in BTC).
    const buy = JSON.parse(order.replace('"side":"Sell"', '"side":"Buy","marketUnit":"quoteCoin"').replace('"triggerPrice":""', '"triggerPrice":"30000"').replace('"stopOrderType":""', '"stopOrderType":"tpslOrder"'));
    const p = payloadOf(v5.normalize({ channel: 'order' }, buy)[0], 'order');
    assert.deepEqual([p.marketUnit, p.triggerPrice, p.stopOrderType], ['quoteCoin', 30000, 'tpslOrder']);
    // v5/websocket/private/execution.mdx, Stream Example.
    const exec = '{"topic":"execution","id":"386825804_BTCUSDT_140612148849382","creationTime":1746270400355,"data":[{"category":"spot","symbol":"BTCUSDT","closedSize":"0.5","execFee":"26.3725275","execId":"0ab1bdf7-4219-438b-b30a-32ec863018f7","execPrice":"95900.1","execQty":"0.5","execType":"Trade","execValue":"47950.05","feeRate":"0.00055","tradeIv":"","markIv":"","blockTradeId":"","markPrice":"95901.48","indexPrice":"","underlyingPrice":"","leavesQty":"0","orderId":"9aac161b-8ed6-450d-9cab-c5cc67c21784","orderLinkId":"","orderPrice":"94942.5","orderQty":"0.5","orderType":"Market","stopOrderType":"UNKNOWN","side":"Sell","execTime":"1746270400353","isLeverage":"0","isMaker":false,"seq":140612148849382,"marketUnit":"","execPnl":"0.05","createType":"CreateByUser","extraFees":[{"feeCoin":"USDT","feeType":"GST","subFeeType":"IND_GST","feeRate":"0.0000675","fee":"0.006403779"}],"feeCurrency":"USDT"}]}';
    assert.deepEqual(v5.normalize({ channel: 'execution' }, JSON.parse(exec))[0].payload, {
      category: 'spot', symbol: 'BTCUSDT', execId: '0ab1bdf7-4219-438b-b30a-32ec863018f7', orderId: '9aac161b-8ed6-450d-9cab-c5cc67c21784', clientOrderId: null, side: 'Sell',
      price: 95900.1, qty: 0.5, execValue: 47950.05, fee: 26.3725275, feeRate: 0.00055, feeCoin: 'USDT', execType: 'Trade', orderType: 'Market',
      isMaker: false, seq: 140612148849382, time: 1746270400353,
    });
  });

  it('numbers "string" keeps Bybit\'s decimal strings exactly; strict parsing drops trades whose price or qty is not a decimal', function () {
    // v5/websocket/public/trade.mdx, Stream Example, with the long quantity.
    const frame = JSON.parse('{"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1672304486868,"data":[{"T":1672304486865,"s":"BTCUSDT","S":"Buy","v":"10000000097.1982823144","p":"16578.50","L":"PlusTick","i":"20f43950-d8dd-5b31-9112-a178eb6023af","BT":false,"seq":1783284617}]}');
    const [exact] = v5.normalize({ channel: 'trade', symbol: 'BTCUSDT', numbers: 'string' }, frame);
    assert.deepEqual([payloadOf(exact, 'trade').price, payloadOf(exact, 'trade').qty], ['16578.50', '10000000097.1982823144']);
    const dropped: string[] = [];
    for (const bad of ['abc', '1e400', '0x10', ' 1 ', '', 'Infinity']) {
      const f = JSON.parse(JSON.stringify(frame));
      f.data[0].p = bad;
      for (const numbers of ['number', 'string'] as const) assert.deepEqual(v5.normalize({ channel: 'trade', symbol: 'BTCUSDT', numbers }, f, (r) => dropped.push(r)), [], bad);
    }
    assert.equal(dropped.length, 12);
    // Non-essential fields become null, never NaN or Infinity.
    const t = JSON.parse('{"topic":"tickers.BTCUSDT","ts":1673853746003,"type":"snapshot","cs":2588407389,"data":{"symbol":"BTCUSDT","lastPrice":"abc","highPrice24h":"1e400","lowPrice24h":"0x10","prevPrice24h":" 1 ","volume24h":"6780.866843","turnover24h":"141946527.22907118","price24hPcnt":"0.0196","usdIndexPrice":"21120.2400136"}}');
    const ticker = payloadOf(v5.normalize({ channel: 'ticker', symbol: 'BTCUSDT' }, t)[0], 'ticker');
    assert.deepEqual([ticker.lastPrice, ticker.highPrice24h, ticker.lowPrice24h, ticker.openPrice24h, ticker.change24h], [null, null, null, null, 0.0196]);
  });
});
