/**
 * The V5 WebSocket Trade API wire (`/v5/trade`, docs/v5/websocket/trade/guideline.mdx): where
 * it lives, the auth and order frames, and reading the server's replies. Keys are camelCase
 * (`reqId`, `retCode`), unlike the stream sockets.
 */
import type { Network } from './types';

export const TRADE_OPS = ['order.create', 'order.amend', 'order.cancel'] as const;
export type TradeOp = (typeof TRADE_OPS)[number];

/** One reply to an order request, as Bybit sends it (guideline.mdx "Response Parameters"). */
export interface TradeReply {
  reqId?: string;
  retCode: number;
  retMsg: string;
  op: string;
  /** The REST `result`: `{orderId, orderLinkId}` for single orders. */
  data: Record<string, unknown>;
  /** `X-Bapi-Limit`, `X-Bapi-Limit-Status`, `X-Bapi-Limit-Reset-Timestamp`, `Traceid`, `Timenow`. */
  header: Record<string, string>;
  connId?: string;
}

export type TradeDecoded =
  | { kind: 'auth'; success: boolean; message: string }
  | { kind: 'pong' }
  | { kind: 'reply'; reply: TradeReply }
  | { kind: 'error'; message: string }
  | { kind: 'malformed'; reason: string };

/** Trade API hosts (websocket/trade/guideline.mdx names these; other regions and demo have none). */
const HOSTS: Partial<Record<Network, string>> = {
  mainnet: 'wss://stream.bybit.com',
  testnet: 'wss://stream-testnet.bybit.com',
  'mainnet-tr': 'wss://stream.bybit.tr',
  'mainnet-kz': 'wss://stream.bybit.kz',
};

/**
 * The trade socket's URL. Demo trading has none (guideline.mdx "Not support: demo trading"), nor
 * do the regional hosts the guideline does not name;
 * a custom network takes `tradeUrl`, else its private URL with `/private` replaced by `/trade`.
 */
export function tradeEndpoint(network: Network, custom: { tradeUrl?: string; privateUrl?: string } = {}): string | undefined {
  if (network !== 'custom') return HOSTS[network] ? `${HOSTS[network]}/v5/trade` : undefined;
  if (custom.tradeUrl) return custom.tradeUrl;
  return custom.privateUrl ? custom.privateUrl.replace('/private', '/trade') : undefined;
}

export function encodeTradeAuth(apiKey: string, expires: number, signature: string, reqId: string): string {
  return JSON.stringify({ reqId, op: 'auth', args: [apiKey, expires, signature] });
}

/** guideline.mdx: `header` with X-BAPI-TIMESTAMP (required, a string) and X-BAPI-RECV-WINDOW. */
export function encodeTradeRequest(reqId: string, op: TradeOp, args: Record<string, unknown>, now: number, recvWindowMs: number): string {
  const header = { 'X-BAPI-TIMESTAMP': String(now), 'X-BAPI-RECV-WINDOW': String(recvWindowMs) };
  return JSON.stringify({ reqId, header, op, args: [args] });
}

export const TRADE_PING = JSON.stringify({ op: 'ping' });

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRec(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string' || typeof x === 'number') out[k] = String(x);
  return out;
}

export function decodeTrade(text: string): TradeDecoded {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return { kind: 'malformed', reason: 'not JSON' };
  }
  if (!isRec(frame)) return { kind: 'malformed', reason: 'not an object' };
  const { op, retCode, retMsg, reqId } = frame;
  if (op === 'pong') return { kind: 'pong' };
  if (typeof retCode !== 'number') return { kind: 'malformed', reason: 'reply without retCode' };
  const message = typeof retMsg === 'string' ? retMsg : '';
  if (op === 'auth') return { kind: 'auth', success: retCode === 0, message: retCode === 0 ? message : `${retCode} ${message}` };
  if (typeof reqId !== 'string') return { kind: 'error', message: `${retCode} ${message}` };
  const reply: TradeReply = {
    reqId, retCode, retMsg: message, op: typeof op === 'string' ? op : '', data: isRec(frame.data) ? frame.data : {},
    header: stringMap(frame.header),
  };
  if (typeof frame.connId === 'string') reply.connId = frame.connId;
  return { kind: 'reply', reply };
}
