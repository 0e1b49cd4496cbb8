/** The V5 dialect against the frames of PROTOCOL.md, used as test vectors. */
import assert from 'node:assert/strict';
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
    assert.deepEqual(v5.decode('{"req_id":"1","op":"pong","args":["1675418560633"],"conn_id":"c"}', 'private'), { kind: 'pong' });
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
    assert.deepEqual(items[0].payload, { category: 'spot', symbol: 'BTCUSDT', id: '20f43950-d8dd-5b31-9112-a178eb6023af', price: 16578.5, qty: 0.001, side: 'Buy', time: 1672304486865 });
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
    assert.deepEqual(item.payload, { category: 'spot', symbol: 'BTCUSDT', interval: '5', start: 1672324800000, open: 16649.5, high: 16677, low: 16608, close: 16677, volume: 2.081, turnover: 34666.4005, confirm: false, time: 1672324988882 });
  });

  it('reads order-book snapshots and deltas', function () {
    const snap = v5.bookFrame(JSON.parse('{"topic":"orderbook.50.BTCUSDT","ts":1672304484978,"type":"snapshot","cts":1672304484976,"data":{"s":"BTCUSDT","b":[["16493.50","0.006"],["16493.00","0.100"]],"a":[["16611.00","0.029"]],"u":18521288,"seq":7961638724}}'));
    assert.equal(snap?.kind, 'snapshot');
    assert.equal(snap?.updateId, 18521288);
    assert.deepEqual(snap?.bids[0], ['16493.50', '0.006']);
    const delta = v5.bookFrame(JSON.parse('{"topic":"orderbook.50.BTCUSDT","ts":1687940967466,"type":"delta","cts":1687940967464,"data":{"s":"BTCUSDT","b":[["30240.00","0"]],"a":[["30248.70","0.5"]],"u":18521289,"seq":66544703342}}'));
    assert.equal(delta?.kind, 'delta');
    assert.equal(delta?.updateId, 18521289);
  });

  it('normalizes private wallet, order and execution frames', function () {
    const wallet = JSON.parse('{"id":"x","topic":"wallet","creationTime":1700034722104,"data":[{"accountType":"UNIFIED","totalEquity":"3.31","coin":[{"coin":"BTC","equity":"0.5","walletBalance":"0.5","locked":"0.1","usdValue":"18000"}]}]}');
    assert.deepEqual(v5.normalize({ channel: 'account' }, wallet)[0].payload, { category: 'spot', time: 1700034722104, balances: [{ coin: 'BTC', total: 0.5, free: 0.4, locked: 0.1 }] });
    const order = JSON.parse('{"id":"y","topic":"order","creationTime":1672364262474,"data":[{"category":"spot","symbol":"BTCUSDT","orderId":"1321052653536515584","orderLinkId":"my-1","side":"Buy","orderType":"Limit","price":"30000","qty":"0.01","timeInForce":"GTC","orderStatus":"PartiallyFilled","avgPrice":"30000","leavesQty":"0.005","cumExecQty":"0.005","cumExecValue":"150","cumFeeDetail":{"BTC":"0.000005"},"createdTime":"1672364262444","updatedTime":"1672364262457"}]}');
    const [o] = v5.normalize({ channel: 'order' }, order);
    assert.equal(o.topic, 'order.BTCUSDT');
    assert.deepEqual(o.payload, {
      category: 'spot',
      symbol: 'BTCUSDT', orderId: '1321052653536515584', clientOrderId: 'my-1', side: 'Buy', type: 'Limit', timeInForce: 'GTC', price: 30000, qty: 0.01,
      status: 'PartiallyFilled', cumQty: 0.005, cumQuote: 150, avgPrice: 30000, createdTime: 1672364262444, updatedTime: 1672364262457,
    });
    const exec = JSON.parse('{"id":"z","topic":"execution","creationTime":1672364174455,"data":[{"category":"spot","symbol":"BTCUSDT","orderId":"1321052653536515584","orderLinkId":"my-1","side":"Buy","execId":"e0cbe81d-0f18-5866-9415-cf319b5dab3b","execPrice":"30000","execQty":"0.005","execValue":"150","execFee":"0.000005","feeCurrency":"BTC","isMaker":false,"execType":"Trade","execTime":"1672364174443","seq":4688002127}]}');
    assert.deepEqual(v5.normalize({ channel: 'execution' }, exec)[0].payload, {
      category: 'spot',
      symbol: 'BTCUSDT', execId: 'e0cbe81d-0f18-5866-9415-cf319b5dab3b', orderId: '1321052653536515584', clientOrderId: 'my-1', side: 'Buy',
      price: 30000, qty: 0.005, fee: 0.000005, feeCoin: 'BTC', isMaker: false, time: 1672364174443,
    });
  });
});
