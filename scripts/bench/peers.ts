/**
 * The flows a Node-RED user would wire by hand from core nodes instead of this package:
 * `websocket in` → `json` → a node that makes msgs of the frame's data, with the subscribe
 * sent by an inject through `websocket out` on the same websocket-client config.
 */

export type PeerName = 'split' | 'function' | 'change';

export interface Peer {
  name: PeerName;
  /** How the table names it. */
  label: string;
  /** The node after `json`; it is wired to the probe. */
  node: Record<string, unknown>;
  /** The server timestamp of a msg it sends (NaN when it keeps none); undefined for non-data msgs. */
  time(msg: { payload?: unknown }): number | undefined;
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null;

/**
 * One msg per trade, each with a payload as this package's trade node sends: what a user
 * would write in a function node (Node-RED sends each msg of the inner array in turn).
 */
const TRADE_FUNCTION = `const f = msg.payload;
if (!f || !Array.isArray(f.data)) return null;
return [f.data.map((t) => ({ topic: 'trade.' + t.s, payload: { symbol: t.s, id: t.i, price: Number(t.p), qty: Number(t.v), side: t.S, time: t.T } }))];`;

/** One msg per ticker frame, with the fields this package's ticker node sends. */
const TICKER_FUNCTION = `const f = msg.payload;
if (!f || !f.data || !f.data.symbol) return null;
const d = f.data;
return { topic: 'ticker.' + d.symbol, payload: { symbol: d.symbol, lastPrice: Number(d.lastPrice), openPrice24h: Number(d.prevPrice24h),
  highPrice24h: Number(d.highPrice24h), lowPrice24h: Number(d.lowPrice24h), volume24h: Number(d.volume24h), turnover24h: Number(d.turnover24h),
  change24h: Number(d.price24hPcnt), usdIndexPrice: d.usdIndexPrice === undefined ? null : Number(d.usdIndexPrice), time: f.ts } };`;

const functionNode = (func: string): Rec => ({ type: 'function', name: '', func, outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [] });

export const TRADE_PEERS: Peer[] = [
  {
    name: 'split',
    label: 'websocket in → json → split (payload.data)',
    // Split's property field set to payload.data: one msg per trade, the trade in msg.payload.data.
    node: { type: 'split', splt: '\\n', spltType: 'str', arraySplt: 1, arraySpltType: 'len', stream: false, addname: '', property: 'payload.data' },
    time: (msg) => {
      const data = isRec(msg.payload) ? msg.payload.data : undefined;
      return isRec(data) && !Array.isArray(data) ? Number(data.T) : undefined;
    },
  },
  {
    name: 'function',
    label: 'websocket in → json → function (one msg per trade)',
    node: functionNode(TRADE_FUNCTION),
    time: (msg) => (isRec(msg.payload) ? Number(msg.payload.time) : undefined),
  },
];

export const TICKER_PEERS: Peer[] = [
  {
    name: 'change',
    // Split would cut a ticker into its fields: a user moves payload.data up instead.
    label: 'websocket in → json → change (payload = payload.data)',
    node: { type: 'change', name: '', rules: [{ t: 'set', p: 'payload', pt: 'msg', to: 'payload.data', tot: 'msg' }], action: '', property: '', from: '', to: '', reg: false },
    time: (msg) => (isRec(msg.payload) && typeof msg.payload.symbol === 'string' ? NaN : undefined),
  },
  {
    name: 'function',
    label: 'websocket in → json → function (one msg per ticker)',
    node: functionNode(TICKER_FUNCTION),
    time: (msg) => (isRec(msg.payload) ? Number(msg.payload.time) : undefined),
  },
];

/** The inject node that sends the subscribe (fire it again with a msg to its input). */
export const PEER_INJECT = 'peer-subscribe';

/** The whole hand-wired flow for one topic, the peer's node wired to the probe. */
export function peerFlow(peer: Peer, wsUrl: string, topic: string): Rec[] {
  // Ids a flow's own property values never equal: Node-RED links a value equal to a config node's id.
  return [
    { id: 'peer-client', type: 'websocket-client', path: wsUrl, tls: '', wholemsg: 'false', hb: '0', subprotocol: '', headers: [] },
    { id: PEER_INJECT, type: 'inject', z: 'tab', props: [{ p: 'payload' }], repeat: '', crontab: '', once: true, onceDelay: 0.1, topic: '', payload: JSON.stringify({ op: 'subscribe', args: [topic] }), payloadType: 'json', wires: [['peer-out']] },
    { id: 'peer-out', type: 'websocket out', z: 'tab', name: '', server: '', client: 'peer-client', wires: [] },
    { id: 'peer-in', type: 'websocket in', z: 'tab', name: '', server: '', client: 'peer-client', wires: [['peer-json']] },
    { id: 'peer-json', type: 'json', z: 'tab', name: '', property: 'payload', action: '', pretty: false, wires: [['peer-node']] },
    { id: 'peer-node', z: 'tab', ...peer.node, wires: [['probe']] },
  ];
}
