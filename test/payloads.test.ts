/**
 * The one msg.topic rule (src/dialects/payloads.ts): every dialect's items and every node's
 * `list` reply name topics through messageTopic, so the words are the same everywhere.
 */
import assert from 'node:assert/strict';
import { getDialect, isItemOf, messageTopic, type ApiName } from '../src/dialects';

describe('msg.topic: one rule', function () {
  it('names a topic <channel>[.<interval>].<SYMBOL>, and a private stream without a symbol by its channel', function () {
    assert.equal(messageTopic({ channel: 'trade', symbol: 'BTCUSDT' }, 'BTCUSDT'), 'trade.BTCUSDT');
    assert.equal(messageTopic({ channel: 'kline', symbol: 'BTCUSDT', interval: 'D' }, 'BTCUSDT'), 'kline.D.BTCUSDT');
    assert.equal(messageTopic({ channel: 'orderbook', symbol: 'ETHUSDT', depth: 200 }, 'ETHUSDT'), 'orderbook.ETHUSDT', 'the depth is not part of it');
    assert.equal(messageTopic({ channel: 'order' }, 'SOLUSDT'), 'order.SOLUSDT', 'a private item names its own symbol');
    assert.equal(messageTopic({ channel: 'account' }, ''), 'account');
  });

  it('gives every dialect\'s kline items the topic of the subscription, with its channel to narrow by', function () {
    const frames: Record<ApiName, unknown> = {
      v5: { topic: 'kline.5.BTCUSDT', ts: 1, data: [{ start: 1, open: '1', high: '1', low: '1', close: '1', volume: '1', turnover: '1', confirm: false, timestamp: 1 }] },
      'spot-v3': { topic: 'kline.5m.BTCUSDT', ts: 1, data: { t: 1, s: 'BTCUSDT', o: '1', h: '1', l: '1', c: '1', v: '1' } },
      'spot-v1': { symbol: 'BTCUSDT', topic: 'kline', params: { klineType: '5m' }, data: [{ t: 1, s: 'BTCUSDT', o: '1', h: '1', l: '1', c: '1', v: '1' }], sendTime: 1 },
    };
    for (const [api, frame] of Object.entries(frames)) {
      const [item] = getDialect(api).normalize({ channel: 'kline', symbol: 'BTCUSDT', interval: '5' }, frame);
      assert.equal(item?.topic, 'kline.5.BTCUSDT', api);
      assert.ok(item && isItemOf(item, 'kline') && item.payload.interval === '5', `${api}: a kline item in V5 words`);
    }
  });
});
