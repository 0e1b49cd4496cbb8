/**
 * V5 WebSocket Trade API (`/v5/trade`, websocket/trade/guideline.mdx): auth, ping, and
 * `order.create|amend|cancel` (plus their `-batch` forms) with one reply per request, camelCase
 * keys, `reqId` echoed when sent, and the per-op rate-limit `header`. The orders themselves are
 * the desk's (trade-desk.ts); this file speaks the wire.
 */
import { randomBytes } from 'node:crypto';
import { verifyAuth } from './auth';
import type { Dialect, DialectContext } from './dialect';
import type { Session } from './session';
import type { TradeDesk, TradeOutcome } from './trade-desk';
import { E, TradeError, type Category } from './trade-model';
import { asArgs, readAmend, readCategory, readCreate, readRef } from './trade-params';
import type { LimitStatus } from './trade-limits';

export const TRADE_PATH = '/v5/trade';

type Req = Record<string, unknown>;
type OrderOp = 'order.create' | 'order.amend' | 'order.cancel';

const BATCH_OPS: Record<string, OrderOp> = {
  'order.create-batch': 'order.create',
  'order.amend-batch': 'order.amend',
  'order.cancel-batch': 'order.cancel',
};
const SINGLE_OPS: readonly string[] = ['order.create', 'order.amend', 'order.cancel'];

/** guideline.mdx: reqId at most 36 characters; X-BAPI-RECV-WINDOW 5000 ms unless given. */
const MAX_REQ_ID = 36;
const DEFAULT_RECV_WINDOW = 5000;
/** reqIds remembered per socket for the duplicate check (20006). */
const MAX_REMEMBERED_REQ_IDS = 10_000;

interface Body {
  data: unknown;
  retExtInfo: unknown;
  header?: Record<string, string>;
}

/** `{reqId?, retCode, retMsg, op, data?, retExtInfo?, header?, connId}` in the guideline's key order. */
function envelope(session: Session, req: Req | undefined, op: unknown, retCode: number, retMsg: string, body?: Body): Req {
  const out: Req = {};
  if (req?.reqId !== undefined) out.reqId = req.reqId;
  out.retCode = retCode;
  out.retMsg = retMsg;
  if (typeof op === 'string') out.op = op;
  if (body) {
    out.data = body.data;
    out.retExtInfo = body.retExtInfo;
    if (body.header) out.header = body.header;
  }
  out.connId = session.connId;
  return out;
}

function rateHeader(status: LimitStatus, now: number): Record<string, string> {
  return {
    'X-Bapi-Limit': String(status.limit),
    'X-Bapi-Limit-Status': String(status.remaining),
    'X-Bapi-Limit-Reset-Timestamp': String(status.resetAt),
    Traceid: randomBytes(16).toString('hex'),
    Timenow: String(now),
  };
}

export class V5TradeDialect implements Dialect {
  readonly name = 'v5-trade';
  private readonly reqIds = new WeakMap<Session, Set<string>>();

  constructor(
    private readonly ctx: DialectContext,
    private readonly desk: TradeDesk,
  ) {}

  onFrame(session: Session, _text: string, frame: unknown, decodeError: string | undefined): void {
    if (decodeError !== undefined) {
      session.sendJson(envelope(session, undefined, undefined, E.param, `Failed to decode incoming data: ${decodeError}`));
      return;
    }
    const req = frame !== null && typeof frame === 'object' && !Array.isArray(frame) ? (frame as Req) : undefined;
    const op = req?.op;
    if (req && op === 'ping') {
      // guideline.mdx "Ping": the pong carries the server time in `data`, before connId.
      const pong: Req = {};
      if (req.reqId !== undefined) pong.reqId = req.reqId;
      Object.assign(pong, { retCode: 0, retMsg: 'OK', op: 'pong', data: [String(this.ctx.now())], connId: session.connId });
      session.sendJson(pong);
    } else if (req && op === 'auth') {
      this.auth(session, req);
    } else if (req && typeof op === 'string' && (SINGLE_OPS.includes(op) || op in BATCH_OPS)) {
      this.order(session, req, op);
    } else {
      session.sendJson(envelope(session, req, op, E.opNotFound.retCode, E.opNotFound.message));
    }
  }

  /** guideline.mdx "Authentication": 0 OK, 20001 repeat auth, 10004 invalid sign, 10001 param error. */
  private auth(session: Session, req: Req): void {
    const reply = (code: number, msg: string): void => void session.sendJson(envelope(session, req, 'auth', code, msg));
    if (session.authKey !== undefined) return reply(E.repeatAuth.retCode, E.repeatAuth.message);
    const forced = this.ctx.faults.authRejection;
    if (forced !== undefined) return reply(E.sign.retCode, forced || E.sign.message);
    const args = req.args;
    if (!Array.isArray(args) || args.length < 3) return reply(E.param, 'Request parameter error: args must be [api key, expires, signature]');
    const result = verifyAuth(this.ctx.credentials, args, this.ctx.now());
    if (!result.ok) {
      return result.reason === 'expired' ? reply(E.param, 'Request parameter error: expires is in the past') : reply(E.sign.retCode, E.sign.message);
    }
    session.authKey = result.key;
    reply(0, 'OK');
  }

  private order(session: Session, req: Req, op: string): void {
    const key = session.authKey;
    if (key === undefined) return void session.sendJson(envelope(session, req, op, E.notAuthed.retCode, E.notAuthed.message));
    // A silenced request vanishes (or is carried out without a reply): the client's timeout is under test.
    const silence = this.desk.limits.takeSilence();
    if (silence && !silence.execute) return;
    const send = (frame: Req): void => void (silence ? undefined : session.sendJson(frame));
    const refusal = this.checkEnvelope(session, req);
    if (refusal) return send(envelope(session, req, op, refusal.retCode, refusal.message));

    const args = Array.isArray(req.args) ? req.args : undefined;
    const first = args?.[0] as Req | undefined;
    const category = first !== null && typeof first === 'object' ? first.category : undefined;
    const batch = BATCH_OPS[op];
    const items = batch && Array.isArray(first?.request) ? (first.request as unknown[]) : undefined;
    const cost = items && category !== 'option' ? Math.max(1, items.length) : 1;
    const now = this.ctx.now();
    const limit = this.desk.limits.take(key, op, category, now, cost);
    const header = rateHeader(limit, now);
    if (!limit.ok) return send(envelope(session, req, op, E.rateLimit.retCode, E.rateLimit.message, { data: {}, retExtInfo: {}, header }));

    const publish: TradeOutcome[] = [];
    try {
      const data = batch ? this.batch(key, batch, args, publish) : this.single(key, op as OrderOp, args, publish);
      send(envelope(session, req, op, 0, 'OK', { ...data, header }));
    } catch (err) {
      if (!(err instanceof TradeError)) throw err;
      send(envelope(session, req, op, err.retCode, err.message, { data: {}, retExtInfo: {}, header }));
    }
    for (const p of publish) p.publish();
  }

  /** reqId (at most 36 characters, unique per socket) and the header's timestamp rule (guideline.mdx). */
  private checkEnvelope(session: Session, req: Req): TradeError | undefined {
    const reqId = req.reqId;
    if (reqId !== undefined) {
      if (typeof reqId !== 'string' || reqId.length > MAX_REQ_ID) return new TradeError(E.param, `Request parameter error: reqId must be a string of at most ${MAX_REQ_ID} characters`);
      let seen = this.reqIds.get(session);
      if (!seen) this.reqIds.set(session, (seen = new Set()));
      if (seen.has(reqId)) return E.duplicateReqId;
      seen.add(reqId);
      if (seen.size > MAX_REMEMBERED_REQ_IDS) seen.delete(seen.values().next().value as string);
    }
    const header = req.header;
    const h = header !== null && typeof header === 'object' && !Array.isArray(header) ? (header as Req) : {};
    const ts = digits(h['X-BAPI-TIMESTAMP']);
    if (ts === undefined) return new TradeError(E.param, 'Request parameter error: header X-BAPI-TIMESTAMP is required (ms, as a string)');
    const given = h['X-BAPI-RECV-WINDOW'];
    const window = given === undefined ? DEFAULT_RECV_WINDOW : digits(given);
    if (window === undefined) return new TradeError(E.param, 'Request parameter error: header X-BAPI-RECV-WINDOW is invalid');
    const now = this.ctx.now();
    if (!(now - window <= ts && ts < now + 1000)) return E.recvWindow;
    return undefined;
  }

  private single(key: string, op: OrderOp, args: unknown[] | undefined, publish: TradeOutcome[]): Body {
    if (!args || args.length !== 1) throw new TradeError(E.param, 'Request parameter error: args must hold exactly one order object');
    const outcome = this.run(key, op, asArgs(args[0]));
    publish.push(outcome);
    return { data: { orderId: outcome.orderId, orderLinkId: outcome.orderLinkId }, retExtInfo: {} };
  }

  /** guideline.mdx "Batch": one entry per order in data.list, its own code/msg in retExtInfo.list. */
  private batch(key: string, op: OrderOp, args: unknown[] | undefined, publish: TradeOutcome[]): Body {
    if (!args || args.length !== 1) throw new TradeError(E.param, 'Request parameter error: args must hold one {category, request} object');
    const head = asArgs(args[0]);
    const category: Category = readCategory(head);
    const requests = head.request;
    const max = category === 'spot' ? 10 : 20;
    if (!Array.isArray(requests) || requests.length === 0 || requests.length > max) {
      throw new TradeError(E.param, `Request parameter error: request must hold 1 to ${max} orders`);
    }
    const list: Req[] = [];
    const results: { code: number; msg: string }[] = [];
    for (const item of requests) {
      const a = item !== null && typeof item === 'object' && !Array.isArray(item) ? (item as Req) : {};
      const entry: Req = { category, symbol: typeof a.symbol === 'string' ? a.symbol : '', orderId: '', orderLinkId: typeof a.orderLinkId === 'string' ? a.orderLinkId : '' };
      if (op === 'order.create') entry.createAt = '';
      try {
        const outcome = this.run(key, op, { ...a, category });
        publish.push(outcome);
        Object.assign(entry, { orderId: outcome.orderId, orderLinkId: outcome.orderLinkId });
        if (op === 'order.create') entry.createAt = String(this.ctx.now());
        results.push({ code: 0, msg: 'OK' });
      } catch (err) {
        if (!(err instanceof TradeError)) throw err;
        results.push({ code: err.retCode, msg: err.message });
      }
      list.push(entry);
    }
    return { data: { list }, retExtInfo: { list: results } };
  }

  private run(key: string, op: OrderOp, a: Req): TradeOutcome {
    if (op === 'order.create') return this.desk.create(key, readCreate(a));
    if (op === 'order.amend') return this.desk.amend(key, readAmend(a));
    return this.desk.cancel(key, readRef(a));
  }
}

/** A non-negative integer given as digits (string) or a JSON integer, else undefined. */
function digits(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && /^\d{1,16}$/.test(v)) return Number(v);
  return undefined;
}
