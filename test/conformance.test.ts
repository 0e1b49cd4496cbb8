/**
 * Dialect conformance: one suite, run once per wire dialect (V5, spot v3, spot v1). Each of
 * the 8 palette nodes is deployed against the simulator speaking that dialect, and every
 * normalized payload is checked field by field with the same assertions, so a flow works
 * unchanged whichever protocol its connection speaks.
 */
import assert from 'node:assert/strict';
import type { Simulator } from '../src/simulator';
import { connection, loadFlow, nextMsg, paletteNode, simulatorPerSuite, type Msg } from './support/flows';

const KEY = 'conformance-key';
const SECRET = 'conformance-secret';

const DIALECTS = [
  { api: 'v5', publicPath: '/v5/public/spot', privatePath: '/v5/private' },
  { api: 'spot-v3', publicPath: '/spot/public/v3', privatePath: '/spot/private/v3' },
  { api: 'spot-v1', publicPath: '/spot/quote/ws/v1', privatePath: '/spot/ws' },
] as const;

const SIDES = ['Buy', 'Sell'];
const STATUSES = ['New', 'PartiallyFilled', 'Filled', 'Cancelled', 'Rejected', 'PartiallyFilledCanceled', 'Untriggered', 'Triggered', 'Deactivated'];

type Check = 'category' | 'null' | 'string' | 'number' | 'boolean' | 'number|null' | 'string|null' | 'boolean|null' | 'side' | 'side|null' | 'array' | 'status';

/** Asserts a payload has exactly these fields, each of its kind. */
function assertShape(payload: unknown, shape: Record<string, Check>, what: string): Record<string, unknown> {
  assert.ok(payload && typeof payload === 'object', `${what}: payload is not an object`);
  const p = payload as Record<string, unknown>;
  assert.deepEqual(Object.keys(p).sort(), Object.keys(shape).sort(), `${what}: fields`);
  for (const [field, check] of Object.entries(shape)) {
    const v = p[field];
    const label = `${what}.${field} = ${JSON.stringify(v)}`;
    const isNum = typeof v === 'number' && Number.isFinite(v);
    switch (check) {
      case 'null': assert.equal(v, null, label); break;
      case 'string': assert.ok(typeof v === 'string' && v.length > 0, label); break;
      case 'number': assert.ok(isNum, label); break;
      case 'boolean': assert.equal(typeof v, 'boolean', label); break;
      case 'number|null': assert.ok(v === null || isNum, label); break;
      case 'string|null': assert.ok(v === null || (typeof v === 'string' && v.length > 0), label); break;
      case 'boolean|null': assert.ok(v === null || typeof v === 'boolean', label); break;
      case 'side': assert.ok(SIDES.includes(v as string), label); break;
      case 'side|null': assert.ok(v === null || SIDES.includes(v as string), label); break;
      case 'array': assert.ok(Array.isArray(v), label); break;
      case 'status': assert.ok(STATUSES.includes(v as string), label); break;
      case 'category': assert.ok(['spot', 'linear', 'inverse', 'option'].includes(v as string), label); break;
    }
  }
  return p;
}

function assertLevels(levels: unknown, depth: number, descending: boolean, what: string): [number, number][] {
  const list = levels as [number, number][];
  assert.ok(Array.isArray(list) && list.length > 0 && list.length <= depth, `${what}: ${list?.length} levels for depth ${depth}`);
  for (let i = 0; i < list.length; i++) {
    const [price, qty] = list[i];
    assert.ok(typeof price === 'number' && price > 0 && typeof qty === 'number' && qty > 0, `${what}[${i}] = ${JSON.stringify(list[i])}`);
    if (i > 0) assert.ok(descending ? price < list[i - 1][0] : price > list[i - 1][0], `${what}: not best first at ${i}`);
  }
  return list;
}

for (const dialect of DIALECTS) {
  describe(`conformance: ${dialect.api}`, function () {
    this.timeout(20_000);
    let sim: Simulator;

    simulatorPerSuite({ tickMs: 25, credentials: [{ key: KEY, secret: SECRET }] }, (s) => (sim = s));

    const v5 = dialect.api === 'v5';
    const conn = () => connection(sim, { api: dialect.api, publicUrl: sim.url(dialect.publicPath), privateUrl: sim.url(dialect.privatePath) });
    const creds = { conn: { apiKey: KEY, apiSecret: SECRET } };
    const deploy = (type: string, extra: Record<string, unknown> = {}) => loadFlow([conn(), ...paletteNode(type, { symbols: 'BTCUSDT', ...extra })], creds);

    it('bybit-trade: one msg per trade with the normalized fields', async function () {
      await deploy('bybit-trade');
      const msg = await nextMsg('n1-out');
      assert.equal(msg.topic, 'trade.BTCUSDT');
      assert.equal(msg.symbol, 'BTCUSDT');
      const p = assertShape(msg.payload, { category: 'category', symbol: 'string', id: 'string', price: 'number', qty: 'number', side: 'side', time: 'number', seq: v5 ? 'number' : 'null', blockTrade: v5 ? 'boolean' : 'null' }, 'trade');
      assert.equal(p.symbol, 'BTCUSDT');
      assert.ok((p.price as number) > 0 && (p.qty as number) > 0);
    });

    it('bybit-ticker: 24 h statistics as numbers', async function () {
      await deploy('bybit-ticker');
      const msg = await nextMsg('n1-out');
      assert.equal(msg.topic, 'ticker.BTCUSDT');
      const p = assertShape(msg.payload, {
        category: 'category', symbol: 'string', lastPrice: 'number', openPrice24h: 'number', highPrice24h: 'number', lowPrice24h: 'number',
        volume24h: 'number', turnover24h: 'number', change24h: 'number', usdIndexPrice: 'number|null', time: 'number',
      }, 'ticker');
      assert.ok((p.lowPrice24h as number) <= (p.lastPrice as number) && (p.lastPrice as number) <= (p.highPrice24h as number));
      assert.ok(Math.abs(p.change24h as number) < 1, 'change24h is a fraction');
    });

    it('bybit-kline: candles in V5 interval words', async function () {
      await deploy('bybit-kline', { interval: '5' });
      const msg = await nextMsg('n1-out');
      assert.equal(msg.topic, 'kline.5.BTCUSDT');
      const p = assertShape(msg.payload, {
        category: 'category', symbol: 'string', interval: 'string', start: 'number', open: 'number', high: 'number', low: 'number', close: 'number',
        volume: 'number', turnover: 'number|null', confirm: 'boolean|null', time: 'number', end: v5 ? 'number' : 'null',
      }, 'kline');
      assert.equal(p.interval, '5');
      assert.equal((p.start as number) % 300_000, 0, 'start on a 5-minute boundary');
      assert.ok((p.low as number) <= Math.min(p.open as number, p.close as number) && (p.high as number) >= Math.max(p.open as number, p.close as number));
    });

    it('bybit-orderbook: sorted levels, never crossed, at most depth', async function () {
      await deploy('bybit-orderbook', { depth: 20 });
      for (let i = 0; i < 5; i++) {
        const msg = await nextMsg('n1-out');
        assert.equal(msg.topic, 'orderbook.BTCUSDT');
        const p = assertShape(msg.payload, { category: 'category', symbol: 'string', bids: 'array', asks: 'array', depth: 'number', updateId: 'number|null', time: 'number', seq: v5 ? 'number' : 'null', matchTime: v5 ? 'number' : 'null' }, 'orderbook');
        assert.equal(p.depth, 20);
        const bids = assertLevels(p.bids, 20, true, 'bids');
        const asks = assertLevels(p.asks, 20, false, 'asks');
        assert.ok(bids[0][0] < asks[0][0], 'crossed book emitted');
      }
    });

    it('bybit-bookticker: best bid and ask', async function () {
      await deploy('bybit-bookticker');
      const msg = await nextMsg('n1-out');
      assert.equal(msg.topic, 'bookticker.BTCUSDT');
      const p = assertShape(msg.payload, { category: 'category', symbol: 'string', bidPrice: 'number', bidQty: 'number', askPrice: 'number', askQty: 'number', time: 'number' }, 'bookticker');
      assert.ok((p.bidPrice as number) < (p.askPrice as number));
    });

    it('bybit-account: balances with total = free + locked', async function () {
      await deployPrivate('bybit-account');
      const got = nextMsg('n1-out', (m) => m.topic === 'account' && hasCoin(m, 'USDT'));
      sim.injectBalance({ coin: 'USDT', walletBalance: '1500.5', locked: '500.25', key: KEY });
      const msg = await got;
      const p = assertShape(msg.payload, { category: 'category', time: 'number', balances: 'array' }, 'account');
      const usdt = (p.balances as Record<string, unknown>[]).find((b) => b.coin === 'USDT')!;
      assertShape(usdt, {
        coin: 'string', total: 'number', free: 'number', locked: 'number', borrowed: v5 ? 'number' : 'null', equity: v5 ? 'number' : 'null', usdValue: v5 ? 'number' : 'null',
      }, 'balance');
      assert.equal(usdt.total, 1500.5);
      assert.equal(usdt.locked, 500.25);
      assert.equal(usdt.free, 1000.25);
    });

    it('bybit-order: a lifecycle New → PartiallyFilled → Filled in V5 words', async function () {
      await deployPrivate('bybit-order');
      const statuses: string[] = [];
      const filled = nextMsg('n1-out', (m) => {
        statuses.push((m.payload as { status: string }).status);
        return (m.payload as { status: string }).status === 'Filled';
      });
      sim.orderLifecycle({ symbol: 'BTCUSDT', side: 'Buy', type: 'Limit', price: '30000', qty: '0.01', orderLinkId: 'conf-1', fills: 2, key: KEY });
      const last = await filled;
      assert.deepEqual(statuses, ['New', 'PartiallyFilled', 'Filled']);
      assert.equal(last.topic, 'order.BTCUSDT');
      const p = assertShape(last.payload, {
        category: 'category', symbol: 'string', orderId: 'string', clientOrderId: 'string|null', side: 'side', type: 'string', timeInForce: 'string', price: 'number', qty: 'number',
        status: 'status', cumQty: 'number', cumQuote: 'number', avgPrice: 'number|null', createdTime: 'number', updatedTime: 'number',
        marketUnit: 'string|null', leavesQty: v5 ? 'number' : 'null', fee: 'number|null', triggerPrice: 'number|null', stopOrderType: 'string|null',
        rejectReason: v5 ? 'string' : 'null', cancelType: v5 ? 'string' : 'null',
      }, 'order');
      assert.equal(p.side, 'Buy');
      assert.equal(p.type, 'Limit');
      assert.equal(p.clientOrderId, 'conf-1');
      assert.equal(p.qty, 0.01);
      assert.equal(p.cumQty, 0.01);
      assert.equal(p.avgPrice, 30000);
    });

    it('bybit-execution: fills with the normalized fields', async function () {
      await deployPrivate('bybit-execution');
      const got = nextMsg('n1-out', (m) => m.topic === 'execution.BTCUSDT');
      sim.orderLifecycle({ symbol: 'BTCUSDT', side: 'Sell', type: 'Limit', price: '31000', qty: '0.02', orderLinkId: 'conf-2', fills: 1, key: KEY });
      const msg = await got;
      const p = assertShape(msg.payload, {
        category: 'category', symbol: 'string', execId: 'string|null', orderId: 'string|null', clientOrderId: 'string|null', side: 'side|null', price: 'number|null',
        qty: 'number|null', fee: 'number|null', feeCoin: 'string|null', isMaker: 'boolean', time: 'number',
        execValue: v5 ? 'number' : 'null', feeRate: v5 ? 'number' : 'null', execType: v5 ? 'string' : 'null', orderType: v5 ? 'string' : 'null', seq: v5 ? 'number' : 'null',
      }, 'execution');
      assert.ok(p.execId, 'execId');
      assert.equal(p.orderId !== null, true);
      assert.equal(p.price, 31000);
      assert.equal(p.qty, 0.02);
    });

    /**
     * Deploys a private node and waits until the server will push to it: after the private
     * subscribe (V5, v3) or, where auth alone streams everything (v1), after the auth.
     */
    async function deployPrivate(type: string): Promise<void> {
      const ready = dialect.api === 'spot-v1'
        ? sim.waitFor('request', (r: { path: string; op?: string }) => r.path === dialect.privatePath && r.op === 'auth')
        : sim.waitFor('subscribe', (ev: { path: string }) => ev.path === dialect.privatePath);
      await loadFlow([conn(), ...paletteNode(type, { symbols: '' })], creds);
      await ready;
    }
  });
}

describe('conformance: wire requests', function () {
  let sim: Simulator;
  simulatorPerSuite({ tickMs: 25 }, (s) => (sim = s));

  it('spot v1: a trade node for two symbols sends exactly the spec frame', async function () {
    const sent = sim.waitFor('request', (r: { path: string; raw: string }) => r.path === '/spot/quote/ws/v1' && !r.raw.includes('ping'));
    await loadFlow([connection(sim, { api: 'spot-v1', publicUrl: sim.url('/spot/quote/ws/v1') }), ...paletteNode('bybit-trade', { symbols: 'BTCUSDT,ETHUSDT' })]);
    assert.equal((await sent).raw, '{"symbol":"BTCUSDT,ETHUSDT","topic":"trade","event":"sub","params":{"binary":false}}');
    await nextMsg('n1-out', (m) => m.topic === 'trade.ETHUSDT');
  });

  it('spot v3: a ticker node for 25 symbols sends 3 subscribe requests', async function () {
    const symbols = Array.from({ length: 25 }, (_, i) => `C${i}USDT`);
    const all = sim.waitFor('subscribe', () => sim.subscriptions('/spot/public/v3').length === 25);
    await loadFlow([connection(sim, { api: 'spot-v3', publicUrl: sim.url('/spot/public/v3') }), ...paletteNode('bybit-ticker', { symbols: symbols.join(',') })]);
    await all;
    const requests = sim.requests.filter((r) => r.path === '/spot/public/v3' && r.op === 'subscribe');
    assert.deepEqual(requests.map((r) => (r.args ?? []).length), [10, 10, 5]);
  });
});

function hasCoin(m: Msg, coin: string): boolean {
  const balances = (m.payload as { balances?: { coin: string }[] }).balances;
  return Array.isArray(balances) && balances.some((b) => b.coin === coin);
}

/**
 * V5 categories: every public node in every category it streams, and every private node in
 * every category, field by field against the simulator (DESIGN "V5 categories").
 */
describe('conformance: V5 categories', function () {
  this.timeout(20_000);
  let sim: Simulator;
  const SYMBOL: Record<string, string> = { linear: 'BTCUSDT', inverse: 'BTCUSD', option: 'BTC-27DEC26-30000-C' };
  const DERIVATIVE_TICKER: Record<string, Check> = {
    markPrice: 'number|null', indexPrice: 'number|null', openInterest: 'number|null', openInterestValue: 'number|null', fundingRate: 'number|null',
    nextFundingTime: 'number|null', bid1Price: 'number|null', bid1Size: 'number|null', ask1Price: 'number|null', ask1Size: 'number|null', prevPrice1h: 'number|null',
  };
  const OPTION_TICKER: Record<string, Check> = {
    markPrice: 'number|null', indexPrice: 'number|null', underlyingPrice: 'number|null', markIv: 'number|null', bid1Iv: 'number|null', ask1Iv: 'number|null',
    delta: 'number', gamma: 'number', vega: 'number', theta: 'number', openInterest: 'number|null',
    bid1Price: 'number|null', bid1Size: 'number|null', ask1Price: 'number|null', ask1Size: 'number|null',
  };
  const SPOT_TICKER: Record<string, Check> = {
    category: 'category', symbol: 'string', lastPrice: 'number', openPrice24h: 'number', highPrice24h: 'number', lowPrice24h: 'number',
    volume24h: 'number', turnover24h: 'number', change24h: 'number', usdIndexPrice: 'number|null', time: 'number',
  };

  simulatorPerSuite({ tickMs: 25, credentials: [{ key: KEY, secret: SECRET }] }, (s) => (sim = s));

  const creds = { conn: { apiKey: KEY, apiSecret: SECRET } };
  const deploy = async (type: string, category: string, symbols: string, extra: Record<string, unknown> = {}) => {
    const subscribed = sim.waitFor('subscribe', (ev: { path: string }) => ev.path === `/v5/public/${category}`);
    await loadFlow([connection(sim), ...paletteNode(type, { category, symbols, ...extra })], creds);
    await subscribed;
  };

  for (const category of ['linear', 'inverse', 'option']) {
    const symbol = SYMBOL[category];

    it(`bybit-trade ${category}: trade.${category}.<SYMBOL>, each with its category`, async function () {
      await deploy('bybit-trade', category, category === 'option' ? 'BTC' : symbol);
      const got = nextMsg('n1-out');
      sim.injectTrade({ category: category as 'linear', symbol, price: '123.5', qty: '2' });
      const msg = await got;
      assert.equal(msg.topic, `trade.${category}.${symbol}`);
      const p = assertShape(msg.payload, {
        category: 'category', symbol: 'string', id: 'string', price: 'number', qty: 'number', side: 'side', time: 'number', seq: 'number', blockTrade: 'boolean',
      }, 'trade');
      assert.deepEqual([p.category, p.symbol, p.price, p.qty], [category, symbol, 123.5, 2]);
    });

    it(`bybit-ticker ${category}: the ${category === 'option' ? 'greeks and IVs' : 'derivatives fields'} as numbers or null`, async function () {
      await deploy('bybit-ticker', category, symbol);
      const msg = await nextMsg('n1-out');
      assert.equal(msg.topic, `ticker.${category}.${symbol}`);
      const extra = category === 'option' ? OPTION_TICKER : DERIVATIVE_TICKER;
      const p = assertShape(msg.payload, { ...SPOT_TICKER, ...extra }, 'ticker');
      assert.equal(p.category, category);
      assert.equal(p.usdIndexPrice, null);
    });

    if (category !== 'option') {
      it(`bybit-kline ${category}: kline.${category}.5.<SYMBOL>`, async function () {
        await deploy('bybit-kline', category, symbol, { interval: '5' });
        const msg = await nextMsg('n1-out');
        assert.equal(msg.topic, `kline.${category}.5.${symbol}`);
        const p = assertShape(msg.payload, {
          category: 'category', symbol: 'string', interval: 'string', start: 'number', open: 'number', high: 'number', low: 'number', close: 'number',
          volume: 'number', turnover: 'number|null', confirm: 'boolean|null', time: 'number', end: 'number',
        }, 'kline');
        assert.equal(p.category, category);
      });

      it(`bybit-liquidation ${category}: liquidation.${category}.<SYMBOL>`, async function () {
        await deploy('bybit-liquidation', category, symbol);
        const got = nextMsg('n1-out');
        sim.injectLiquidation({ category: category as 'linear', symbol, side: 'Buy', price: '100', qty: '2' });
        const msg = await got;
        assert.equal(msg.topic, `liquidation.${category}.${symbol}`);
        const p = assertShape(msg.payload, { category: 'category', symbol: 'string', side: 'side', qty: 'number', price: 'number', time: 'number' }, 'liquidation');
        assert.deepEqual([p.category, p.qty, p.price], [category, 2, 100]);
      });
    }

    it(`bybit-orderbook ${category}: sorted levels from the category's stream`, async function () {
      const depth = category === 'option' ? 25 : 20;
      await deploy('bybit-orderbook', category, symbol, { depth });
      assert.deepEqual(sim.subscriptions(`/v5/public/${category}`), [`orderbook.${category === 'option' ? 25 : 50}.${symbol}`]);
      const msg = await nextMsg('n1-out');
      assert.equal(msg.topic, `orderbook.${category}.${symbol}`);
      const p = assertShape(msg.payload, {
        category: 'category', symbol: 'string', bids: 'array', asks: 'array', depth: 'number', updateId: 'number|null', time: 'number', seq: 'number', matchTime: 'number',
      }, 'orderbook');
      assert.equal(p.category, category);
      const bids = assertLevels(p.bids, depth, true, 'bids');
      const asks = assertLevels(p.asks, depth, false, 'asks');
      assert.ok(bids[0][0] < asks[0][0], 'crossed book emitted');
    });

    it(`bybit-bookticker ${category}: best bid and ask`, async function () {
      await deploy('bybit-bookticker', category, symbol);
      const msg = await nextMsg('n1-out');
      assert.equal(msg.topic, `bookticker.${category}.${symbol}`);
      const p = assertShape(msg.payload, { category: 'category', symbol: 'string', bidPrice: 'number', bidQty: 'number', askPrice: 'number', askQty: 'number', time: 'number' }, 'bookticker');
      assert.ok((p.bidPrice as number) < (p.askPrice as number));
    });
  }

  const ORDER_SHAPE: Record<string, Check> = {
    category: 'category', symbol: 'string', orderId: 'string', clientOrderId: 'string|null', side: 'side', type: 'string', timeInForce: 'string', price: 'number',
    qty: 'number', status: 'status', cumQty: 'number', cumQuote: 'number', avgPrice: 'number|null', createdTime: 'number', updatedTime: 'number',
    marketUnit: 'string|null', leavesQty: 'number', fee: 'number|null', triggerPrice: 'number|null', stopOrderType: 'string|null', rejectReason: 'string', cancelType: 'string',
  };
  const EXECUTION_SHAPE: Record<string, Check> = {
    category: 'category', symbol: 'string', execId: 'string|null', orderId: 'string|null', clientOrderId: 'string|null', side: 'side|null', price: 'number|null',
    qty: 'number|null', fee: 'number|null', feeCoin: 'string|null', isMaker: 'boolean', time: 'number',
    execValue: 'number', feeRate: 'number', execType: 'string', orderType: 'string', seq: 'number',
  };
  const POSITION_SHAPE: Record<string, Check> = {
    category: 'category', symbol: 'string', side: 'side|null', size: 'number', entryPrice: 'number|null', markPrice: 'number|null', leverage: 'number|null',
    positionValue: 'number|null', unrealisedPnl: 'number|null', curRealisedPnl: 'number|null', cumRealisedPnl: 'number|null', liqPrice: 'number|null',
    takeProfit: 'number|null', stopLoss: 'number|null', positionIdx: 'number|null', positionStatus: 'string|null', updatedTime: 'number|null', seq: 'number|null',
  };

  async function deployPrivate(type: string, category: string): Promise<void> {
    const ready = sim.waitFor('subscribe', (ev: { path: string }) => ev.path === '/v5/private');
    await loadFlow([connection(sim), ...paletteNode(type, { symbols: '', category })], creds);
    await ready;
  }

  for (const category of ['linear', 'inverse', 'option', 'all']) {
    const own = category === 'all' ? 'linear' : category;
    const symbol = SYMBOL[own];
    const price = own === 'option' ? '1500' : '30000';

    it(`bybit-order ${category}: order.${own}.<SYMBOL> with the normalized fields`, async function () {
      await deployPrivate('bybit-order', category);
      const got = nextMsg('n1-out', (m) => (m.payload as { status: string }).status === 'Filled');
      sim.orderLifecycle({ category: own as 'linear', symbol, side: 'Buy', type: 'Limit', price, qty: '1', fills: 1, key: KEY });
      const msg = await got;
      assert.equal(msg.topic, `order.${own}.${symbol}`);
      const p = assertShape(msg.payload, ORDER_SHAPE, 'order');
      assert.deepEqual([p.category, p.qty, p.cumQty, p.avgPrice], [own, 1, 1, Number(price)]);
    });

    it(`bybit-execution ${category}: execution.${own}.<SYMBOL> with the normalized fields`, async function () {
      await deployPrivate('bybit-execution', category);
      const got = nextMsg('n1-out');
      sim.orderLifecycle({ category: own as 'linear', symbol, side: 'Sell', type: 'Limit', price, qty: '1', fills: 1, key: KEY });
      const msg = await got;
      assert.equal(msg.topic, `execution.${own}.${symbol}`);
      const p = assertShape(msg.payload, EXECUTION_SHAPE, 'execution');
      assert.deepEqual([p.category, p.qty, p.price], [own, 1, Number(price)]);
    });

    it(`bybit-position ${category}: position.${own}.<SYMBOL> with the normalized fields`, async function () {
      await deployPrivate('bybit-position', category);
      const got = nextMsg('n1-out');
      sim.setPosition({ category: own as 'linear', symbol, side: 'Sell', size: '2', price, key: KEY });
      const msg = await got;
      assert.equal(msg.topic, `position.${own}.${symbol}`);
      const p = assertShape(msg.payload, POSITION_SHAPE, 'position');
      assert.deepEqual([p.category, p.side, p.size, p.entryPrice], [own, 'Sell', 2, Number(price)]);
    });
  }
});
