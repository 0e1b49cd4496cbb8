/**
 * HTTP control routes on the simulator's own port, for the CLI and for flows that want to
 * drive private events or faults: `POST /control/<name>` with a JSON body, JSON replies.
 * Only loopback clients are served (see control-guard.ts): these routes move money in the
 * simulated accounts.
 */
import type http from 'node:http';
import { amount, BadRequest, bool, int, num, str, type Body, type Handler } from './control-args';
import { refuseControl } from './control-guard';
import { PUSH_ROUTES } from './control-push';
import { TRADE_ROUTES } from './control-trade';
import { MALFORMED_KINDS, type MalformedKind } from './faults';
import type { LoadPayload } from './load';
import { balanceRows, v5ControlRoutes } from './control-routes-v5';
import { isCategory, type Category } from './instruments';
import { handleRestRequest } from './rest';
import type { Simulator } from './server';

export { BadRequest } from './control-args';
export { isLoopback } from './control-guard';

const MAX_BODY = 1 << 20;

/** Caps per request: one call must not hang the simulator (a 1e11-step loop) or exhaust it. */
export const CONTROL_CAPS = { steps: 100_000, fills: 1_000, loadFrames: 1_000_000, tradesPerFrame: 1_000, loadTopics: 10, loadItems: 2_000_000, malformedBytes: 64 * 1024 * 1024 };

/** Optional V5 category of a body or query (undefined when absent). */
function cat(value: unknown): Category | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (!isCategory(value)) throw new BadRequest('category must be spot, linear, inverse or option');
  return value;
}

/** Route table: POST unless the name starts with "GET ". Extended by later phases in place. */
export const ROUTES: Record<string, Handler> = {
  'GET /control/status': (sim) => ({
    port: sim.port,
    paths: sim.paths(),
    clients: sim.clientCount(),
    subscriptions: sim.subscriptions(),
    connectionAttempts: sim.connectionAttempts(),
  }),
  'GET /control/book': (_sim, _b, url) => {
    const symbol = url.searchParams.get('symbol');
    const depth = Number(url.searchParams.get('depth') ?? '50');
    if (!symbol) throw new BadRequest('symbol query parameter required');
    return _sim.book(symbol, depth, cat(url.searchParams.get('category')));
  },
  'GET /control/balances': (sim, _b, url) => {
    return { balances: balanceRows(sim, url.searchParams.get('key') ?? undefined) };
  },
  '/control/balance': (sim, b) => {
    sim.injectBalance({
      coin: str(b, 'coin')!, walletBalance: amount(b, 'walletBalance')!, locked: amount(b, 'locked', true), spotBorrow: amount(b, 'spotBorrow', true),
      key: str(b, 'key', true),
    });
    return {};
  },
  '/control/order': (sim, b) => ({
    orderId: sim.placeOrder({
      category: cat(b.category), symbol: str(b, 'symbol')!, side: str(b, 'side') as 'Buy', type: str(b, 'type', true) as 'Limit' | undefined,
      price: amount(b, 'price', true), qty: amount(b, 'qty')!, orderLinkId: str(b, 'orderLinkId', true), key: str(b, 'key', true),
      timeInForce: str(b, 'timeInForce', true), marketUnit: str(b, 'marketUnit', true) as 'baseCoin' | undefined,
      triggerPrice: amount(b, 'triggerPrice', true), stopOrderType: str(b, 'stopOrderType', true), rejectReason: str(b, 'rejectReason', true),
    }),
  }),
  '/control/fill': (sim, b) => {
    const fill = sim.accounts.fillOrder(str(b, 'orderId')!, amount(b, 'qty', true), {
      isMaker: b.isMaker === undefined ? undefined : bool(b, 'isMaker'), price: amount(b, 'price', true),
    });
    return { execId: fill.execId };
  },
  '/control/cancel': (sim, b) => {
    sim.accounts.cancelOrder(str(b, 'orderId')!, str(b, 'cancelType', true));
    return {};
  },
  '/control/lifecycle': (sim, b) => ({
    orderId: sim.orderLifecycle({
      category: cat(b.category), symbol: str(b, 'symbol')!, side: str(b, 'side') as 'Buy', type: str(b, 'type', true) as 'Limit' | undefined,
      price: amount(b, 'price', true), qty: amount(b, 'qty')!, fills: int(b, 'fills', 1, CONTROL_CAPS.fills, true), orderLinkId: str(b, 'orderLinkId', true),
      key: str(b, 'key', true),
    }),
  }),
  '/control/drop': (sim, b) => {
    const mode = str(b, 'mode', true);
    if (mode !== undefined && mode !== 'close' && mode !== 'terminate') throw new BadRequest('mode must be close or terminate');
    sim.dropAll({ mode, code: num(b, 'code', true), reason: str(b, 'reason', true), path: str(b, 'path', true) });
    return {};
  },
  '/control/auth-rejection': (sim, b) => {
    sim.setAuthRejection(bool(b, 'enabled')!, str(b, 'retMsg', true));
    return {};
  },
  '/control/pings': (sim, b) => {
    sim.setPingReplies(bool(b, 'enabled')!);
    return {};
  },
  '/control/reject': (sim, b) => {
    sim.rejectNext(num(b, 'n')!, str(b, 'retMsg', true));
    return {};
  },
  '/control/refuse': (sim, b) => {
    sim.refuseConnections(num(b, 'ms')!);
    return {};
  },
  '/control/delay': (sim, b) => {
    sim.delayReplies(num(b, 'ms')!);
    return {};
  },
  '/control/raw': (sim, b) => ({ sent: sim.sendRaw(str(b, 'data')!, str(b, 'path', true)) }),
  '/control/malformed': (sim, b) => {
    const kind = str(b, 'kind')!;
    if (!(MALFORMED_KINDS as readonly string[]).includes(kind)) throw new BadRequest(`kind must be one of ${MALFORMED_KINDS.join(', ')}`);
    return { sent: sim.sendMalformed(kind as MalformedKind, { path: str(b, 'path', true), bytes: int(b, 'bytes', 1, CONTROL_CAPS.malformedBytes, true) }) };
  },
  '/control/load': async (sim, b) => {
    const rate = b.rate === 'max' ? 'max' : num(b, 'rate');
    const topics = b.topics;
    if (topics !== undefined && (!Array.isArray(topics) || topics.some((t) => typeof t !== 'string'))) throw new BadRequest('topics must be an array of strings');
    if (Array.isArray(topics) && topics.length > CONTROL_CAPS.loadTopics) throw new BadRequest(`at most ${CONTROL_CAPS.loadTopics} topics`);
    const payload = str(b, 'payload', true);
    if (payload !== undefined && !['trade', 'ticker', 'orderbook'].includes(payload)) throw new BadRequest('payload must be trade, ticker or orderbook');
    const frames = int(b, 'frames', 1, CONTROL_CAPS.loadFrames)!;
    const tradesPerFrame = int(b, 'tradesPerFrame', 1, CONTROL_CAPS.tradesPerFrame, true);
    // Frames are encoded up front: bound what one run may hold in memory (~150 bytes an item).
    if (frames * (tradesPerFrame ?? 1) * Math.max(1, (topics as unknown[] | undefined)?.length ?? 1) > CONTROL_CAPS.loadItems) {
      throw new BadRequest(`frames x tradesPerFrame x topics must be at most ${CONTROL_CAPS.loadItems}`);
    }
    return sim.startLoad({
      topic: str(b, 'topic', true), topics: topics as string[] | undefined, rate: rate!, frames, payload: payload as LoadPayload | undefined, tradesPerFrame,
    });
  },
  '/control/step': (sim, b) => {
    const n = int(b, 'n', 1, CONTROL_CAPS.steps, true) ?? 1;
    for (let i = 0; i < n; i++) sim.step();
    return {};
  },
  '/control/book-gap': (sim, b) => (sim.injectBookGap(str(b, 'topic')!, cat(b.category)), {}),
  '/control/book-restart': (sim, b) => (sim.restartBook(str(b, 'topic')!, cat(b.category)), {}),
  '/control/crossed-delta': (sim, b) => (sim.sendCrossedDelta(str(b, 'topic')!, cat(b.category)), {}),
  '/control/close-candle': (sim, b) => (sim.closeCandle(str(b, 'topic')!, cat(b.category)), {}),
  ...PUSH_ROUTES,
  ...TRADE_ROUTES,
};
Object.assign(ROUTES, v5ControlRoutes({ str, num, amount, bool: (b, n) => bool(b, n)!, BadRequest }));

function reply(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

export function handleControlRequest(sim: Simulator, req: http.IncomingMessage, res: http.ServerResponse): void {
  if (handleRestRequest(sim, req, res)) return;
  const refusal = refuseControl(req, sim.host);
  if (refusal) return reply(res, refusal.status, { ok: false, error: refusal.error });
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = req.method ?? 'GET';
  const handler = method === 'GET' ? ROUTES[`GET ${url.pathname}`] : method === 'POST' ? ROUTES[url.pathname] : undefined;
  if (!handler) {
    const known = Object.keys(ROUTES).some((r) => r.replace(/^GET /, '') === url.pathname);
    return reply(res, known ? 405 : 404, { ok: false, error: known ? `method ${method} not allowed` : 'not found' });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size > MAX_BODY) req.destroy();
    else chunks.push(c);
  });
  req.on('end', () => {
    let body: Body = {};
    const text = Buffer.concat(chunks).toString('utf8').trim();
    if (text) {
      try {
        const parsed: unknown = JSON.parse(text);
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('body must be a JSON object');
        body = parsed as Body;
      } catch (err) {
        return reply(res, 400, { ok: false, error: `invalid JSON body: ${(err as Error).message}` });
      }
    }
    Promise.resolve()
      .then(() => handler(sim, body, url))
      .then(
        (result) => reply(res, 200, { ok: true, ...(result as object) }),
        (err: Error) => reply(res, err instanceof BadRequest ? 400 : 422, { ok: false, error: err.message }),
      );
  });
}
