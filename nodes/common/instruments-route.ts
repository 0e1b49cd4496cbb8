/**
 * Admin route behind the symbols field's suggestions:
 * `GET <httpAdminRoot>/bybit-ws/instruments?network=&api=&publicUrl=&category=`.
 * It takes a connection's settings rather than a node id, because the dialog may be for a
 * connection that is not deployed yet. It asks only Bybit's own REST hosts, or for network
 * `custom` the origin of the given public URL; the latter lets the runtime fetch from any
 * host, so it needs write permission (a read-only editor user cannot deploy a flow either).
 */
import { CATEGORIES, InstrumentCache, InstrumentsError, restBase, type InstrumentCategory } from '../../src/instruments';
import type { Network } from '../../src/dialects';
import { APIS, NETWORKS } from './connection-config';
import type { NodeAPI } from './red';

export const INSTRUMENTS_ROUTE = '/bybit-ws/instruments';
export const READ_PERMISSION = 'bybit-connection.read';
export const CUSTOM_PERMISSION = 'bybit-connection.write';

interface AdminRequest {
  query: Record<string, unknown>;
}
interface AdminResponse {
  status(code: number): AdminResponse;
  json(body: unknown): void;
}
type Middleware = (req: AdminRequest, res: AdminResponse, next: () => void) => void;

/** The parts of the Node-RED API the route needs (absent when the admin API is off). */
export interface AdminAPI {
  httpAdmin?: { get(path: string, ...handlers: Middleware[]): void };
  auth?: { needsPermission(permission: string): Middleware };
}

/** One cache per runtime process: every connection and dialog shares it. */
const cache = new InstrumentCache();
/** Admin apps the route is on: Node-RED loads the module once, the test helper once per flow. */
const registered = new WeakSet<object>();

export class BadQuery extends Error {}

interface Query {
  network: Network;
  publicUrl?: string;
  category: InstrumentCategory;
}

function param<T extends string>(query: Record<string, unknown>, name: string, allowed: readonly T[], fallback: T): T {
  const value = query[name];
  if (value === undefined || value === '') return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new BadQuery(`${name} must be one of ${allowed.join(', ')}`);
}

/** Checks the query; the legacy spot dialects read V5's spot list. */
export function parseQuery(query: Record<string, unknown>): Query {
  const network = param(query, 'network', NETWORKS, 'mainnet');
  const api = param(query, 'api', APIS, 'v5');
  const category = param(query, 'category', CATEGORIES, 'spot');
  const publicUrl = query.publicUrl;
  if (publicUrl !== undefined && (typeof publicUrl !== 'string' || publicUrl.length > 2048)) throw new BadQuery('publicUrl must be a URL');
  return { network, publicUrl, category: api === 'v5' ? category : 'spot' };
}

function handler(req: AdminRequest, res: AdminResponse): void {
  let query: Query;
  let base: string;
  try {
    query = parseQuery(req.query);
    base = restBase(query.network, query.publicUrl);
  } catch (err) {
    const reason = err instanceof InstrumentsError ? err.reason : 'badRequest';
    res.status(400).json({ reason, message: (err as Error).message });
    return;
  }
  cache.get(base, query.category).then(
    (list) => res.json(list),
    (err: InstrumentsError) => res.status(502).json({ reason: err.reason, message: err.message, source: base }),
  );
}

/** Registers the route once per admin app; does nothing where the admin API is off. */
export function registerInstrumentsRoute(RED: NodeAPI): void {
  const { httpAdmin, auth } = RED as NodeAPI & AdminAPI;
  if (!httpAdmin || !auth || registered.has(httpAdmin)) return;
  registered.add(httpAdmin);
  const customNeedsWrite: Middleware = (req, res, next) =>
    req.query.network === 'custom' ? auth.needsPermission(CUSTOM_PERMISSION)(req, res, next) : next();
  httpAdmin.get(INSTRUMENTS_ROUTE, auth.needsPermission(READ_PERMISSION), customNeedsWrite, handler);
}
