import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { startSimulator, type Simulator } from '../src/simulator';
import { FrameClient, type Frame } from '../src/simulator/test-client';

const PUBLIC = '/v5/public/spot';

/** Everything the server sent before this returns has arrived (frames on one socket are ordered). */
async function flush(c: FrameClient, id = 'flush'): Promise<void> {
  await c.request({ op: 'ping', req_id: id }, (f) => f.op === 'ping' && f.req_id === id);
}

const isReply = (op: string, reqId?: string) => (f: Frame) => f.op === op && 'success' in f && (reqId === undefined || f.req_id === reqId);

describe('simulator: V5 public', () => {
  let sim: Simulator;
  let client: FrameClient;

  beforeEach(async () => {
    sim = await startSimulator({ tickMs: 0, seed: 42 });
    client = await FrameClient.connect(sim.url(PUBLIC));
  });

  afterEach(async () => {
    await client.close();
    await sim.close();
  });

  describe('requests and replies', () => {
    it('answers ping with pong, echoing req_id only when sent', async () => {
      const pong = await client.request({ op: 'ping', req_id: 'x' }, isReply('ping'));
      assert.deepEqual(Object.keys(pong), ['success', 'ret_msg', 'conn_id', 'req_id', 'op']);
      assert.equal(pong.success, true);
      assert.equal(pong.ret_msg, 'pong');
      assert.equal(pong.req_id, 'x');
      assert.equal(typeof pong.conn_id, 'string');
      const bare = await client.request({ op: 'ping' }, isReply('ping'));
      assert.equal('req_id' in bare, false);
      assert.equal(bare.conn_id, pong.conn_id);
    });

    it('records every frame and emits request / connection events', async () => {
      const seen = sim.waitFor('request', (r) => r.op === 'subscribe');
      client.send({ op: 'subscribe', req_id: 'r', args: ['tickers.BTCUSDT'] });
      const rec = await seen;
      assert.equal(rec.path, PUBLIC);
      assert.deepEqual(rec.args, ['tickers.BTCUSDT']);
      assert.equal(sim.requests.at(-1), rec);
      const conn = sim.waitFor('connection');
      const other = await FrameClient.connect(sim.url(PUBLIC));
      assert.equal((await conn).path, PUBLIC);
      assert.equal(sim.clientCount(PUBLIC), 2);
      assert.equal(sim.connectionAttempts(PUBLIC), 2);
      const gone = sim.waitFor('disconnect');
      await other.close();
      await gone;
      assert.equal(sim.clientCount(), 1);
    });

    it('subscribes and unsubscribes with echoed req_id', async () => {
      const sub = sim.waitFor('subscribe');
      const reply = await client.request({ op: 'subscribe', req_id: 's1', args: ['orderbook.50.BTCUSDT', 'publicTrade.BTCUSDT'] }, isReply('subscribe'));
      assert.deepEqual(reply, { success: true, ret_msg: 'subscribe', conn_id: reply.conn_id, req_id: 's1', op: 'subscribe' });
      assert.deepEqual((await sub).topics, ['orderbook.50.BTCUSDT', 'publicTrade.BTCUSDT']);
      assert.deepEqual(sim.subscriptions(PUBLIC), ['orderbook.50.BTCUSDT', 'publicTrade.BTCUSDT']);

      const unsub = sim.waitFor('unsubscribe');
      const r2 = await client.request({ op: 'unsubscribe', req_id: 'u1', args: ['publicTrade.BTCUSDT'] }, isReply('unsubscribe'));
      assert.equal(r2.success, true);
      assert.equal(r2.ret_msg, 'unsubscribe');
      assert.equal(r2.req_id, 'u1');
      assert.deepEqual((await unsub).topics, ['publicTrade.BTCUSDT']);
      assert.deepEqual(sim.subscriptions(), ['orderbook.50.BTCUSDT']);
    });

    it('accepts every valid topic family, depth and interval', async () => {
      const topics = [
        'publicTrade.BTCUSDT', 'tickers.ETHUSDT', 'orderbook.1.BTCUSDT', 'orderbook.200.BTCUSDT', 'orderbook.1000.BTCUSDT',
        'kline.1.BTCUSDT', 'kline.720.BTCUSDT', 'kline.D.BTCUSDT', 'kline.W.BTCUSDT', 'kline.M.BTCUSDT',
      ];
      const r = await client.request({ op: 'subscribe', args: topics }, isReply('subscribe'));
      assert.equal(r.success, true, r.ret_msg);
      assert.deepEqual(sim.subscriptions(), [...topics].sort());
    });

    it('refuses more than 10 args and subscribes nothing', async () => {
      const args = Array.from({ length: 11 }, (_, i) => `publicTrade.SYM${i}USDT`);
      const r = await client.request({ op: 'subscribe', req_id: 'big', args }, isReply('subscribe'));
      assert.equal(r.success, false);
      assert.equal(r.ret_msg, 'args size >10');
      assert.equal(r.req_id, 'big');
      assert.deepEqual(sim.subscriptions(), []);
    });

    for (const bad of ['orderbook.30.BTCUSDT', 'kline.2.BTCUSDT', 'publicTrade.btcusdt', 'foo.BTCUSDT', 'tickers.B', 'orderbook.50', 'publicTrade.BTC-USDT']) {
      it(`fails the whole request for ${bad}`, async () => {
        const r = await client.request({ op: 'subscribe', args: ['tickers.BTCUSDT', bad] }, isReply('subscribe'));
        assert.equal(r.success, false);
        assert.equal(r.ret_msg, `error:handler not found,topic:${bad}`);
        assert.deepEqual(sim.subscriptions(), []);
      });
    }

    it('reports already subscribed but still subscribes the new topics', async () => {
      await client.request({ op: 'subscribe', args: ['publicTrade.BTCUSDT'] }, isReply('subscribe'));
      const sub = sim.waitFor('subscribe');
      const r = await client.request({ op: 'subscribe', req_id: 'd', args: ['publicTrade.BTCUSDT', 'publicTrade.ETHUSDT'] }, isReply('subscribe'));
      assert.equal(r.success, false);
      assert.equal(r.ret_msg, 'error:already subscribed,topic:publicTrade.BTCUSDT');
      assert.deepEqual((await sub).topics, ['publicTrade.ETHUSDT']);
      assert.deepEqual(sim.subscriptions(), ['publicTrade.BTCUSDT', 'publicTrade.ETHUSDT']);
    });

    it('answers unknown ops, bad args and undecodable frames without closing', async () => {
      const r1 = await client.request({ op: 'subscrib', req_id: 'o' }, (f) => f.success === false);
      assert.equal(r1.ret_msg, 'error:invalid op');
      assert.equal(r1.req_id, 'o');
      const r2 = await client.request({ op: 'subscribe', args: 'tickers.BTCUSDT' }, isReply('subscribe'));
      assert.equal(r2.success, false);
      assert.equal(r2.ret_msg, 'error:args must be an array of strings');
      const r3 = await client.request('{"op":"ping"', (f) => f.success === false);
      assert.match(r3.ret_msg, /^Failed to decode incoming data: /);
      assert.equal(typeof r3.conn_id, 'string');
      await flush(client);
      assert.equal(client.ws.readyState, WebSocket.OPEN);
    });
  });

  describe('market data', () => {
    it('sends data only for subscribed topics and stops after unsubscribe', async () => {
      const other = await FrameClient.connect(sim.url(PUBLIC));
      try {
        await client.request({ op: 'subscribe', args: ['publicTrade.BTCUSDT', 'kline.1.BTCUSDT'] }, isReply('subscribe'));
        await other.request({ op: 'subscribe', args: ['publicTrade.ETHUSDT'] }, isReply('subscribe'));
        sim.step();
        await flush(client);
        await flush(other);
        const mine = client.drain((f) => typeof f.topic === 'string').map((f) => f.topic);
        const theirs = other.drain((f) => typeof f.topic === 'string').map((f) => f.topic);
        assert.deepEqual(mine.sort(), ['kline.1.BTCUSDT', 'publicTrade.BTCUSDT']);
        assert.deepEqual(theirs, ['publicTrade.ETHUSDT']);

        await client.request({ op: 'unsubscribe', args: ['publicTrade.BTCUSDT'] }, isReply('unsubscribe'));
        sim.step();
        await flush(client);
        assert.deepEqual(client.drain((f) => typeof f.topic === 'string').map((f) => f.topic), ['kline.1.BTCUSDT']);
      } finally {
        await other.close();
      }
    });

    it('publishes trades, tickers and klines in Bybit shapes', async () => {
      await client.request({ op: 'subscribe', args: ['publicTrade.BTCUSDT', 'tickers.BTCUSDT', 'kline.5.BTCUSDT'] }, isReply('subscribe'));
      const first = await client.next((f) => f.topic === 'tickers.BTCUSDT');
      assert.equal(first.type, 'snapshot');
      sim.step();
      const trade = await client.next((f) => f.topic === 'publicTrade.BTCUSDT');
      assert.equal(trade.type, 'snapshot');
      assert.ok(trade.data.length >= 1 && trade.data.length <= 3);
      for (const t of trade.data) {
        assert.deepEqual(Object.keys(t), ['T', 's', 'S', 'v', 'p', 'i', 'BT', 'seq']);
        assert.ok(t.S === 'Buy' || t.S === 'Sell');
        assert.match(t.p, /^\d+\.\d+$/);
        assert.match(t.v, /^\d+\.\d+$/);
        assert.equal(typeof t.i, 'string');
      }
      const ticker = await client.next((f) => f.topic === 'tickers.BTCUSDT');
      assert.deepEqual(Object.keys(ticker.data), [
        'symbol', 'lastPrice', 'highPrice24h', 'lowPrice24h', 'prevPrice24h', 'volume24h', 'turnover24h', 'price24hPcnt', 'usdIndexPrice',
      ]);
      assert.equal(ticker.data.lastPrice, trade.data.at(-1).p);
      const kline = await client.next((f) => f.topic === 'kline.5.BTCUSDT');
      const c = kline.data[0];
      assert.equal(c.interval, '5');
      assert.equal(c.confirm, false);
      assert.equal(c.end - c.start, 5 * 60_000 - 1);
      assert.ok(Number(c.low) <= Number(c.close) && Number(c.close) <= Number(c.high));
    });

    it('closes a candle on demand and starts the next one', async () => {
      await client.request({ op: 'subscribe', args: ['kline.1.BTCUSDT'] }, isReply('subscribe'));
      sim.step();
      const open = await client.next((f) => f.topic === 'kline.1.BTCUSDT');
      sim.closeCandle('kline.1.BTCUSDT');
      const closed = await client.next((f) => f.topic === 'kline.1.BTCUSDT');
      const next = await client.next((f) => f.topic === 'kline.1.BTCUSDT');
      assert.equal(closed.data[0].confirm, true);
      assert.equal(closed.data[0].start, open.data[0].start);
      assert.equal(next.data[0].confirm, false);
      assert.equal(next.data[0].start, closed.data[0].end + 1);
      assert.equal(next.data[0].open, closed.data[0].close);
    });

    it('is deterministic for a seed (ignoring wall-clock fields)', async () => {
      const topics = ['orderbook.50.BTCUSDT', 'publicTrade.BTCUSDT', 'tickers.ETHUSDT', 'kline.1.XRPUSDT', 'orderbook.1.SOLUSDT'];
      const run = async (seed: number): Promise<string[]> => {
        const s = await startSimulator({ tickMs: 0, seed });
        const c = await FrameClient.connect(s.url(PUBLIC));
        try {
          await c.request({ op: 'subscribe', args: topics }, isReply('subscribe'));
          for (let i = 0; i < 25; i++) s.step();
          await flush(c);
          const strip = (_k: string, v: unknown): unknown =>
            ['ts', 'cts', 'T', 'timestamp', 'start', 'end', 'conn_id'].includes(_k) ? undefined : v;
          return c.received.filter((f) => f.topic).map((f) => JSON.stringify(f, strip));
        } finally {
          await c.close();
          await s.close();
        }
      };
      const a = await run(7);
      const b = await run(7);
      const other = await run(8);
      assert.ok(a.length > 25 * 3);
      assert.deepEqual(a, b);
      assert.notDeepEqual(a, other);
    });
  });

  describe('order books', () => {
    /** A straightforward reference book built from the wire frames. */
    function applyFrame(book: { bids: Map<string, string>; asks: Map<string, string>; u: number }, f: Frame): void {
      if (f.type === 'snapshot') {
        book.bids = new Map(f.data.b);
        book.asks = new Map(f.data.a);
      } else {
        assert.equal(f.data.u, book.u + 1, 'u rises by 1 per message');
        for (const [p, q] of f.data.b) {
          if (q === '0') book.bids.delete(p);
          else book.bids.set(p, q);
        }
        for (const [p, q] of f.data.a) {
          if (q === '0') book.asks.delete(p);
          else book.asks.set(p, q);
        }
      }
      book.u = f.data.u;
    }
    const sorted = (m: Map<string, string>, desc: boolean): [string, string][] =>
      [...m.entries()].sort((x, y) => (desc ? Number(y[0]) - Number(x[0]) : Number(x[0]) - Number(y[0])));

    for (const depth of [1, 50, 200, 1000]) {
      it(`depth ${depth}: never crossed, within depth, and replayable over 1000 steps`, async () => {
        const topic = `orderbook.${depth}.BTCUSDT`;
        await client.request({ op: 'subscribe', args: [topic] }, isReply('subscribe'));
        for (let i = 0; i < 1000; i++) {
          sim.step();
          const b = sim.book('BTCUSDT', depth);
          assert.ok(b.bids.length <= depth && b.asks.length <= depth, `levels within depth at step ${i}`);
          assert.ok(b.bids.length > 0 && b.asks.length > 0);
          assert.ok(Number(b.bids[0][0]) < Number(b.asks[0][0]), `not crossed at step ${i}`);
        }
        await flush(client);
        const frames = client.drain((f) => f.topic === topic);
        assert.ok(frames.length > 900);
        if (depth === 1) assert.ok(frames.every((f) => f.type === 'snapshot'));
        else assert.ok(frames.slice(1).every((f) => f.type === 'delta'));
        const local = { bids: new Map<string, string>(), asks: new Map<string, string>(), u: 0 };
        for (const f of frames) {
          applyFrame(local, f);
          assert.ok(local.bids.size <= depth && local.asks.size <= depth);
        }
        const want = sim.book('BTCUSDT', depth);
        assert.equal(local.u, want.u);
        assert.deepEqual(sorted(local.bids, true), want.bids);
        assert.deepEqual(sorted(local.asks, false), want.asks);
      });
    }

    it('sends sorted levels: bids descending, asks ascending', async () => {
      await client.request({ op: 'subscribe', args: ['orderbook.200.ETHUSDT'] }, isReply('subscribe'));
      const snap = await client.next((f) => f.topic === 'orderbook.200.ETHUSDT');
      assert.equal(snap.data.b.length, 200);
      assert.equal(snap.data.a.length, 200);
      const bids = snap.data.b.map((l: string[]) => Number(l[0]));
      const asks = snap.data.a.map((l: string[]) => Number(l[0]));
      assert.deepEqual(bids, [...bids].sort((x, y) => y - x));
      assert.deepEqual(asks, [...asks].sort((x, y) => x - y));
      assert.ok(bids[0] < asks[0]);
      // orderbook.mdx: spot puts "ts" before "type"; data then cts as in the page's example.
      assert.deepEqual(Object.keys(snap), ['topic', 'ts', 'type', 'data', 'cts']);
      assert.deepEqual(Object.keys(snap.data), ['s', 'b', 'a', 'u', 'seq']);
    });

    it('injects a gap, a restart and a crossed delta on demand', async () => {
      const topic = 'orderbook.50.BTCUSDT';
      await client.request({ op: 'subscribe', args: [topic] }, isReply('subscribe'));
      const snap = await client.next((f) => f.topic === topic);
      sim.injectBookGap(topic);
      sim.step();
      const gapped = await client.next((f) => f.topic === topic);
      assert.equal(gapped.data.u, snap.data.u + 2);

      sim.restartBook(topic);
      const restart = await client.next((f) => f.topic === topic);
      assert.equal(restart.type, 'snapshot');
      assert.equal(restart.data.u, 1);
      sim.step();
      assert.equal((await client.next((f) => f.topic === topic)).data.u, 2);

      const bestAsk = Number(sim.book('BTCUSDT', 50).asks[0][0]);
      sim.sendCrossedDelta(topic);
      const crossed = await client.next((f) => f.topic === topic);
      assert.equal(crossed.type, 'delta');
      assert.equal(crossed.data.u, 3);
      assert.ok(Number(crossed.data.b[0][0]) >= bestAsk);
      const own = sim.book('BTCUSDT', 50);
      assert.ok(Number(own.bids[0][0]) < Number(own.asks[0][0]), 'the simulator keeps its own book sane');
    });
  });

  describe('faults', () => {
    it('drops every socket with a chosen close code, or terminates', async () => {
      const closed = client.closed;
      sim.dropAll({ mode: 'close', code: 4001, reason: 'bye' });
      assert.deepEqual(await closed, { code: 4001, reason: 'bye' });
      const c2 = await FrameClient.connect(sim.url(PUBLIC));
      sim.dropAll({ mode: 'terminate' });
      assert.equal((await c2.closed).code, 1006);
      assert.throws(() => sim.dropAll({ code: 1006 }), /cannot be sent/);
    });

    it('goes silent while ping replies are off, then recovers', async () => {
      await client.request({ op: 'subscribe', args: ['publicTrade.BTCUSDT'] }, isReply('subscribe'));
      sim.setPingReplies(false);
      client.send({ op: 'ping', req_id: 'muted' });
      await sim.waitFor('request', (r) => r.frame !== undefined && (r.frame as Frame).req_id === 'muted');
      sim.step();
      sim.setPingReplies(true);
      await flush(client, 'after');
      assert.deepEqual(client.drain(), [], 'nothing was sent while silent');
      assert.equal(client.received.some((f) => f.req_id === 'muted'), false);
    });

    it('stops answering protocol-level pings while silent', async () => {
      const pong = new Promise((resolve) => client.ws.once('pong', resolve));
      client.ws.ping('a');
      await pong;
      sim.setPingReplies(false);
      let ponged = false;
      client.ws.once('pong', () => (ponged = true));
      client.ws.ping('b');
      // frames are processed in order: once this text frame is seen, the ping before it was too
      const seen = sim.waitFor('request', (r) => (r.frame as Frame)?.req_id === 'p');
      client.send({ op: 'ping', req_id: 'p' });
      await seen;
      sim.setPingReplies(true);
      await flush(client);
      assert.equal(ponged, false);
    });

    it('rejects the next n subscribe requests', async () => {
      sim.rejectNext(2, 'error:try later');
      const r1 = await client.request({ op: 'subscribe', req_id: '1', args: ['tickers.BTCUSDT'] }, isReply('subscribe', '1'));
      const r2 = await client.request({ op: 'subscribe', req_id: '2', args: ['tickers.BTCUSDT'] }, isReply('subscribe', '2'));
      const r3 = await client.request({ op: 'subscribe', req_id: '3', args: ['tickers.BTCUSDT'] }, isReply('subscribe', '3'));
      assert.deepEqual([r1.success, r2.success, r3.success], [false, false, true]);
      assert.equal(r1.ret_msg, 'error:try later');
      assert.deepEqual(sim.subscriptions(), ['tickers.BTCUSDT']);
    });

    it('refuses upgrades for a while and counts the attempts', async () => {
      sim.refuseConnections(60_000);
      await assert.rejects(FrameClient.connect(sim.url(PUBLIC)), /HTTP 503/);
      await assert.rejects(FrameClient.connect(sim.url(PUBLIC)), /HTTP 503/);
      assert.equal(sim.connectionAttempts(PUBLIC), 3);
      sim.refuseConnections(0);
      const ok = await FrameClient.connect(sim.url(PUBLIC));
      await ok.close();
      await assert.rejects(FrameClient.connect(sim.url('/nope')), /HTTP 404/);
      assert.equal(sim.connectionAttempts('/nope'), 1);
    });

    it('delays replies', async () => {
      sim.delayReplies(150);
      const t0 = Date.now();
      await client.request({ op: 'ping', req_id: 'slow' }, isReply('ping'));
      assert.ok(Date.now() - t0 >= 140);
      sim.delayReplies(0);
    });

    it('sends raw frames to every socket on a path', async () => {
      const got = client.next((f) => f === 'not json');
      assert.equal(sim.sendRaw('not json', PUBLIC), 1);
      await got;
      assert.equal(sim.sendRaw('x', '/v5/private'), 0);
    });

    it('waitFor rejects with a clear error on timeout', async () => {
      await assert.rejects(sim.waitFor('subscribe', undefined, 30), /no matching 'subscribe' event within 30 ms/);
    });
  });

  it('close() terminates sockets and stops listening', async () => {
    const s = await startSimulator({ tickMs: 10 });
    const c = await FrameClient.connect(s.url(PUBLIC));
    await c.request({ op: 'subscribe', args: ['publicTrade.BTCUSDT'] }, isReply('subscribe'));
    await c.next((f) => f.topic === 'publicTrade.BTCUSDT');
    const pending = s.waitFor('subscribe', undefined, 60_000);
    await s.close();
    await assert.rejects(pending, /simulator closed/);
    await c.closed;
    assert.equal(s.clientCount(), 0);
    await assert.rejects(FrameClient.connect(s.url(PUBLIC)));
  });
});
