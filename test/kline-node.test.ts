/**
 * bybit-kline in the real Node-RED runtime against the simulator: candle updates and closes,
 * "closed candles only", other intervals by msg.interval, and invalid intervals in the config
 * or in a msg.
 */
import assert from 'node:assert/strict';
import type { KlinePayload } from '../src/dialects';
import type { Simulator } from '../src/simulator';
import { catcher, collect, completer, connection, getNode, helper, inject, loadFlow, nextMsg, paletteNode, SHARED, simulatorPerTest, type Msg } from './support/flows';

/** A flow msg's payload is whatever the node sent: the kline node sends a KlinePayload. */
const kline = (m: Msg): KlinePayload => m.payload as KlinePayload;

function callsOf(id: string, method: 'status' | 'error'): unknown[][] {
  const node = helper.getNode(id);
  return node[method].getCalls().filter((c: { thisValue: unknown }) => c.thisValue === node).map((c: { args: unknown[] }) => c.args);
}

function subscribeOps(sim: Simulator, from = 0): string[] {
  return sim.requests.slice(from).filter((r) => r.op === 'subscribe' || r.op === 'unsubscribe').map((r) => `${r.op} ${(r.args ?? []).join(',')}`);
}

describe('kline node', function () {
  let sim: Simulator;

  simulatorPerTest({ tickMs: 0 }, (s) => (sim = s));

  it('sends each candle update with confirm false, and the close with confirm true', async function () {
    const subscribed = sim.waitFor('subscribe');
    await loadFlow([connection(sim), ...paletteNode('bybit-kline', { interval: '5' })]);
    assert.deepEqual((await subscribed).topics, ['kline.5.BTCUSDT']);
    const update = nextMsg('n1-out');
    sim.step();
    const m = await update;
    assert.equal(m.topic, 'kline.5.BTCUSDT');
    assert.equal(m.symbol, 'BTCUSDT');
    const k = kline(m);
    assert.deepEqual(Object.keys(k).sort(), ['category', 'close', 'confirm', 'end', 'high', 'interval', 'low', 'open', 'start', 'symbol', 'time', 'turnover', 'volume']);
    assert.equal(k.interval, '5');
    assert.equal(k.confirm, false);
    assert.equal(k.start % 300_000, 0, 'a 5-minute boundary');
    assert.ok(k.low <= k.open && k.open <= k.high && k.low <= k.close && k.close <= k.high);

    const closed = nextMsg('n1-out', (x) => kline(x).confirm === true);
    const next = nextMsg('n1-out', (x) => kline(x).start > k.start);
    sim.closeCandle('kline.5.BTCUSDT');
    assert.equal(kline(await closed).start, k.start, 'the running candle closed');
    assert.equal(kline(await next).confirm, false, 'and the next one opened');
  });

  it('with "closed candles only" sends only confirmed candles', async function () {
    const subscribed = sim.waitFor('subscribe');
    await loadFlow([
      connection(sim),
      ...paletteNode('bybit-kline', { interval: '1', closedOnly: true }, 'closed'),
      ...paletteNode('bybit-kline', { interval: '1' }, 'all'),
    ]);
    await subscribed;
    const onlyClosed = collect('closed-out');
    const every = collect('all-out');
    for (let round = 0; round < 3; round++) {
      // Both nodes share the socket: once `all` has seen a frame, `closed` has seen it too.
      for (let i = 0; i < 4; i++) {
        const seen = nextMsg('all-out');
        sim.step();
        await seen;
      }
      const closedSeen = nextMsg('closed-out');
      const allSawClose = nextMsg('all-out', (m) => kline(m).confirm === true);
      sim.closeCandle('kline.1.BTCUSDT');
      await Promise.all([closedSeen, allSawClose]);
    }
    const finalSeen = nextMsg('all-out');
    sim.step();
    await finalSeen;
    const closed = onlyClosed.stop();
    const all = every.stop();
    assert.equal(closed.length, 3);
    assert.ok(closed.every((m) => kline(m).confirm === true && m.topic === 'kline.1.BTCUSDT'));
    assert.deepEqual(closed.map((m) => kline(m).start), all.filter((m) => kline(m).confirm === true).map((m) => kline(m).start));
    assert.ok(all.filter((m) => kline(m).confirm === false).length >= 15, 'the other node got the running updates');
  });

  for (const [api, path] of [['spot-v3', '/spot/public/v3'], ['spot-v1', '/spot/quote/ws/v1']]) {
    it(`with "closed candles only" on ${api}, which has no confirm flag, sends each candle once the next one starts`, async function () {
      const subscribed = sim.waitFor('subscribe');
      await loadFlow([
        connection(sim, { api, publicUrl: sim.url(path) }),
        ...paletteNode('bybit-kline', { interval: '1', closedOnly: true }, 'closed'),
        ...paletteNode('bybit-kline', { interval: '1' }, 'all'),
      ]);
      await subscribed;
      const onlyClosed = collect('closed-out');
      const every = collect('all-out');
      const starts: number[] = [];
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 3; i++) {
          const seen = nextMsg('all-out');
          sim.step();
          await seen;
        }
        starts.push(kline(every.msgs[every.msgs.length - 1]).start);
        const next = nextMsg('all-out', (m) => kline(m).start > starts[starts.length - 1]);
        sim.closeCandle('kline.1.BTCUSDT');
        sim.step();
        await next;
      }
      if (onlyClosed.msgs.length < 3) await nextMsg('closed-out', () => onlyClosed.msgs.length >= 3);
      const closed = onlyClosed.stop();
      const all = every.stop();
      assert.ok(all.every((m) => kline(m).confirm === null), 'the dialect itself never says');
      assert.deepEqual(closed.map((m) => kline(m).start), starts);
      assert.ok(closed.every((m) => kline(m).confirm === true && m.topic === 'kline.1.BTCUSDT'));
      // Each closed candle is the last update the other node saw for that start.
      for (const c of closed) {
        const last = all.filter((m) => kline(m).start === kline(c).start).pop()!;
        assert.deepEqual({ ...kline(c), confirm: null }, kline(last));
      }
    });
  }

  it('subscribes other intervals by msg.interval, lists them, and unsubscribes by symbol or by interval', async function () {
    let sub = sim.waitFor('subscribe');
    await loadFlow([connection(sim), ...paletteNode('bybit-kline', { interval: '5' }), ...completer(['n1'])]);
    await sub;
    sub = sim.waitFor('subscribe');
    await inject('n1', { action: 'subscribe', symbol: 'BTCUSDT', interval: '1' });
    assert.deepEqual((await sub).topics, ['kline.1.BTCUSDT']);
    sub = sim.waitFor('subscribe');
    await inject('n1', { action: 'subscribe', symbol: 'ETHUSDT', interval: 15 });
    assert.deepEqual((await sub).topics, ['kline.15.ETHUSDT'], 'a number names its interval word');
    sub = sim.waitFor('subscribe');
    await inject('n1', { action: 'subscribe', symbol: 'ETHUSDT', interval: 'D' });
    assert.deepEqual((await sub).topics, ['kline.D.ETHUSDT']);

    const daily = nextMsg('n1-out', (m) => m.topic === 'kline.D.ETHUSDT');
    sim.step();
    assert.equal(kline(await daily).interval, 'D');

    const listed = nextMsg('n1-out', (m) => m.topic === 'subscriptions');
    await inject('n1', { action: 'list' });
    const list = await listed;
    assert.deepEqual([...(list.payload as string[])].sort(), ['BTCUSDT', 'BTCUSDT', 'ETHUSDT', 'ETHUSDT']);
    assert.deepEqual([...(list.topics as string[])].sort(), ['kline.1.BTCUSDT', 'kline.15.ETHUSDT', 'kline.5.BTCUSDT', 'kline.D.ETHUSDT']);

    let mark = sim.requests.length;
    let unsub = sim.waitFor('unsubscribe');
    await inject('n1', { action: 'unsubscribe', symbol: 'ETHUSDT', interval: '15' });
    await unsub;
    assert.deepEqual(subscribeOps(sim, mark), ['unsubscribe kline.15.ETHUSDT'], 'with an interval: that one only');

    mark = sim.requests.length;
    unsub = sim.waitFor('unsubscribe');
    await inject('n1', { action: 'unsubscribe', symbol: 'BTCUSDT' });
    await unsub;
    const gone = sim.requests.slice(mark).filter((r) => r.op === 'unsubscribe').flatMap((r) => r.args ?? []);
    assert.deepEqual(gone.sort(), ['kline.1.BTCUSDT', 'kline.5.BTCUSDT'], 'without: every interval of that symbol');
    assert.deepEqual(sim.subscriptions(), ['kline.D.ETHUSDT']);
  });

  it('shows an invalid configured interval in red, subscribes nothing, and answers every msg with that mistake', async function () {
    await loadFlow([connection(sim), ...paletteNode('bybit-kline', { interval: '7' }), ...catcher()]);
    const statuses = callsOf('n1', 'status').map((a) => a[0] as { fill?: string; text?: string });
    assert.ok(statuses.some((s) => s.fill === 'red' && s.text === `${SHARED}status.intervalInvalid`), JSON.stringify(statuses));
    assert.ok(callsOf('n1', 'error').some((a) => a[0] === `${SHARED}errors.intervalInvalid`));
    assert.equal(sim.connectionAttempts(), 0, 'nothing subscribed');

    // Until the config is fixed, a msg naming a good interval is refused too: the node started nothing.
    for (const msg of [{ action: 'subscribe', symbol: 'BTCUSDT' }, { action: 'subscribe', symbol: 'BTCUSDT', interval: '60' }, { action: 'list' }]) {
      const caught = nextMsg('caught', (m) => m.error?.message.startsWith('Error: ') === true);
      getNode('n1').receive(msg);
      assert.equal((await caught).error?.message, `Error: ${SHARED}errors.intervalInvalid`, JSON.stringify(msg));
    }
    assert.equal(sim.connectionAttempts(), 0);
  });

  it('rejects a bad msg.interval with done(err) and changes nothing', async function () {
    const subscribed = sim.waitFor('subscribe');
    await loadFlow([connection(sim), ...paletteNode('bybit-kline', { interval: '5' }), ...catcher()]);
    await subscribed;
    const mark = sim.requests.length;
    for (const interval of ['7', 'd', 'm', '1m', '', ' 5', 7, 5.5, null, true, ['5'], { v: '5' }]) {
      for (const action of ['subscribe', 'unsubscribe']) {
        const caught = nextMsg('caught');
        getNode('n1').receive({ action, symbol: 'BTCUSDT', interval });
        assert.equal((await caught).error?.message, `Error: ${SHARED}errors.intervalInvalid`, `${action} ${JSON.stringify(interval)}`);
      }
    }
    // Still streaming the configured interval, and nothing went to the server.
    const update = nextMsg('n1-out', (m) => m.topic === 'kline.5.BTCUSDT');
    sim.step();
    await update;
    assert.deepEqual(subscribeOps(sim, mark), []);
    assert.deepEqual(sim.subscriptions(), ['kline.5.BTCUSDT']);
  });
});
