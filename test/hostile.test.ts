/**
 * Nothing a server sends can take Node-RED down (issue 13). Each case of the issue is sent by
 * the simulator's push route at a flow in the real Node-RED runtime, running in a child
 * process (a crash ends the child, not this run), while other nodes stream: a ticker (the
 * witness), a raw trade node wired to two nodes, a throttled trade node, an order book and an
 * account node. After every case: the child is alive, the witness still streams, the event
 * loop never stalled over 100 ms, memory is back within bounds and no normalized msg carries
 * NaN or Infinity. The suite prints its own figures at the end.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Simulator } from '../src/simulator';
import { Child } from './support/child';
import { control } from './support/control';
import { withSimulator } from './support/flows';

const MB = 1024 * 1024;
const STALL_MS = 100;
const KEY = 'sim-api-key';
const SECRET = 'sim-api-secret';

interface Stats {
  counts: Record<string, number>;
  largest: Record<string, number>;
  nonFinite: number;
  topics: string[];
  maxDelayMs: number;
  maxStallMs: number;
  baseHeap: number;
  peakHeap: number;
  heap: number;
  logs: { level: number; text: string }[];
}

class HostileRunner extends Child {
  constructor(config: Record<string, unknown>) {
    super(path.join(__dirname, 'support', 'hostile-runner.js'), [JSON.stringify(config)]);
  }

  async stats(gc = false): Promise<Stats> {
    this.send({ type: 'stats', gc });
    return this.next<Stats>('stats');
  }

  /** Resolves once `probe` has seen n msgs in all. */
  async until(probe: string, n: number, timeoutMs = 20_000): Promise<void> {
    this.send({ type: 'until', probe, n });
    await this.next('reached', timeoutMs);
  }

  /** Starts watching `probe` for a msg whose payload.id is `id`; `next('seen')` then waits for it. */
  async watchId(probe: string, id: string): Promise<void> {
    this.send({ type: 'untilId', probe, id });
    await this.next('watching');
  }

  /** Resolves once a bybit node logged a line matching `pattern`. */
  async untilLog(pattern: RegExp): Promise<void> {
    this.send({ type: 'untilLog', pattern: pattern.source });
    await this.next('logged');
  }
}

/** The flow every case is sent at; probes named `raw…` receive raw payloads. */
function hostileFlow(sim: Simulator): Record<string, unknown>[] {
  const node = (id: string, type: string, extra: Record<string, unknown>, probes: string[]) => ({
    id, type, z: 'tab', connection: 'conn', output: 'normalized', throttle: 0, ...extra, wires: [probes],
  });
  const probe = (id: string) => ({ id, type: 'test-probe', z: 'tab', wires: [] });
  return [
    { id: 'tab', type: 'tab', label: 'hostile' },
    {
      id: 'conn', type: 'bybit-connection', network: 'custom', api: 'v5', publicUrl: sim.url('/v5/public/spot'), privateUrl: sim.url('/v5/private'),
      pingInterval: 20,
    },
    node('w', 'bybit-ticker', { symbols: 'BTCUSDT' }, ['witness']),
    node('t1', 'bybit-trade', { symbols: 'BTCUSDT', output: 'raw' }, ['rawA', 'rawB']),
    node('tw', 'bybit-trade', { symbols: 'SOLUSDT', throttle: 60_000 }, ['window']),
    node('tn', 'bybit-trade', { symbols: 'XRPUSDT' }, ['numbers']),
    node('ob', 'bybit-orderbook', { symbols: 'BTCUSDT', depth: 50 }, ['book']),
    node('acc', 'bybit-account', { throttle: 1000 }, ['account']),
    ...['witness', 'rawA', 'rawB', 'window', 'numbers', 'book', 'account'].map(probe),
  ];
}

/** The suite's own figures, printed at the end. */
const figures = { cases: 0, crashes: 0, stalls: 0, worstStallMs: 0, worstDelayMs: 0, raisedWorstMs: 0, peakHeapMB: 0 };

describe('hostile server: nothing it sends takes Node-RED down', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let runner: HostileRunner;
  let baseHeap = 0;

  async function startRunner(settings: Record<string, unknown>): Promise<void> {
    const subscribed = sim.waitFor('subscribe', undefined, 20_000);
    runner = new HostileRunner({ flow: hostileFlow(sim), credentials: { conn: { apiKey: KEY, apiSecret: SECRET } }, settings });
    await runner.next('started');
    await subscribed;
    await runner.until('witness', 3);
    baseHeap = (await runner.stats(true)).heap;
  }

  async function push(body: Record<string, unknown>): Promise<void> {
    const reply = await control(sim, '/control/push', body);
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
  }

  /**
   * Sends one case, then checks what must hold after any case; returns the figures for the
   * case's own checks. `stallsCount`: false where the case's frame is one the default limits
   * refuse and the run raised them (its JSON.parse alone is the stall those limits prevent).
   */
  async function hostileCase(send: () => Promise<void>, stallsCount = true): Promise<Stats> {
    figures.cases++;
    let after: Stats;
    try {
      const start = await runner.stats();
      await send();
      // The witness shares the public socket with most cases: it must still stream afterwards.
      await runner.until('witness', (start.counts.witness ?? 0) + 5);
      after = await runner.stats(true);
    } finally {
      if (runner.exitCode !== null) figures.crashes++;
    }
    assert.equal(runner.exitCode, null, 'Node-RED exited');
    if (stallsCount) figures.worstDelayMs = Math.max(figures.worstDelayMs, after.maxDelayMs);
    if (stallsCount) figures.worstStallMs = Math.max(figures.worstStallMs, after.maxStallMs);
    else figures.raisedWorstMs = Math.max(figures.raisedWorstMs, after.maxStallMs);
    figures.peakHeapMB = Math.max(figures.peakHeapMB, (after.peakHeap - after.baseHeap) / MB);
    if (stallsCount && after.maxStallMs > STALL_MS) figures.stalls++;
    if (stallsCount) assert.ok(after.maxStallMs <= STALL_MS, `event loop stalled ${after.maxStallMs.toFixed(0)} ms on the CPU (${after.maxDelayMs.toFixed(0)} ms wall)`);
    assert.ok(after.heap - baseHeap < 32 * MB, `${((after.heap - baseHeap) / MB).toFixed(1)} MB still held after the case`);
    assert.equal(after.nonFinite, 0, 'a normalized msg carried NaN or Infinity');
    return after;
  }

  before(async function () {
    process.on('exit', printFigures);
  });

  after(function () {
    printFigures();
    process.off('exit', printFigures);
  });

  describe('with the default limits', function () {
    before(async function () {
      sim = await withSimulator({ tickMs: 20 });
      await startRunner({ bybitWs: { reconnectBaseMs: 50 } });
    });
    after(async function () {
      await runner?.stop();
      await sim?.close();
    });

    it('refuses three 250,000-item wallet frames at the socket and reconnects the private stream', async function () {
      await hostileCase(async () => {
        await push({ path: '/v5/private', shape: { kind: 'wallet', items: 250_000, coins: 0 }, repeat: 3 });
        await runner.untilLog(/private socket: disconnected \(a frame over the size limit\)/);
        await runner.untilLog(/private socket: connected to .*, API key accepted/);
      });
    });

    it('refuses a trade item nested 50,000 deep as malformed; the raw trade node still feeds both its wires', async function () {
      const before = await runner.stats();
      await hostileCase(() => push({ path: '/v5/public/spot', shape: { kind: 'trade', symbol: 'BTCUSDT', items: 1, nest: 50_000 } }));
      await push({ path: '/v5/public/spot', shape: { kind: 'trade', symbol: 'BTCUSDT', items: 1, nest: 0 } });
      await runner.until('rawA', (before.counts.rawA ?? 0) + 1);
      await runner.until('rawB', (before.counts.rawB ?? 0) + 1);
    });

    it('refuses a 5.7 MB book delta of 320,000 levels at the socket; the book streams again', async function () {
      const before = await runner.stats();
      await hostileCase(() => push({ path: '/v5/public/spot', shape: { kind: 'orderbook', symbol: 'BTCUSDT', levels: 320_000, depth: 50, type: 'delta' } }));
      await runner.until('book', (before.counts.book ?? 0) + 2);
    });

    it('refuses a book delta with 12,000 levels a side before applying it, and resyncs the book', async function () {
      const before = await runner.stats();
      const after = await hostileCase(() => push({ path: '/v5/public/spot', shape: { kind: 'orderbook', symbol: 'BTCUSDT', levels: 12_000, depth: 50, type: 'delta' } }));
      await runner.until('book', (before.counts.book ?? 0) + 2);
      assert.ok(after.logs.some((l) => /order book orderbook\.50\.BTCUSDT: fresh snapshot requested \(bad-level\)/.test(l.text)));
    });

    it('sends a throttle window of 300,000 trades early in parts of at most 10,000, holding none for the hour', async function () {
      const before = await runner.stats();
      const after = await hostileCase(() => push({ path: '/v5/public/spot', shape: { kind: 'trade', symbol: 'SOLUSDT', items: 1000, nest: 0 }, repeat: 300 }));
      // At least 29 early parts of 10,000 (the window's first trade left at once, the rest waits for the window).
      await runner.until('window', (before.counts.window ?? 0) + 29);
      const final = await runner.stats();
      assert.ok((final.largest.window ?? 0) <= 10_000, `a msg carried ${final.largest.window} trades`);
      assert.ok(after.peakHeap - after.baseHeap < 200 * MB);
    });

    it('drops a trade on publicTrade.BTCUSDT whose data says DOGEUSDT: never a msg about DOGEUSDT', async function () {
      const after = await hostileCase(() => push({ path: '/v5/public/spot', shape: { kind: 'trade', symbol: 'BTCUSDT', items: 5, nest: 0, dataSymbol: 'DOGEUSDT' } }));
      assert.deepEqual(after.topics.filter((t) => t.includes('DOGEUSDT')), []);
    });

    it('never sends NaN or Infinity for the numbers "abc", "1e400", "0x10" and " 1 "', async function () {
      // Relies on strict number parsing in src/dialects/fields.ts (issue 13 item 3).
      const trade = (i: number, v: string) => `{"T":${Date.now()},"s":"XRPUSDT","S":"Buy","v":"${v}","p":"${v}","L":"PlusTick","i":"h${i}","BT":false}`;
      // The last trade is sound: once it arrived, every trade before it was handled (sent, or dropped as malformed).
      const text = `{"topic":"publicTrade.XRPUSDT","type":"snapshot","ts":${Date.now()},"data":[${['abc', '1e400', '0x10', ' 1 ', '0.5'].map((v, i) => trade(i, v)).join(',')}]}`;
      await hostileCase(async () => {
        await runner.watchId('numbers', 'h4');
        await push({ path: '/v5/public/spot', text });
        await runner.next('seen');
      });
    });
  });

  describe('with the frame and nesting limits raised (the defences behind them)', function () {
    before(async function () {
      sim = await withSimulator({ tickMs: 20 });
      await startRunner({ bybitWs: { reconnectBaseMs: 50, maxFrameBytes: 64 * MB, maxNesting: 100_000 } });
    });
    after(async function () {
      await runner?.stop();
      await sim?.close();
    });

    it('folds three 250,000-item wallet frames in one account window without overflowing the stack', async function () {
      const before = await runner.stats();
      await hostileCase(() => push({ path: '/v5/private', shape: { kind: 'wallet', items: 250_000, coins: 0 }, repeat: 3 }), false);
      // The first frame leaves at once, the other two fold into the window's msg.
      await runner.until('account', (before.counts.account ?? 0) + 2);
    });

    it('reports once that a trade item nested 50,000 deep could not be copied for the second wire; the stream goes on', async function () {
      const before = await runner.stats();
      await hostileCase(async () => {
        await push({ path: '/v5/public/spot', shape: { kind: 'trade', symbol: 'BTCUSDT', items: 1, nest: 50_000 } });
        await runner.untilLog(/A message could not be delivered \(RangeError: Maximum call stack size exceeded\)/);
      }, false);
      await push({ path: '/v5/public/spot', shape: { kind: 'trade', symbol: 'BTCUSDT', items: 1, nest: 0 } });
      await runner.until('rawB', (before.counts.rawB ?? 0) + 1);
      const after = await runner.stats();
      assert.equal(after.logs.filter((l) => /A message could not be delivered/.test(l.text)).length, 1);
    });
  });
});

function printFigures(): void {
  if (figures.cases === 0) return;
  console.log(`      hostile-server figures: cases sent ${figures.cases}, crashes ${figures.crashes}, stalls over ${STALL_MS} ms ${figures.stalls} (worst ${figures.worstStallMs.toFixed(0)} ms on the CPU, ${figures.worstDelayMs.toFixed(0)} ms event-loop delay by the wall clock; with raised limits ${figures.raisedWorstMs.toFixed(0)} ms, not counted), peak memory ${figures.peakHeapMB.toFixed(1)} MB above the start`);
  figures.cases = 0;
}
