/**
 * Control routes for the Trade API (`/v5/trade`): inspect and place orders, fill a resting
 * order, set the rate limit, leave requests unanswered. Balances are the account model's
 * (`POST /control/balance`); `POST /control/drop {"path":"/v5/trade"}` drops trade sockets.
 */
import { toAmount } from './amount';
import { amount, BadRequest, bool, int, oneOf, str, type Body, type Handler } from './control-args';
import type { Simulator } from './server';
import { positionItem, orderItem } from './trade-frames';
import { isOpen, TradeError } from './trade-model';
import { readCreate } from './trade-params';

const OPS = ['order.create', 'order.amend', 'order.cancel', 'order.create-batch', 'order.amend-batch', 'order.cancel-batch'] as const;

function accountKey(sim: Simulator, key: string | null | undefined): string {
  if (key === null || key === undefined) {
    const first = sim.credentials[0];
    if (!first) throw new BadRequest('no API credentials configured');
    return first.key;
  }
  if (!sim.credentials.some((c) => c.key === key)) throw new BadRequest(`unknown API key ${JSON.stringify(key)}`);
  return key;
}

/** Bybit's refusal as a control error (HTTP 422): "<retCode> <retMsg>". */
function tradeCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof TradeError) throw new Error(`${err.retCode} ${err.message}`);
    throw err;
  }
}

export const TRADE_ROUTES: Record<string, Handler> = {
  /** ?key= (default: every account), ?open=true for open orders only; items in the `order` push shape. */
  'GET /control/trade-orders': (sim, _b, url) => {
    const key = url.searchParams.get('key');
    const openOnly = url.searchParams.get('open') === 'true';
    const orders = sim.trade.orders(key === null ? undefined : accountKey(sim, key)).filter((o) => !openOnly || isOpen(o));
    return { orders: orders.map((o) => ({ key: o.key, ...orderItem(o) })) };
  },
  'GET /control/trade-positions': (sim, _b, url) => {
    const key = url.searchParams.get('key');
    const positions = sim.trade.positions(key === null ? undefined : accountKey(sim, key));
    const mark = (symbol: string): bigint => {
      const sym = sim.market.symbol(symbol);
      return toAmount(sym.price(sym.last));
    };
    return { positions: positions.map((p) => positionItem(p, mark(p.symbol))) };
  },
  /** Places an order as `order.create` would (same fields, same checks) for `key`, frames included. */
  '/control/trade-order': (sim, b: Body) => {
    const { key: k, ...fields } = b;
    const key = accountKey(sim, typeof k === 'string' ? k : undefined);
    const outcome = tradeCall(() => sim.trade.create(key, readCreate(fields)));
    outcome.publish();
    return { orderId: outcome.orderId, orderLinkId: outcome.orderLinkId };
  },
  /** Fills a resting order (qty default: the rest) at its price, as the maker. */
  '/control/trade-fill': (sim, b) => {
    const qty = amount(b, 'qty', true);
    const key = str(b, 'key', true);
    return sim.trade.fillResting(str(b, 'orderId')!, qty === undefined ? undefined : toAmount(qty, 'qty'), key === undefined ? undefined : accountKey(sim, key));
  },
  /** {limit: n | null (documented defaults), op?: one op (default all), windowMs?} */
  '/control/trade-rate-limit': (sim, b) => {
    const limit = b.limit === null ? null : int(b, 'limit', 1, 1_000_000, true);
    sim.trade.limits.set({ limit, op: oneOf(b, 'op', OPS, true), windowMs: int(b, 'windowMs', 1, 3_600_000, true) });
    return {};
  },
  /** The next n order requests get no reply; `execute: true` still carries them out. */
  '/control/trade-silence': (sim, b) => {
    sim.trade.limits.silenceNext(int(b, 'n', 0, 1000)!, bool(b, 'execute', true) ?? false);
    return {};
  },
};
