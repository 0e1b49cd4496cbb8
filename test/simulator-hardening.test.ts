/**
 * The simulator as something a hostile web page or a careless test could hit: control routes
 * refuse cross-site and DNS-rebinding requests and bodies that are not JSON, every count a
 * request carries is capped, client frames and recorded requests are bounded; and the push
 * route delivers whatever frame a hostile-server test asks for.
 */
import assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../src/simulator';
import { MAX_TOPIC_CHARS } from '../src/simulator/topics';
import { fmtAmount } from '../src/simulator/amount';
import { control } from './support/control';
import { FrameClient, type Frame } from '../src/simulator/test-client';

const PUBLIC = '/v5/public/spot';

describe('simulator: hardening and the push route', () => {
  let sim: Simulator;

  beforeEach(async () => {
    sim = await startSimulator({ tickMs: 0 });
  });

  afterEach(() => sim.close());

  const usdt = (): string | undefined => {
    const b = sim.accounts.balancesOf().find((x) => x.coin === 'USDT');
    return b && fmtAmount(b.walletBalance);
  };

  describe('control routes', () => {
    it('refuse a cross-site POST (foreign Origin, text/plain) with 403 and change nothing', async () => {
      const r = await control(sim, '/control/balance', undefined, {
        headers: { origin: 'http://evil.example', 'content-type': 'text/plain' },
        raw: JSON.stringify({ coin: 'USDT', walletBalance: '1' }),
      });
      assert.equal(r.status, 403);
      assert.equal(r.body.ok, false);
      assert.equal(usdt(), undefined);
      const json = await control(sim, '/control/balance', { coin: 'USDT', walletBalance: '1' }, { headers: { origin: 'https://evil.example', 'content-type': 'application/json' } });
      assert.equal(json.status, 403, 'a foreign Origin is refused whatever the body');
      const nullOrigin = await control(sim, '/control/status', undefined, { method: 'GET', headers: { origin: 'null' } });
      assert.equal(nullOrigin.status, 403);
    });

    it('refuse a body that is not application/json with 415', async () => {
      const r = await control(sim, '/control/balance', undefined, { headers: { 'content-type': 'text/plain' }, raw: JSON.stringify({ coin: 'USDT', walletBalance: '1' }) });
      assert.deepEqual([r.status, r.body.error], [415, 'control routes take Content-Type: application/json']);
      const form = await control(sim, '/control/step', undefined, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, raw: 'n=1' });
      assert.equal(form.status, 415);
      assert.equal(usdt(), undefined);
    });

    it('refuse a Host that is not a loopback name (DNS rebinding) with 403', async () => {
      const rebound = await control(sim, '/control/balance', { coin: 'USDT', walletBalance: '1' }, { headers: { host: `evil.example:${sim.port}`, 'content-type': 'application/json' } });
      assert.equal(rebound.status, 403);
      assert.equal(usdt(), undefined);
    });

    it('serve loopback origins and hosts: localhost, 127.0.0.1, [::1]', async () => {
      for (const host of [`localhost:${sim.port}`, `127.0.0.1:${sim.port}`, `[::1]:${sim.port}`]) {
        const r = await control(sim, '/control/status', undefined, { method: 'GET', headers: { host, origin: 'http://localhost:1880' } });
        assert.equal(r.status, 200, host);
      }
      const ok = await control(sim, '/control/balance', { coin: 'USDT', walletBalance: '1' }, { headers: { origin: 'http://127.0.0.1:1880', 'content-type': 'application/json; charset=utf-8' } });
      assert.equal(ok.status, 200);
      assert.equal(usdt(), '1');
    });

    it('answer /control/step with n = 1e11 with 400 at once, and cap fills and load sizes', async () => {
      const started = Date.now();
      const r = await control(sim, '/control/step', { n: 1e11 });
      assert.deepEqual([r.status, r.body.error], [400, 'n must be an integer from 1 to 100000']);
      assert.ok(Date.now() - started < 1000, 'no loop ran');
      assert.equal((await control(sim, '/control/step', { n: 2.5 })).status, 400);
      assert.equal((await control(sim, '/control/step', { n: 3 })).status, 200);
      assert.equal((await control(sim, '/control/lifecycle', { symbol: 'BTCUSDT', side: 'Buy', qty: '1', price: '1', fills: 1e9 })).status, 400);
      assert.equal((await control(sim, '/control/load', { topic: 'publicTrade.BTCUSDT', rate: 'max', frames: 1e12 })).status, 400);
      assert.equal((await control(sim, '/control/malformed', { kind: 'oversized', bytes: 1e12 })).status, 400);
    });
  });

  describe('sockets', () => {
    it('close a client frame over 1 MiB with 1009', async () => {
      const c = await FrameClient.connect(sim.url(PUBLIC));
      c.send(`{"op":"ping","pad":"${'x'.repeat(1024 * 1024)}"}`);
      assert.equal((await c.closed).code, 1009);
    });

    it(`refuse topics past ${MAX_TOPIC_CHARS} characters on one connection`, async () => {
      const c = await FrameClient.connect(sim.url(PUBLIC));
      try {
        const symbol = (i: number): string => `S${String(i).padStart(27, '0')}`;
        let reply: Frame = { success: true };
        let batches = 0;
        for (let i = 0; reply.success && batches < 200; batches++) {
          const args = Array.from({ length: 10 }, () => `publicTrade.${symbol(i++)}`);
          reply = await c.request({ op: 'subscribe', args }, (f) => f.op === 'subscribe');
        }
        assert.equal(reply.ret_msg, `error:topics on one connection exceed ${MAX_TOPIC_CHARS} characters`);
        const chars = sim.subscriptions(PUBLIC).reduce((n, t) => n + t.length, 0);
        assert.ok(chars <= MAX_TOPIC_CHARS && chars > MAX_TOPIC_CHARS - 500, `held ${chars} characters`);
      } finally {
        await c.close();
      }
    });

    it('refuse more than 10 symbols in one spot v1 request', async () => {
      const c = await FrameClient.connect(sim.url('/spot/quote/ws/v1'));
      try {
        const symbols = Array.from({ length: 11 }, (_, i) => `AA${i}USDT`).join(',');
        const r = await c.request({ topic: 'trade', event: 'sub', symbol: symbols, params: { binary: false } }, (f) => f.code !== undefined);
        assert.deepEqual([r.code, r.desc], ['-100010', 'at most 10 symbols per request']);
        assert.deepEqual(sim.subscriptions(), []);
      } finally {
        await c.close();
      }
    });

    it('keep recorded requests within 32 MiB', async () => {
      const c = await FrameClient.connect(sim.url(PUBLIC));
      try {
        const frame = `{"op":"ping","pad":"${'x'.repeat(1000 * 1000)}"}`;
        for (let i = 0; i < 40; i++) c.send(frame);
        await c.request({ op: 'ping', req_id: 'last' }, (f) => f.req_id === 'last', 10_000);
        const bytes = sim.requests.reduce((n, r) => n + r.raw.length, 0);
        assert.ok(bytes <= 32 * 1024 * 1024, `${bytes} bytes recorded`);
        assert.equal(sim.requests.at(-1)?.raw, '{"op":"ping","req_id":"last"}', 'the newest are kept');
      } finally {
        await c.close();
      }
    });
  });

  describe('POST /control/push', () => {
    let a: FrameClient;
    let b: FrameClient;
    let priv: FrameClient;

    beforeEach(async () => {
      [a, b, priv] = await Promise.all([FrameClient.connect(sim.url(PUBLIC)), FrameClient.connect(sim.url(PUBLIC)), FrameClient.connect(sim.url('/v5/private'))]);
    });

    afterEach(() => Promise.all([a.close(), b.close(), priv.close()]));

    it('sends text as is, or JSON repeated, to every socket on the path only', async () => {
      const text = await control(sim, '/control/push', { path: PUBLIC, text: 'not json {' });
      assert.deepEqual(text.body, { ok: true, sockets: 2, frames: 1, bytes: 10 });
      assert.equal(await a.next(), 'not json {');
      assert.equal(await b.next(), 'not json {');
      const frame = { topic: 'publicTrade.BTCUSDT', type: 'snapshot', ts: 1, data: [{ s: 'ETHUSDT', p: '1', v: '1', S: 'Buy', T: 1, i: 'x' }] };
      const json = await control(sim, '/control/push', { path: PUBLIC, json: frame, repeat: 3 });
      assert.equal(json.body.frames, 3);
      for (let i = 0; i < 3; i++) assert.deepEqual(await a.next(), frame);
      await priv.request({ op: 'ping' }, (f) => f.op === 'pong');
      assert.equal(priv.received.filter((f) => typeof f === 'string' || f.topic).length, 0, 'the private path got nothing');
    });

    it('generates a wallet frame with N items of M coins', async () => {
      await control(sim, '/control/push', { path: '/v5/private', shape: { kind: 'wallet', items: 3, coins: 1000 } });
      const w = await priv.next((f) => f.topic === 'wallet');
      assert.equal(w.data.length, 3);
      assert.equal(w.data[2].coin.length, 1000);
      assert.equal(w.data[0].coin[999].coin, 'C999');
    });

    it('generates a trade item nested D levels deep, and a symbol that disagrees with the topic', async () => {
      await control(sim, '/control/push', { path: PUBLIC, shape: { kind: 'trade', symbol: 'BTCUSDT', items: 2, nest: 5000, dataSymbol: 'ETHUSDT' } });
      const f = await a.next();
      assert.equal(f.topic, 'publicTrade.BTCUSDT');
      assert.equal(f.data.length, 2);
      assert.equal(f.data[0].s, 'ETHUSDT');
      let depth = 0;
      for (let x = f.data[0].x; typeof x === 'object'; x = x.x) depth++;
      assert.equal(depth, 5000);
    });

    it('generates a book delta with N levels a side, and refuses sizes over the cap', async () => {
      const r = await control(sim, '/control/push', { path: PUBLIC, shape: { kind: 'orderbook', symbol: 'BTCUSDT', levels: 20_000, depth: 50 } });
      assert.ok(r.body.bytes > 20_000 * 2 * 20);
      const f = await a.next();
      assert.deepEqual([f.topic, f.type, f.data.b.length, f.data.a.length], ['orderbook.50.BTCUSDT', 'delta', 20_000, 20_000]);
      assert.ok(Number(f.data.b[0][0]) < Number(f.data.a[0][0]), 'uncrossed');
      const huge = await control(sim, '/control/push', { path: PUBLIC, shape: { kind: 'wallet', items: 1000, coins: 1_000_000 } });
      assert.equal(huge.status, 400);
      assert.equal((await control(sim, '/control/push', { path: PUBLIC, text: 'x', repeat: 1e6 })).status, 400);
      assert.equal((await control(sim, '/control/push', { path: PUBLIC, text: 'x', json: {} })).status, 400);
    });
  });
});
