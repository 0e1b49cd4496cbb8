/**
 * Bybit spot v3 (retired): V5-like `op` requests and replies, but its own topic names
 * (trade, bookticker, orderbook.40, kline.1m), one-letter data fields, and private topics
 * outboundAccountInfo / order / stopOrder / ticketInfo subscribed after auth.
 */
import { decodeOpFrame, encodeOpRequests } from './op-frames';
import type { BookFrame } from '../book/frame';
import type { Dialect, Endpoints, Network, TopicSpec, WireTopic } from './types';
import type { OutputItem } from './payloads';
import { isRec, levels, num, str } from './fields';
import { SPOT_INTERVALS, spotAccount, spotBookTicker, spotExecutions, spotKline, spotOrders, spotTicker, spotTrade } from './spot-common';

const HOSTS = { mainnet: 'wss://stream.bybit.com', testnet: 'wss://stream-testnet.bybit.com' };
const MAX_ARGS = 10;

function endpoints(network: Network, custom?: { publicUrl?: string; privateUrl?: string }): Endpoints {
  if (network === 'custom') return { public: custom?.publicUrl || undefined, private: custom?.privateUrl || undefined };
  if (network === 'demo') throw new Error('demo trading exists only on the V5 API; choose api v5 or another network');
  // Bybit documents its regional hosts for V5 only.
  if (network !== 'mainnet' && network !== 'testnet') throw new Error(`the regional host of ${network} is documented for the V5 API only; choose api v5`);
  const host = HOSTS[network];
  return { public: `${host}/spot/public/v3`, private: `${host}/spot/private/v3` };
}

function wireTopics(spec: TopicSpec): WireTopic[] {
  const s = spec.symbol ?? '';
  switch (spec.channel) {
    case 'trade': return [{ endpoint: 'public', key: `trade.${s}`, book: false }];
    case 'ticker': return [{ endpoint: 'public', key: `tickers.${s}`, book: false }];
    case 'kline': return [{ endpoint: 'public', key: `kline.${SPOT_INTERVALS[spec.interval ?? '1']}.${s}`, book: false }];
    case 'orderbook': return [{ endpoint: 'public', key: `orderbook.40.${s}`, book: true }];
    case 'bookticker': return [{ endpoint: 'public', key: `bookticker.${s}`, book: false }];
    case 'account': return [{ endpoint: 'private', key: 'outboundAccountInfo', book: false }];
    case 'order': return [{ endpoint: 'private', key: 'order', book: false }, { endpoint: 'private', key: 'stopOrder', book: false }];
    case 'execution': return [{ endpoint: 'private', key: 'ticketInfo', book: false }];
    case 'position':
    case 'liquidation':
      throw new Error(`${spec.channel} is V5 only, not spot v3`);
  }
}

const keep = (item: OutputItem | null): OutputItem[] => (item ? [item] : []);

function normalize(spec: TopicSpec, frame: unknown, dropped?: (reason: string) => void): OutputItem[] {
  if (!isRec(frame)) return [];
  const d = frame.data;
  switch (spec.channel) {
    case 'trade': return isRec(d) ? keep(spotTrade(spec, d, dropped)) : [];
    case 'ticker': return isRec(d) ? [spotTicker(spec, d, frame.ts)] : [];
    case 'kline': return isRec(d) ? keep(spotKline(spec, d, frame.ts, dropped)) : [];
    case 'bookticker': return isRec(d) ? [spotBookTicker(spec, d, { s: 's', bp: 'bp', bq: 'bq', ap: 'ap', aq: 'aq', t: 't' })] : [];
    case 'account': return Array.isArray(d) ? spotAccount(spec, d) : [];
    case 'order': return Array.isArray(d) ? spotOrders(spec, d) : [];
    case 'execution': return Array.isArray(d) ? spotExecutions(spec, d) : [];
    case 'orderbook': return [];
    case 'position':
    case 'liquidation':
      return [];
  }
}

/** v3 pushes the whole 40-level book each time: every frame is a snapshot without an update id. */
function bookFrame(frame: unknown): BookFrame | null {
  if (!isRec(frame) || !isRec(frame.data)) return null;
  const d = frame.data;
  return { kind: 'snapshot', symbol: str(d.s), bids: levels(d.b), asks: levels(d.a), updateId: null, time: num(d.t ?? frame.ts), raw: d };
}

export const spotV3: Dialect = {
  name: 'spot-v3',
  maxArgsPerRequest: MAX_ARGS,
  privateNeedsSubscribe: true,
  endpoints,
  bookDepth: () => 40,
  wireTopics,
  encodePing: (id) => JSON.stringify({ req_id: id, op: 'ping' }),
  encodeAuth: (apiKey, expires, signature, reqId) => JSON.stringify({ req_id: reqId, op: 'auth', args: [apiKey, expires, signature] }),
  encodeRequests: (op, _endpoint, keys, nextReqId) => encodeOpRequests(op, keys, MAX_ARGS, nextReqId),
  decode: decodeOpFrame,
  normalize,
  bookFrame,
  categories: ['spot'],
};
