/**
 * What a node's configuration may hold. The runtime (nodes/) checks fields against these, and
 * the build writes them into the editor (resources/bybit-editor-constants.js, see
 * src/editor-constants.ts), so the dialog accepts exactly what the runtime accepts.
 */
import type { ApiName, Category, Network, PublicChannel } from './dialects/types';
import type { NumbersMode } from './dialects/fields';

/** A Bybit spot symbol as the nodes accept it: upper-case letters and digits ("BTCUSDT"). */
export const SYMBOL_PATTERN = /^[A-Z0-9]{2,30}$/;

/**
 * Linear, inverse and option symbols may carry hyphens (futures `BTCUSDT-26MAR27`, options
 * `BTC-27DEC26-100000-C`): DESIGN "V5 categories". An option trade node takes base coins (spot rule).
 */
export const DERIVATIVE_SYMBOL_PATTERN = /^[A-Z0-9][A-Z0-9-]{1,40}$/;

/** The symbol rule of a node's category and channel. */
export function symbolPatternFor(category: Category, channel?: string): RegExp {
  if (category === 'spot' || (category === 'option' && channel === 'trade')) return SYMBOL_PATTERN;
  return DERIVATIVE_SYMBOL_PATTERN;
}

/** Which categories each public channel streams (PROTOCOL-V5-MORE.md §4: no option klines, liquidations are linear/inverse). */
export const CHANNEL_CATEGORIES: Record<PublicChannel, readonly Category[]> = {
  trade: ['spot', 'linear', 'inverse', 'option'],
  ticker: ['spot', 'linear', 'inverse', 'option'],
  kline: ['spot', 'linear', 'inverse'],
  orderbook: ['spot', 'linear', 'inverse', 'option'],
  bookticker: ['spot', 'linear', 'inverse', 'option'],
  liquidation: ['linear', 'inverse'],
};

/** Longest throttle window a node takes, in ms (one hour). */
export const THROTTLE_MAX_MS = 3_600_000;

/** The config node's heartbeat, in seconds; Bybit recommends a ping every 20 s (v5 websocket/wss-authentication.mdx). */
export const PING_INTERVAL = { min: 5, max: 300, default: 20 };

/** Levels an orderbook node may ask for; the dialect picks the stream that covers them. */
export const ORDERBOOK_DEPTH = { min: 1, max: 1000, default: 50 };

export const NETWORKS: Network[] = ['mainnet', 'mainnet-tr', 'mainnet-kz', 'mainnet-id', 'mainnet-ge', 'mainnet-jp', 'testnet', 'demo', 'custom'];

/** A palette node's `numbers` option: JS numbers (default) or Bybit's own decimal strings. */
export const NUMBERS_MODES: NumbersMode[] = ['number', 'string'];
export const APIS: ApiName[] = ['v5', 'spot-v3', 'spot-v1'];
