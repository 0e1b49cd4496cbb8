/**
 * Bybit's instrument list, for the editor's symbol suggestions: V5 REST
 * `GET /v5/market/instruments-info?category=…` (bybit-docs v5/market/instrument.mdx).
 * Where to ask for a connection's settings, one bounded fetch (deadline, size cap, cursor
 * pages), and a small cache so every dialog does not ask Bybit again. Knows no Node-RED.
 *
 * Requests go through the environment's HTTP(S) proxy like the sockets do (Node's global
 * fetch ignores http_proxy/https_proxy), hence node:http(s) with the engine's proxy agent.
 */
import http from 'node:http';
import https from 'node:https';
import type { Network } from './dialects';
import { proxyAgentFor } from './engine/proxy';

export const CATEGORIES = ['spot', 'linear', 'inverse', 'option'] as const;
export type InstrumentCategory = (typeof CATEGORIES)[number];

/**
 * Bybit's REST hosts, the regional mainnet ones from v5 guide.mdx. Demo trading has no market
 * data of its own, so it reads mainnet's list.
 */
export const REST_HOSTS: Record<Exclude<Network, 'custom' | 'demo'>, string> = {
  mainnet: 'https://api.bybit.com',
  testnet: 'https://api-testnet.bybit.com',
  'mainnet-tr': 'https://api.bybit.tr',
  'mainnet-kz': 'https://api.bybit.kz',
  'mainnet-id': 'https://api.bybit.id',
  'mainnet-ge': 'https://api.bybitgeorgia.ge',
  'mainnet-jp': 'https://api.manepa.jp',
};
export const INSTRUMENTS_PATH = '/v5/market/instruments-info';

/** Why no list could be had; the editor shows a text per reason. */
export type InstrumentsFailure = 'badUrl' | 'unreachable' | 'timeout' | 'http' | 'badResponse' | 'tooLarge' | 'rejected';

export class InstrumentsError extends Error {
  constructor(
    readonly reason: InstrumentsFailure,
    message: string,
  ) {
    super(message);
    this.name = 'InstrumentsError';
  }
}

export interface FetchOptions {
  /** Deadline for the whole list, every page included. */
  timeoutMs: number;
  /** Largest response body accepted, per page. */
  maxBytes: number;
  /** `limit` per page (Bybit: 1 to 1000); spot has no pages. */
  pageLimit: number;
  maxPages: number;
}

export const DEFAULT_FETCH: FetchOptions = { timeoutMs: 6000, maxBytes: 4 << 20, pageLimit: 1000, maxPages: 20 };

/** Instrument names: spot and futures are letters and digits, options carry hyphens. */
const SYMBOL = /^[A-Z0-9][A-Z0-9-]{1,40}$/;
const MAX_SYMBOLS = 20_000;

/**
 * The REST origin for a connection's settings: Bybit's host for its network, or for `custom`
 * the public socket URL's origin with ws→http and wss→https (the simulator serves REST on its
 * socket port). Throws `badUrl` for anything but an absolute ws(s)/http(s) URL.
 */
export function restBase(network: Network, publicUrl?: string): string {
  if (network !== 'custom') return REST_HOSTS[network === 'demo' ? 'mainnet' : network];
  let url: URL;
  try {
    url = new URL(String(publicUrl ?? '').trim());
  } catch {
    throw new InstrumentsError('badUrl', 'the custom public URL is not an absolute URL');
  }
  const scheme = { 'ws:': 'http:', 'http:': 'http:', 'wss:': 'https:', 'https:': 'https:' }[url.protocol];
  if (!scheme || !url.hostname) throw new InstrumentsError('badUrl', `the custom public URL must be ws://, wss://, http:// or https://, not ${url.protocol}`);
  return `${scheme}//${url.host}`;
}

function networkError(err: NodeJS.ErrnoException, url: URL): InstrumentsError {
  if (err.name === 'AbortError') return new InstrumentsError('timeout', `no complete answer from ${url.host} in time`);
  return new InstrumentsError('unreachable', `cannot reach ${url.host}: ${err.code ?? err.message}`);
}

/** One GET with a JSON answer; rejects with InstrumentsError. The signal carries the deadline. */
function getJson(url: URL, maxBytes: number, signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const get = url.protocol === 'https:' ? https.get : http.get;
    const req = get(url, { agent: proxyAgentFor(url.href), signal, headers: { accept: 'application/json' } }, (res) => {
      const declared = Number(res.headers['content-length']);
      if (res.statusCode !== 200) {
        res.resume();
        return reject(new InstrumentsError('http', `${url.host} answered HTTP ${res.statusCode}`));
      }
      if (declared > maxBytes) {
        req.destroy();
        return reject(new InstrumentsError('tooLarge', `the list from ${url.host} is over ${maxBytes} bytes`));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= maxBytes) chunks.push(chunk);
        else {
          req.destroy();
          reject(new InstrumentsError('tooLarge', `the list from ${url.host} is over ${maxBytes} bytes`));
        }
      });
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch {
          reject(new InstrumentsError('badResponse', `${url.host} did not answer with JSON`));
        }
      });
      res.on('error', (err) => reject(networkError(err, url)));
    });
    req.on('error', (err) => reject(networkError(err, url)));
  });
}

interface Page {
  symbols: string[];
  next: string;
}

/** Reads one page in Bybit's envelope; items without a usable symbol are skipped. */
export function parsePage(body: unknown): Page {
  const root = body as { retCode?: unknown; retMsg?: unknown; result?: { list?: unknown; nextPageCursor?: unknown } } | null;
  if (!root || typeof root !== 'object' || typeof root.retCode !== 'number') throw new InstrumentsError('badResponse', 'the answer is not a Bybit V5 reply');
  if (root.retCode !== 0) throw new InstrumentsError('rejected', `retCode ${root.retCode}: ${String(root.retMsg ?? '').slice(0, 200)}`);
  const list = root.result?.list;
  if (!Array.isArray(list)) throw new InstrumentsError('badResponse', 'the answer has no result.list');
  const symbols: string[] = [];
  for (const item of list) {
    const symbol = (item as { symbol?: unknown } | null)?.symbol;
    if (typeof symbol === 'string' && SYMBOL.test(symbol)) symbols.push(symbol);
  }
  const next = root.result?.nextPageCursor;
  return { symbols, next: typeof next === 'string' ? next : '' };
}

/**
 * Every symbol Bybit lists for the category at `base`, sorted. Spot comes in one answer;
 * the others follow `nextPageCursor` (Bybit returns 500 per page by default, and linear has
 * more than that), up to `maxPages`.
 */
export async function fetchInstruments(base: string, category: InstrumentCategory, options: Partial<FetchOptions> = {}): Promise<string[]> {
  const opts = { ...DEFAULT_FETCH, ...options };
  const signal = AbortSignal.timeout(opts.timeoutMs);
  const found = new Set<string>();
  let cursor = '';
  for (let page = 0; page < opts.maxPages && found.size < MAX_SYMBOLS; page++) {
    const url = new URL(INSTRUMENTS_PATH, base);
    url.searchParams.set('category', category);
    if (category !== 'spot') url.searchParams.set('limit', String(opts.pageLimit));
    if (cursor) url.searchParams.set('cursor', cursor);
    const { symbols, next } = parsePage(await getJson(url, opts.maxBytes, signal));
    for (const s of symbols) found.add(s);
    // A server that hands back the same cursor would loop for ever.
    if (!next || next === cursor || category === 'spot') break;
    cursor = next;
  }
  return [...found].sort();
}

export interface InstrumentList {
  category: InstrumentCategory;
  /** The REST origin the list came from. */
  source: string;
  symbols: string[];
  fetchedAt: number;
  /** True when the list is older than the cache's lifetime: a refresh failed, so the last list is served. */
  stale: boolean;
}

export interface CacheOptions {
  /** How long a list is served without asking again. */
  ttlMs: number;
  /** Lists kept (per REST origin and category); the least recently used goes first. */
  maxEntries: number;
  /** How long a failure is answered from memory, so a dead host is not asked on every keystroke. */
  failureTtlMs: number;
  fetch: Partial<FetchOptions>;
  now: () => number;
}

interface Entry {
  list?: InstrumentList;
  failure?: { error: InstrumentsError; at: number };
}

/** Lists by REST origin and category: fresh for `ttlMs`, concurrent askers share one fetch. */
export class InstrumentCache {
  private readonly opts: CacheOptions;
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<InstrumentList>>();

  constructor(options: Partial<CacheOptions> = {}) {
    this.opts = { ttlMs: 3_600_000, maxEntries: 32, failureTtlMs: 10_000, fetch: {}, now: Date.now, ...options };
  }

  get(base: string, category: InstrumentCategory): Promise<InstrumentList> {
    const key = `${base} ${category}`;
    const entry = this.entries.get(key);
    const now = this.opts.now();
    if (entry?.list && now - entry.list.fetchedAt < this.opts.ttlMs) return Promise.resolve(this.touch(key, entry).list!);
    if (entry?.failure && now - entry.failure.at < this.opts.failureTtlMs) {
      if (entry.list) return Promise.resolve({ ...entry.list, stale: true });
      return Promise.reject(entry.failure.error);
    }
    let request = this.pending.get(key);
    if (!request) {
      request = this.refresh(key, base, category).finally(() => this.pending.delete(key));
      this.pending.set(key, request);
    }
    return request;
  }

  /** Number of lists held (for tests of the bound). */
  get size(): number {
    return this.entries.size;
  }

  private async refresh(key: string, base: string, category: InstrumentCategory): Promise<InstrumentList> {
    try {
      const symbols = await fetchInstruments(base, category, this.opts.fetch);
      const list: InstrumentList = { category, source: base, symbols, fetchedAt: this.opts.now(), stale: false };
      this.touch(key, { list });
      return list;
    } catch (err) {
      const error = err instanceof InstrumentsError ? err : new InstrumentsError('badResponse', (err as Error).message);
      const last = this.entries.get(key)?.list;
      this.touch(key, { list: last, failure: { error, at: this.opts.now() } });
      // Offline after a list was had: the last one beats none.
      if (last) return { ...last, stale: true };
      throw error;
    }
  }

  /** Stores the entry as the most recently used one and drops the oldest past the bound. */
  private touch(key: string, entry: Entry): Entry {
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.opts.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return entry;
  }
}
