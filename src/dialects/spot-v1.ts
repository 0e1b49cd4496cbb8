/**
 * Bybit spot v1 (retired; the literal frames of the original spec): `event: sub/cancel`
 * requests naming a topic kind and comma-joined symbols, `{ping}`/`{pong}` heartbeats,
 * bookTicker on a second (v2) path one symbol per request, and a private socket where
 * authenticating alone streams every private event as arrays keyed by `e`.
 *
 * Routing keys are "<topic>|<SYMBOL>" ("trade|BTCUSDT", "kline_15m|BTCUSDT") for public
 * data and the event name for private data.
 */
import type { BookFrame } from '../book/frame';
import type { AckReply, Decoded, Dialect, EndpointName, Endpoints, Network, OutgoingRequest, RequestOp, TopicSpec, WireTopic } from './types';
import type { OutputItem } from './payloads';
import { isAlreadySubscribed } from './acks';
import { isRec, levels, num, parseFrame, str, type Rec } from './fields';
import { SPOT_INTERVALS, spotAccount, spotBookTicker, spotExecutions, spotKline, spotOrders, spotTicker, spotTrade } from './spot-common';

const HOSTS = { mainnet: 'wss://stream.bybit.com', testnet: 'wss://stream-testnet.bybit.com' };
/** Symbols per request: v1 documents no limit; this keeps frames and replies small. */
const MAX_SYMBOLS = 10;

function endpoints(network: Network, custom?: { publicUrl?: string; privateUrl?: string }): Endpoints {
  if (network === 'custom') {
    // A custom v1 server serves bookTicker on the v2 path next to the v1 one.
    const pub = custom?.publicUrl || undefined;
    return { public: pub, public2: pub?.replace(/\/ws\/v1\b/, '/ws/v2'), private: custom?.privateUrl || undefined };
  }
  if (network === 'demo') throw new Error('demo trading exists only on the V5 API; choose api v5 or another network');
  // Bybit documents its regional hosts for V5 only.
  if (network !== 'mainnet' && network !== 'testnet') throw new Error(`the regional host of ${network} is documented for the V5 API only; choose api v5`);
  const host = HOSTS[network];
  return { public: `${host}/spot/quote/ws/v1`, public2: `${host}/spot/quote/ws/v2`, private: `${host}/spot/ws` };
}

function wireTopics(spec: TopicSpec): WireTopic[] {
  const s = spec.symbol ?? '';
  switch (spec.channel) {
    case 'trade': return [{ endpoint: 'public', key: `trade|${s}`, book: false }];
    case 'ticker': return [{ endpoint: 'public', key: `realtimes|${s}`, book: false }];
    case 'kline': return [{ endpoint: 'public', key: `kline_${SPOT_INTERVALS[spec.interval ?? '1']}|${s}`, book: false }];
    case 'orderbook': return [{ endpoint: 'public', key: `depth|${s}`, book: true }];
    case 'bookticker': return [{ endpoint: 'public2', key: `bookTicker|${s}`, book: false }];
    case 'account': return [{ endpoint: 'private', key: 'outboundAccountInfo', book: false }];
    case 'order': return [{ endpoint: 'private', key: 'executionReport', book: false }, { endpoint: 'private', key: 'stop_executionReport', book: false }];
    case 'execution': return [{ endpoint: 'private', key: 'ticketInfo', book: false }];
    case 'position':
    case 'liquidation':
      throw new Error(`${spec.channel} is V5 only, not spot v1`);
  }
}

function splitKey(key: string): [string, string] {
  const bar = key.indexOf('|');
  return [key.slice(0, bar), key.slice(bar + 1)];
}

function encodeRequests(op: RequestOp, endpoint: EndpointName, keys: string[], _nextReqId: () => string): OutgoingRequest[] {
  const event = op === 'subscribe' ? 'sub' : 'cancel';
  const out: OutgoingRequest[] = [];
  if (endpoint === 'public2') {
    for (const key of keys) {
      const [topic, symbol] = splitKey(key);
      out.push({ op, keys: [key], frame: JSON.stringify({ topic, event, params: { symbol, binary: false } }) });
    }
    return out;
  }
  // One request per topic kind, its symbols comma-joined.
  const byTopic = new Map<string, string[]>();
  for (const key of keys) {
    const [topic] = splitKey(key);
    const list = byTopic.get(topic) ?? [];
    list.push(key);
    byTopic.set(topic, list);
  }
  for (const [topic, topicKeys] of byTopic) {
    for (let i = 0; i < topicKeys.length; i += MAX_SYMBOLS) {
      const batch = topicKeys.slice(i, i + MAX_SYMBOLS);
      const symbol = batch.map((k) => splitKey(k)[1]).join(',');
      out.push({ op, keys: batch, frame: JSON.stringify({ symbol, topic, event, params: { binary: false } }) });
    }
  }
  return out;
}

/** The routing key of a public frame; kline data says "kline" and carries the interval in params. */
function dataKey(f: Rec): string {
  const params = isRec(f.params) ? f.params : {};
  const symbol = str(f.symbol) || str(params.symbol);
  const topic = f.topic === 'kline' && params.klineType ? `kline_${str(params.klineType)}` : str(f.topic);
  return `${topic}|${symbol}`;
}

function decodePrivate(events: unknown[]): Decoded {
  const byEvent = new Map<string, unknown[]>();
  for (const e of events) {
    if (!isRec(e) || typeof e.e !== 'string') continue;
    const list = byEvent.get(e.e) ?? [];
    list.push(e);
    byEvent.set(e.e, list);
  }
  if (byEvent.size === 0) return { kind: 'malformed', reason: 'private frame without events' };
  return { kind: 'multi', events: [...byEvent].map(([key, frame]) => ({ key, frame })) };
}

/**
 * A sub/cancel reply names its topic and symbols: one reply per symbol, or one for the whole
 * request when it failed as a whole. The request's other symbols await replies of their own.
 */
function ack(f: Rec): AckReply {
  const code = str(f.code);
  const reason = str(f.desc || f.msg);
  const symbols = str(f.symbol || (isRec(f.params) ? f.params.symbol : '')).split(',');
  const keys = symbols.map((s) => `${str(f.topic)}|${s.trim()}`);
  const taken = code === '0' || code === '' || isAlreadySubscribed(reason);
  const op = f.event === 'sub' ? 'subscribe' : 'unsubscribe';
  return { kind: 'ack', op, accepted: taken ? keys : [], refused: taken ? [] : keys, reason: taken ? '' : reason, rest: 'awaited' };
}

function decode(text: string): Decoded {
  const parsed = parseFrame(text);
  if (!parsed.ok) return { kind: 'malformed', reason: parsed.reason };
  const f = parsed.value;
  if (Array.isArray(f)) return decodePrivate(f);
  if (!isRec(f)) return { kind: 'malformed', reason: 'frame is not a JSON object' };
  // v1 _websockets.md prints executionReport as one bare object, the others as arrays.
  if (typeof f.e === 'string') return decodePrivate([f]);
  if (f.data !== undefined && typeof f.topic === 'string') return { kind: 'data', key: dataKey(f), frame: f };
  if (f.pong !== undefined) return { kind: 'pong' };
  if (f.auth !== undefined) return { kind: 'auth', success: f.auth === 'success', message: str(f.auth) === 'fail' ? 'auth fail' : str(f.msg || f.desc || f.auth) };
  if (f.event === 'sub' || f.event === 'cancel') return ack(f);
  if (f.code !== undefined && str(f.code) !== '0') return { kind: 'error', message: str(f.desc || f.msg) };
  return { kind: 'malformed', reason: 'frame of unknown shape' };
}

const present = (item: OutputItem | null): item is OutputItem => item !== null;

function normalize(spec: TopicSpec, frame: unknown, dropped?: (reason: string) => void): OutputItem[] {
  // Private frames arrive here as the event arrays decodePrivate grouped.
  if (Array.isArray(frame)) {
    switch (spec.channel) {
      case 'account': return spotAccount(spec, frame);
      case 'order': return spotOrders(spec, frame);
      case 'execution': return spotExecutions(spec, frame);
      default: return [];
    }
  }
  if (!isRec(frame)) return [];
  const data = frame.data;
  switch (spec.channel) {
    case 'trade': return Array.isArray(data) ? data.filter(isRec).map((t) => spotTrade(spec, t, dropped)).filter(present) : [];
    case 'ticker': return Array.isArray(data) ? data.filter(isRec).map((d) => spotTicker(spec, d, frame.sendTime)) : [];
    case 'kline': return Array.isArray(data) ? data.filter(isRec).map((k) => spotKline(spec, k, frame.sendTime, dropped)).filter(present) : [];
    case 'bookticker':
      return isRec(data) ? [spotBookTicker(spec, data, { s: 'symbol', bp: 'bidPrice', bq: 'bidQty', ap: 'askPrice', aq: 'askQty', t: 'time' })] : [];
    default: return [];
    case 'position':
    case 'liquidation':
      return [];
  }
}

/** v1 depth pushes are full snapshots of up to 200 levels. */
function bookFrame(frame: unknown): BookFrame | null {
  if (!isRec(frame) || !Array.isArray(frame.data) || !isRec(frame.data[0])) return null;
  const d = frame.data[0];
  return { kind: 'snapshot', symbol: str(d.s), bids: levels(d.b), asks: levels(d.a), updateId: null, time: num(d.t), raw: frame.data };
}

export const spotV1: Dialect = {
  name: 'spot-v1',
  maxArgsPerRequest: MAX_SYMBOLS,
  privateNeedsSubscribe: false,
  endpoints,
  bookDepth: () => 200,
  wireTopics,
  encodePing: (id) => JSON.stringify({ ping: Number(id) || Date.now() }),
  encodeAuth: (apiKey, expires, signature) => JSON.stringify({ op: 'auth', args: [apiKey, expires, signature] }),
  encodeRequests,
  decode,
  normalize,
  bookFrame,
  categories: ['spot'],
};
