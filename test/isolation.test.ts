/**
 * One failing callback cannot stop a stream (issue 13 item 1): whatever a node's handler or a
 * throttle's send throws is caught where the engine calls into its user, reported, and the
 * stream goes on; a throttle window holds a bounded number of items; three 250,000-item
 * wallet pushes fold without a call-stack overflow.
 */
import assert from 'node:assert/strict';
import { BybitClient } from '../src/engine';
import { nestedDeeper, resolveLimits, DEFAULT_LIMITS } from '../src/engine/limits';
import { getDialect, type OutputItem } from '../src/dialects';
import { startSimulator, type Simulator } from '../src/simulator';
import { mergeAccountItems } from '../nodes/common/private-node';
import { Throttle } from '../nodes/common/throttle';

function once<T>(register: (resolve: (v: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve) => register(resolve));
}

describe('isolation and limits', function () {
  it('a throttle whose send throws in its timer reports it and keeps every later window', async function () {
    const errors: Error[] = [];
    const sent: number[][] = [];
    let fail = true;
    const flushed = once<void>((resolve) => {
      const throttle = new Throttle<number>(20, (_t, values) => {
        if (values.length > 1 && fail) {
          fail = false;
          throw new RangeError('Maximum call stack size exceeded');
        }
        sent.push([...values]);
        if (sent.length === 2) resolve();
      }, true, { onError: (err) => errors.push(err) });
      throttle.push('t', 1);
      throttle.push('t', 2);
      throttle.push('t', 3); // the window's send throws in the timer
      // The next window (opened by the failed send) still collects and sends.
      setTimeout(() => {
        throttle.push('t', 4);
        throttle.push('t', 5);
      }, 30);
    });
    await flushed;
    assert.deepEqual(errors.map((e) => e.message), ['Maximum call stack size exceeded']);
    assert.deepEqual(sent, [[1], [4, 5]]);
  });

  it('sends a collecting window early when it holds the most items allowed, and counts it', function () {
    const sent: number[] = [];
    const throttle = new Throttle<number>(60_000, (_t, values) => sent.push(values.length), true, { maxItems: 1000 });
    for (let i = 0; i < 3001; i++) throttle.push('t', i);
    throttle.clear();
    assert.deepEqual(sent, [1, 1000, 1000, 1000]);
    assert.deepEqual(throttle.stats, { earlyFlushes: 3, earlyItems: 3000 });
  });

  it('folds three account pushes of 250,000 raw items each without overflowing the call stack', function () {
    const raw = Array.from({ length: 250_000 }, (_, i) => ({ accountType: 'UNIFIED', n: i }));
    // A documented-shape wallet push (websocket/private/wallet.mdx, trimmed), its raw swapped for 250,000 items.
    const wallet = (coin: string) => ({ topic: 'wallet', creationTime: 1, data: [{ accountType: 'UNIFIED', coin: [{ coin, walletBalance: '1', locked: '0' }] }] });
    const item = (coin: string): OutputItem => ({ ...getDialect('v5').normalize({ channel: 'account' }, wallet(coin))[0], raw });
    const merged = mergeAccountItems([item('BTC'), item('ETH'), item('BTC')]);
    assert.equal((merged.raw as unknown[]).length, 750_000);
    assert.deepEqual((merged.payload as { balances: { coin: string }[] }).balances.map((b) => b.coin), ['BTC', 'ETH']);
  });

  it('finds nesting deeper than the limit in a parsed frame, whatever its depth and the limit', function () {
    const depth = (text: string, limit: number) => nestedDeeper(JSON.parse(text), limit);
    assert.equal(depth('{"a":[{"b":[1]}]}', 4), false);
    assert.equal(depth('{"a":[{"b":[1]}]}', 3), true);
    assert.equal(depth('{"a":"[[[[[[\\"[[[["}', 1), false);
    assert.equal(depth('[[], {"x": {}}, 1]', 3), false);
    assert.equal(depth('[[], {"x": {}}, 1]', 2), true);
    // JSON.parse takes any depth; the check stops at the limit, so a million levels cannot overflow the stack.
    assert.equal(depth(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`, 32), true);
  });

  it('keeps the defaults for limits that are not positive numbers', function () {
    assert.deepEqual(resolveLimits({ maxFrameBytes: -1, maxNesting: 'x', throttleItems: 500 }), { ...DEFAULT_LIMITS, throttleItems: 500 });
  });

  describe('engine callbacks', function () {
    let sim: Simulator;
    let client: BybitClient;

    beforeEach(async function () {
      sim = await startSimulator({ port: 0, seed: 7, tickMs: 0 });
      client = new BybitClient({ network: 'custom', publicUrl: sim.url('/v5/public/spot') });
    });
    afterEach(async function () {
      await client.close();
      await sim.close();
    });

    it('a node whose items handler throws hears it through failed; the other node on the topic still gets every item', async function () {
      const failures: Error[] = [];
      const got: string[] = [];
      const spec = { channel: 'trade' as const, symbol: 'BTCUSDT' };
      const bad = client.subscriber({ items: () => { throw new TypeError('handler bug'); }, failed: (err) => failures.push(err) });
      const both = once<void>((resolve) => {
        const good = client.subscriber({ items: (_s, items) => { for (const i of items) got.push(i.topic); if (got.length >= 2) resolve(); } });
        void good.add(spec);
      });
      await bad.add(spec);
      sim.sendRaw(JSON.stringify({ topic: 'publicTrade.BTCUSDT', ts: 1, type: 'snapshot', data: [{ T: 1, s: 'BTCUSDT', S: 'Buy', v: '1', p: '1', i: 'a', BT: false }] }));
      sim.sendRaw(JSON.stringify({ topic: 'publicTrade.BTCUSDT', ts: 2, type: 'snapshot', data: [{ T: 2, s: 'BTCUSDT', S: 'Buy', v: '1', p: '1', i: 'b', BT: false }] }));
      await both;
      assert.ok(failures.length >= 2 && failures.every((e) => e.message === 'handler bug'));
      assert.deepEqual(got, ['trade.BTCUSDT', 'trade.BTCUSDT']);
    });

    it('an item naming another symbol than the subscription is counted as malformed and never delivered', async function () {
      const got: string[] = [];
      const malformed = once<string>((resolve) => client.on('malformed', (reason) => resolve(reason)));
      const sub = client.subscriber({ items: (_s, items) => got.push(...items.map((i) => i.symbol)) });
      await sub.add({ channel: 'trade', symbol: 'BTCUSDT' });
      sim.sendRaw(JSON.stringify({ topic: 'publicTrade.BTCUSDT', ts: 1, type: 'snapshot', data: [{ T: 1, s: 'ETHUSDT', S: 'Buy', v: '1', p: '1', i: 'x', BT: false }] }));
      assert.match(await malformed, /publicTrade\.BTCUSDT item\(s\) for another symbol/);
      assert.deepEqual(got, []);
    });
  });
});
