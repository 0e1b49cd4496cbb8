/** Spot v3 and spot v1 dialects against the frames of PROTOCOL.md, used as test vectors. */
import assert from 'node:assert/strict';
import { spotV3 } from '../src/dialects/spot-v3';
import { spotV1 } from '../src/dialects/spot-v1';
import { payloadOf } from './support/items';

const ids = () => {
  let n = 10000;
  return () => String(++n);
};

describe('spot v3 dialect', function () {
  it('uses the documented endpoints and refuses the V5-only demo network', function () {
    assert.deepEqual(spotV3.endpoints('mainnet'), { public: 'wss://stream.bybit.com/spot/public/v3', private: 'wss://stream.bybit.com/spot/private/v3' });
    assert.deepEqual(spotV3.endpoints('testnet'), { public: 'wss://stream-testnet.bybit.com/spot/public/v3', private: 'wss://stream-testnet.bybit.com/spot/private/v3' });
    assert.throws(() => spotV3.endpoints('demo'), /only on the V5 API/);
  });

  it('names topics the v3 way, orders as order + stopOrder', function () {
    const keys = (spec: Parameters<typeof spotV3.wireTopics>[0]) => spotV3.wireTopics(spec).map((w) => w.key);
    assert.deepEqual(keys({ channel: 'trade', symbol: 'BTCUSDT' }), ['trade.BTCUSDT']);
    assert.deepEqual(keys({ channel: 'kline', symbol: 'BTCUSDT', interval: '60' }), ['kline.1h.BTCUSDT']);
    assert.deepEqual(keys({ channel: 'kline', symbol: 'BTCUSDT', interval: 'M' }), ['kline.1M.BTCUSDT']);
    assert.deepEqual(keys({ channel: 'orderbook', symbol: 'BTCUSDT', depth: 5 }), ['orderbook.40.BTCUSDT']);
    assert.deepEqual(keys({ channel: 'bookticker', symbol: 'BTCUSDT' }), ['bookticker.BTCUSDT']);
    assert.deepEqual(keys({ channel: 'order' }), ['order', 'stopOrder']);
    assert.deepEqual(keys({ channel: 'execution' }), ['ticketInfo']);
  });

  it('sends 25 topics as 3 requests', function () {
    const keys = Array.from({ length: 25 }, (_, i) => `trade.S${i}USDT`);
    const reqs = spotV3.encodeRequests('subscribe', 'public', keys, ids());
    assert.equal(reqs.length, 3);
    assert.deepEqual(JSON.parse(reqs[0].frame), { req_id: '10001', op: 'subscribe', args: keys.slice(0, 10) });
  });

  it('decodes replies and pong', function () {
    assert.deepEqual(spotV3.decode('{"op":"pong","args":[1661741630642],"req_id":"100001","conn_id":"706b870c"}', 'public'), { kind: 'pong' });
    assert.deepEqual(spotV3.decode('{"op":"subscribe","success":true,"req_id":"10001","ret_msg":"subscribe","conn_id":"46f097b7"}', 'public'), { kind: 'ack', op: 'subscribe', reqId: '10001', accepted: [], refused: [], reason: '', rest: 'accepted' });
    assert.deepEqual(spotV3.decode('{"success":true,"ret_msg":"","op":"auth","conn_id":"c"}', 'private'), { kind: 'auth', success: true, message: '' });
  });

  it('normalizes public frames to the V5 payloads', function () {
    const trade = spotV3.normalize({ channel: 'trade', symbol: 'BTCUSDT' }, JSON.parse('{"topic":"trade.BTCUSDT","type":"snapshot","ts":1661742109863,"data":{"v":"2100000000001992601","t":1661742109857,"p":"19706.87","q":"0.000158","m":true,"type":"0"}}'));
    assert.deepEqual(trade[0].payload, { category: 'spot', symbol: 'BTCUSDT', id: '2100000000001992601', price: 19706.87, qty: 0.000158, side: 'Buy', time: 1661742109857, seq: null, blockTrade: null });
    const kline = spotV3.normalize({ channel: 'kline', symbol: 'BTCUSDT', interval: '60' }, JSON.parse('{"topic":"kline.1h.BTCUSDT","type":"snapshot","ts":1661745259605,"data":{"t":1661742000000,"s":"BTCUSDT","c":"19685.55","h":"19756.95","l":"19674.61","o":"19705.38","v":"0.232154"}}'));
    assert.equal(kline[0].topic, 'kline.60.BTCUSDT');
    assert.deepEqual(kline[0].payload, { category: 'spot', symbol: 'BTCUSDT', interval: '60', start: 1661742000000, open: 19705.38, high: 19756.95, low: 19674.61, close: 19685.55, volume: 0.232154, end: null, turnover: null, confirm: null, time: 1661745259605 });
    const ticker = spotV3.normalize({ channel: 'ticker', symbol: 'BTCUSDT' }, JSON.parse('{"topic":"tickers.BTCUSDT","type":"snapshot","ts":1673853250058,"data":{"t":1673853250055,"s":"BTCUSDT","c":"21086.05","h":"21426.99","l":"20575","o":"20680.49","v":"6781.52117","qv":"141952839.94140046","m":"0.0196","xp":"21098.05015057"}}'));
    assert.deepEqual(ticker[0].payload, { category: 'spot', symbol: 'BTCUSDT', lastPrice: 21086.05, openPrice24h: 20680.49, highPrice24h: 21426.99, lowPrice24h: 20575, volume24h: 6781.52117, turnover24h: Number('141952839.94140046'), change24h: 0.0196, usdIndexPrice: 21098.05015057, time: 1673853250055 });
    const bt = spotV3.normalize({ channel: 'bookticker', symbol: 'BTCUSDT' }, JSON.parse('{"topic":"bookticker.BTCUSDT","type":"snapshot","ts":1661742216109,"data":{"s":"BTCUSDT","bp":"19693.04","bq":"0.913957","ap":"19694.27","aq":"0.705447","t":1661742216108}}'));
    assert.deepEqual(bt[0].payload, { category: 'spot', symbol: 'BTCUSDT', bidPrice: 19693.04, bidQty: 0.913957, askPrice: 19694.27, askQty: 0.705447, time: 1661742216108 });
    const book = spotV3.bookFrame(JSON.parse('{"topic":"orderbook.40.BTCUSDT","type":"snapshot","ts":1661743689735,"data":{"s":"BTCUSDT","t":1661743689733,"b":[["19721.9","0.784806"]],"a":[["19721.91","0.192687"]]}}'));
    assert.deepEqual(book && { kind: book.kind, updateId: book.updateId, time: book.time, bids: book.bids }, { kind: 'snapshot', updateId: null, time: 1661743689733, bids: [['19721.9', '0.784806']] });
  });

  it('normalizes private frames, mapping statuses and sides to V5 words', function () {
    const account = spotV3.normalize({ channel: 'account' }, JSON.parse('{"type":"snapshot","topic":"outboundAccountInfo","ts":"1662107217641","data":[{"e":"outboundAccountInfo","E":"1662107217640","T":true,"W":true,"D":true,"B":[{"a":"USDT","f":"176.81254174","l":"201.575"}]}]}'));
    assert.deepEqual(account[0].payload, { category: 'spot', time: 1662107217640, balances: [{ coin: 'USDT', total: 176.81254174 + 201.575, free: 176.81254174, locked: 201.575, borrowed: null, equity: null, usdValue: null }] });
    const order = spotV3.normalize({ channel: 'order' }, JSON.parse('{"type":"snapshot","topic":"order","ts":"1662348310441","data":[{"e":"order","E":"1662348310441","s":"BTCUSDT","c":"spotx008","S":"BUY","o":"MARKET_OF_QUOTE","f":"GTC","q":"20","p":"0","X":"CANCELED","i":"1238261807653647872","M":"1238225004531834368","l":"0.001007","z":"0.001007","L":"19842.02","n":"0","N":"BTC","u":true,"w":true,"m":false,"O":"1662348310368","Z":"19.98091414","A":"0","C":false,"v":"0","d":"NO_LIQ","t":"2100000000002220938"}]}'));
    assert.deepEqual(order[0].payload, {
      category: 'spot',
      symbol: 'BTCUSDT', orderId: '1238261807653647872', clientOrderId: 'spotx008', side: 'Buy', type: 'Market', timeInForce: 'GTC', price: 0, qty: 20,
      status: 'Cancelled', cumQty: 0.001007, cumQuote: 19.98091414, avgPrice: 19.98091414 / 0.001007, createdTime: 1662348310368, updatedTime: 1662348310441,
      marketUnit: 'quoteCoin', leavesQty: null, fee: 0, triggerPrice: null, stopOrderType: null, rejectReason: null, cancelType: null,
    });
    const fills = spotV3.normalize({ channel: 'execution' }, JSON.parse('{"type":"snapshot","topic":"ticketInfo","ts":"1662348310388","data":[{"e":"ticketInfo","E":"1662348310386","s":"BTCUSDT","q":"0.001007","t":"1662348310373","p":"19842.02","T":"2100000000002220938","o":"1238261807653647872","c":"spotx008","O":"1238225004531834368","a":"533287","A":"642908","m":false,"S":"BUY"}]}'));
    assert.deepEqual(fills[0].payload, { category: 'spot', symbol: 'BTCUSDT', execId: '2100000000002220938', orderId: '1238261807653647872', clientOrderId: 'spotx008', side: 'Buy', price: 19842.02, qty: 0.001007, fee: null, feeCoin: null, isMaker: false, time: 1662348310373,
      execValue: null, feeRate: null, execType: null, orderType: null, seq: null,
    });
    const stop = spotV3.normalize({ channel: 'order' }, { topic: 'stopOrder', data: [{ s: 'BTCUSDT', i: '9', S: 'SELL', o: 'LIMIT', X: 'ORDER_NEW', q: '1', p: '2', z: '0', Z: '0', E: '1', O: '1' }] });
    assert.equal(payloadOf(stop[0], 'order').status, 'Untriggered');
  });
});

describe('spot v1 dialect', function () {
  it('uses the documented endpoints, bookTicker on the v2 path', function () {
    assert.deepEqual(spotV1.endpoints('mainnet'), {
      public: 'wss://stream.bybit.com/spot/quote/ws/v1', public2: 'wss://stream.bybit.com/spot/quote/ws/v2', private: 'wss://stream.bybit.com/spot/ws',
    });
    assert.equal(spotV1.endpoints('custom', { publicUrl: 'ws://127.0.0.1:9/spot/quote/ws/v1' }).public2, 'ws://127.0.0.1:9/spot/quote/ws/v2');
  });

  it('subscribes two symbols with exactly the spec frame', function () {
    const reqs = spotV1.encodeRequests('subscribe', 'public', ['trade|BTCUSDT', 'trade|ETHUSDT'], ids());
    assert.equal(reqs.length, 1);
    assert.equal(reqs[0].frame, '{"symbol":"BTCUSDT,ETHUSDT","topic":"trade","event":"sub","params":{"binary":false}}');
    const cancel = spotV1.encodeRequests('unsubscribe', 'public', ['trade|BTCUSDT'], ids());
    assert.deepEqual(JSON.parse(cancel[0].frame), { symbol: 'BTCUSDT', topic: 'trade', event: 'cancel', params: { binary: false } });
  });

  it('sends one request per topic kind, and bookTicker one symbol per request', function () {
    const reqs = spotV1.encodeRequests('subscribe', 'public', ['trade|BTCUSDT', 'kline_15m|BTCUSDT', 'trade|ETHUSDT'], ids());
    assert.deepEqual(reqs.map((r) => JSON.parse(r.frame).topic), ['trade', 'kline_15m']);
    const bt = spotV1.encodeRequests('subscribe', 'public2', ['bookTicker|BTCUSDT', 'bookTicker|ETHUSDT'], ids());
    assert.deepEqual(bt.map((r) => JSON.parse(r.frame)), [
      { topic: 'bookTicker', event: 'sub', params: { symbol: 'BTCUSDT', binary: false } },
      { topic: 'bookTicker', event: 'sub', params: { symbol: 'ETHUSDT', binary: false } },
    ]);
  });

  it('decodes ping, replies and auth', function () {
    assert.deepEqual(JSON.parse(spotV1.encodePing('1535975085052')), { ping: 1535975085052 });
    assert.deepEqual(spotV1.decode('{"pong":1535975085152}', 'public'), { kind: 'pong' });
    assert.deepEqual(spotV1.decode('{"topic":"trade","event":"sub","symbol":"BTCUSDT","params":{"binary":"false"},"code":"0","msg":"Success"}', 'public'), {
      kind: 'ack', op: 'subscribe', accepted: ['trade|BTCUSDT'], refused: [], reason: '', rest: 'awaited',
    });
    assert.deepEqual(spotV1.decode('{"auth":"success","userId":"1"}', 'private'), { kind: 'auth', success: true, message: 'success' });
    assert.equal((spotV1.decode('{"auth":"fail"}', 'private') as { success: boolean }).success, false);
    assert.deepEqual(JSON.parse(spotV1.encodeAuth('k', 1, 's', 'x')), { op: 'auth', args: ['k', 1, 's'] });
  });

  it('routes kline data by its klineType and splits the first trade message into trades', function () {
    const kline = spotV1.decode('{"symbol":"BTCUSDT","symbolName":"BTCUSDT","topic":"kline","params":{"realtimeInterval":"24h","klineType":"15m","binary":"false"},"data":[{"t":1565595900000,"s":"BTCUSDT","sn":"BTCUSDT","c":"11436.14","h":"11437","l":"11381.89","o":"11381.89","v":"16.3306"}],"f":true,"sendTime":1626252389284}', 'public');
    assert.equal(kline.kind === 'data' && kline.key, 'kline_15m|BTCUSDT');
    const trades = Array.from({ length: 60 }, (_, i) => ({ v: String(i), t: 1625562619577 + i, p: '34924.15', q: '0.00027', m: i % 2 === 0 }));
    const items = spotV1.normalize({ channel: 'trade', symbol: 'BTCUSDT' }, { symbol: 'BTCUSDT', topic: 'trade', data: trades, f: true });
    assert.equal(items.length, 60);
    assert.deepEqual(items[1].payload, { category: 'spot', symbol: 'BTCUSDT', id: '1', price: 34924.15, qty: 0.00027, side: 'Sell', time: 1625562619578, seq: null, blockTrade: null });
  });

  it('normalizes realtimes, depth and bookTicker', function () {
    const rt = spotV1.normalize({ channel: 'ticker', symbol: 'BTCUSDT' }, JSON.parse('{"symbol":"BTCUSDT","symbolName":"BTCUSDT","topic":"realtimes","params":{"realtimeInterval":"24h","binary":"false"},"data":[{"t":1673852936684,"s":"BTCUSDT","sn":"BTCUSDT","c":"21082.22","h":"21426.99","l":"20575","o":"20689.11","v":"6772.990042","qv":"141768159.45007801","m":"0.0190","e":301,"xp":"21092.15001144"}],"f":true,"sendTime":1673852937236}'));
    assert.equal(payloadOf(rt[0], 'ticker').lastPrice, 21082.22);
    assert.equal(payloadOf(rt[0], 'ticker').time, 1673852936684);
    const depth = spotV1.bookFrame(JSON.parse('{"symbol":"BTCUSDT","symbolName":"BTCUSDT","topic":"depth","params":{"realtimeInterval":"24h","binary":"false"},"data":[{"e":301,"s":"BTCUSDT","t":1565600357643,"v":"112801745_18","b":[["11371.49","0.0014"],["11371.12","0.2"]],"a":[["11375.41","0.0053"]],"o":0}],"f":true,"sendTime":1626253839401}'));
    assert.equal(depth?.kind, 'snapshot');
    assert.equal(depth?.bids.length, 2);
    const bt = spotV1.decode('{"topic":"bookTicker","params":{"symbol":"BTCUSDT","binary":"false","symbolName":"BTCUSDT"},"data":{"symbol":"BTCUSDT","bidPrice":"9797.79","bidQty":"0.177976","askPrice":"9799","askQty":"0.65","time":1582001830346}}', 'public2');
    assert.equal(bt.kind === 'data' && bt.key, 'bookTicker|BTCUSDT');
    const item = spotV1.normalize({ channel: 'bookticker', symbol: 'BTCUSDT' }, bt.kind === 'data' ? bt.frame : null)[0];
    assert.deepEqual(item.payload, { category: 'spot', symbol: 'BTCUSDT', bidPrice: 9797.79, bidQty: 0.177976, askPrice: 9799, askQty: 0.65, time: 1582001830346 });
  });

  it('splits a private array by event type', function () {
    const decoded = spotV1.decode(JSON.stringify([
      { e: 'executionReport', E: '2', s: 'BTCUSDT', i: '1', S: 'SELL', o: 'LIMIT', X: 'PARTIALLY_FILLED', q: '1', p: '3', z: '0.5', Z: '1.5', O: '1' },
      { e: 'ticketInfo', E: '2', s: 'BTCUSDT', q: '0.5', t: '2', p: '3', T: 't1', o: '1', m: true, S: 'SELL' },
    ]), 'private');
    assert.equal(decoded.kind, 'multi');
    if (decoded.kind !== 'multi') return;
    assert.deepEqual(decoded.events.map((e) => e.key), ['executionReport', 'ticketInfo']);
    const [order] = spotV1.normalize({ channel: 'order' }, decoded.events[0].frame);
    assert.equal(payloadOf(order, 'order').status, 'PartiallyFilled');
    assert.equal(payloadOf(order, 'order').avgPrice, 3);
  });
});

describe('spot v3 / v1 stop orders and v1 order events as Bybit documents them', function () {
  it('v3 stopOrder: created time from T, updated from C, no fill figures (null, never NaN)', function () {
    // legacy/source/includes/spot/v3/_websockets.md, "stopOrder" response example.
    const frame = JSON.parse('{"type":"snapshot","topic":"stopOrder","ts":"1662107217667","data":[{"e":"stopOrder","E":"1662107217667","s":"BTCUSDT","c":"spot01","S":"BUY","o":"LIMIT","f":"GTC","q":"0.01","p":"20157.5","X":"ORDER_NEW","i":"1236239375040308480","T":"1662107217613","t":"0","C":"1662107217613","qp":"20157.86","eo":"1236239375040308481","ti":"0ef565e40fb3127b0b2951973d93d0d3","si":"f79e810f69822d81"}]}');
    const [item] = spotV3.normalize({ channel: 'order' }, frame);
    assert.deepEqual(item.payload, {
      category: 'spot',
      symbol: 'BTCUSDT', orderId: '1236239375040308480', clientOrderId: 'spot01', side: 'Buy', type: 'Limit', timeInForce: 'GTC', price: 20157.5, qty: 0.01,
      marketUnit: null, status: 'Untriggered', cumQty: null, cumQuote: null, avgPrice: null, leavesQty: null, fee: null, triggerPrice: null,
      stopOrderType: null, rejectReason: null, cancelType: null, createdTime: 1662107217613, updatedTime: 1662107217613,
    });
  });

  it('v1 stop_executionReport: created time from T, cancelled stop is Deactivated, ORDER_FAILED is Rejected', function () {
    // legacy/source/includes/spot/v1/_websockets.md, "stop_executionReport" response example.
    const text = '[{"e":"stop_executionReport","E":"1660031832249","s":"BTCUSDT","c":"1660031262869","S":"BUY","o":"MARKET_OF_QUOTE","f":"GTC","q":"0","p":"0","X":"ORDER_CANCELED","i":"1218825007084354304","T":"1660031263181","t":"0","C":"1660031832223","qp":"23668.86","eo":"1218825007084354305","ti":"4add1fe84e577026","si":"bc86964648a3c395"}]';
    const decoded = spotV1.decode(text, 'private');
    assert.ok(decoded.kind === 'multi');
    const [item] = spotV1.normalize({ channel: 'order' }, decoded.events[0].frame);
    assert.deepEqual(item.payload, {
      category: 'spot',
      symbol: 'BTCUSDT', orderId: '1218825007084354304', clientOrderId: '1660031262869', side: 'Buy', type: 'Market', timeInForce: 'GTC', price: 0, qty: 0,
      marketUnit: 'quoteCoin', status: 'Deactivated', cumQty: null, cumQuote: null, avgPrice: null, leavesQty: null, fee: null, triggerPrice: null,
      stopOrderType: null, rejectReason: null, cancelType: null, createdTime: 1660031263181, updatedTime: 1660031832223,
    });
    // legacy/source/includes/spot/v1/_enums.md, "Order status": ORDER_FAILED (a stop order that failed).
    const failed = spotV1.decode(text.replace('ORDER_CANCELED', 'ORDER_FAILED'), 'private');
    assert.ok(failed.kind === 'multi');
    assert.equal(payloadOf(spotV1.normalize({ channel: 'order' }, failed.events[0].frame)[0], 'order').status, 'Rejected');
  });

  it('v1 executionReport printed as a bare object decodes like an array of one', function () {
    // legacy/source/includes/spot/v1/_websockets.md, "executionReport" response example (a bare object).
    const decoded = spotV1.decode('{"e":"executionReport","E":"1661505745347","s":"BITUSDT","c":"1661505744705","S":"BUY","o":"MARKET_OF_QUOTE","f":"GTC","q":"20","p":"0","X":"CANCELED","i":"1231193858535151104","M":"1231190924099373824","l":"14.16","z":"14.16","L":"1.4121","n":"0.01416","N":"BIT","u":true,"w":true,"m":true,"O":"1661505745176","Z":"19.995336","A":"0","C":false,"v":"0","d":"NO_LIQ","t":"2120000000001252630"}', 'private');
    assert.ok(decoded.kind === 'multi');
    assert.deepEqual(decoded.events.map((e) => e.key), ['executionReport']);
    const [item] = spotV1.normalize({ channel: 'order' }, decoded.events[0].frame);
    assert.deepEqual(item.payload, {
      category: 'spot',
      symbol: 'BITUSDT', orderId: '1231193858535151104', clientOrderId: '1661505744705', side: 'Buy', type: 'Market', timeInForce: 'GTC', price: 0, qty: 20,
      marketUnit: 'quoteCoin', status: 'Cancelled', cumQty: 14.16, cumQuote: 19.995336, avgPrice: 19.995336 / 14.16, leavesQty: null, fee: 0.01416,
      triggerPrice: null, stopOrderType: null, rejectReason: null, cancelType: null, createdTime: 1661505745176, updatedTime: 1661505745347,
    });
  });
});
