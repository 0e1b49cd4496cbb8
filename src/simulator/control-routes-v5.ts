/**
 * Control routes for the V5 categories, positions, conditional orders and wire choices
 * (merged into control-http's route table; it passes its body validators in, so this file
 * does not import it back).
 */
import type { AccountEvent } from './account';
import { fmtAmount } from './amount';
import type { WireOptions } from './dialect';
import { isCategory, type Category } from './instruments';
import type { Simulator } from './server';
import { positionItem } from './v5-items';

type Body = Record<string, unknown>;
type Handler = (sim: Simulator, body: Body, url: URL) => unknown | Promise<unknown>;

export interface BodyReaders {
  str(body: Body, name: string, optional?: boolean): string | undefined;
  num(body: Body, name: string, optional?: boolean): number | undefined;
  amount(body: Body, name: string, optional?: boolean): string | number | undefined;
  bool(body: Body, name: string): boolean;
  BadRequest: new (message: string) => Error;
}

export function v5ControlRoutes(r: BodyReaders): Record<string, Handler> {
  const category = (value: unknown, fallback: Category): Category => {
    if (value === undefined || value === null || value === '') return fallback;
    if (!isCategory(value)) throw new r.BadRequest('category must be spot, linear, inverse or option');
    return value;
  };
  const optBool = (b: Body, name: string): boolean | undefined => (b[name] === undefined ? undefined : r.bool(b, name));
  const side = (b: Body, name: string): 'Buy' | 'Sell' | undefined => {
    const v = r.str(b, name, true);
    if (v !== undefined && v !== 'Buy' && v !== 'Sell') throw new r.BadRequest(`${name} must be Buy or Sell`);
    return v;
  };
  const query = (url: URL, name: string): string => {
    const v = url.searchParams.get(name);
    if (!v) throw new r.BadRequest(`${name} query parameter required`);
    return v;
  };
  /** The position item exactly as the next `position` push would carry it. */
  const positionReply = (sim: Simulator, view: Extract<AccountEvent, { kind: 'position' }>['view']): unknown => ({ position: positionItem(view, sim.market) });
  const derivative = (value: unknown): 'linear' | 'inverse' | 'option' => {
    const c = category(value, 'linear');
    if (c === 'spot') throw new r.BadRequest('positions are linear, inverse or option');
    return c;
  };

  return {
    'GET /control/ticker': (sim, _b, url) => ({ ticker: sim.ticker(category(url.searchParams.get('category'), 'spot'), query(url, 'symbol')) }),
    'GET /control/position': (sim, _b, url) =>
      positionReply(sim, sim.accounts.positionOf(derivative(url.searchParams.get('category')), query(url, 'symbol'), url.searchParams.get('key') ?? undefined)),
    '/control/position': (sim, b) =>
      positionReply(sim, sim.setPosition({
        category: derivative(b.category), symbol: r.str(b, 'symbol')!, side: b.size === '0' || b.size === 0 ? '' : side(b, 'side'),
        size: r.amount(b, 'size')!, price: r.amount(b, 'price', true), markPrice: r.amount(b, 'markPrice', true),
        leverage: r.amount(b, 'leverage', true), key: r.str(b, 'key', true),
      })),
    '/control/position-close': (sim, b) =>
      positionReply(sim, sim.setPosition({
        category: derivative(b.category), symbol: r.str(b, 'symbol')!, size: 0, price: r.amount(b, 'price', true), key: r.str(b, 'key', true),
      })),
    '/control/trigger': (sim, b) => (sim.triggerOrder(r.str(b, 'orderId')!, { fail: optBool(b, 'fail'), rejectReason: r.str(b, 'rejectReason', true) }), {}),
    '/control/trade': (sim, b) => ({
      sent: sim.injectTrade({
        category: category(b.category, 'spot'), symbol: r.str(b, 'symbol')!, side: side(b, 'side'), price: decimalText(r, b, 'price'),
        qty: decimalText(r, b, 'qty'), blockTrade: optBool(b, 'blockTrade'),
      }),
    }),
    '/control/liquidation': (sim, b) => ({
      sent: sim.injectLiquidation({
        category: category(b.category, 'linear'), symbol: r.str(b, 'symbol')!, side: side(b, 'side'), price: r.amount(b, 'price', true),
        qty: r.amount(b, 'qty', true),
      }),
    }),
    '/control/book-u-skips': (sim, b) => (sim.setBookUSkips(r.bool(b, 'enabled'), r.str(b, 'topic', true), b.category === undefined ? undefined : category(b.category, 'spot')), {}),
    '/control/ticker-no-snapshot': (sim, b) => (sim.skipTickerSnapshots(r.num(b, 'n')!), {}),
    '/control/clock': (sim, b) => (sim.setClockOffset(r.num(b, 'offsetMs')!), { now: sim.now() }),
    '/control/wire': (sim, b) => {
      const next: Partial<WireOptions> = {};
      if (b.echoPrivateReqId !== undefined) next.echoPrivateReqId = r.bool(b, 'echoPrivateReqId');
      if (b.categorisedPushTopic !== undefined) {
        if (b.categorisedPushTopic !== 'subscribed' && b.categorisedPushTopic !== 'all-in-one') throw new r.BadRequest('categorisedPushTopic must be subscribed or all-in-one');
        next.categorisedPushTopic = b.categorisedPushTopic;
      }
      if (b.v1ExecutionReport !== undefined) {
        if (b.v1ExecutionReport !== 'object' && b.v1ExecutionReport !== 'array') throw new r.BadRequest('v1ExecutionReport must be object or array');
        next.v1ExecutionReport = b.v1ExecutionReport;
      }
      sim.setWire(next);
      return { wire: { ...sim.wire } };
    },
  };
}

/** A price or qty for the wire, kept as the exact text given (numbers are printed plainly). */
function decimalText(r: BodyReaders, b: Body, name: string): string | undefined {
  const v = r.amount(b, name, true);
  if (v === undefined) return undefined;
  const text = typeof v === 'number' ? String(v) : v.trim();
  if (!/^\d+(\.\d+)?$/.test(text)) throw new r.BadRequest(`${name} must be a plain positive decimal`);
  return text;
}

/** Balances as /control/balances lists them (with the margin fields). */
export function balanceRows(sim: Simulator, key: string | undefined): unknown[] {
  return sim.accounts.balancesOf(key).map((b) => ({
    coin: b.coin, walletBalance: fmtAmount(b.walletBalance), locked: fmtAmount(b.locked), spotBorrow: fmtAmount(b.spotBorrow),
    equity: fmtAmount(b.equity), usdValue: fmtAmount(b.usdValue),
  }));
}
