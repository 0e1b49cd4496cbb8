/**
 * What the editor dialog must agree on with the runtime, as plain data taken from the runtime's
 * own modules. The build (scripts/build.js) writes it into resources/bybit-editor-constants.js,
 * which resources/bybit-editor.js reads: nothing in the editor is a hand-made copy.
 */
import { APIS, CHANNEL_CATEGORIES, DERIVATIVE_SYMBOL_PATTERN, NETWORKS, ORDERBOOK_DEPTH, PING_INTERVAL, SYMBOL_PATTERN, THROTTLE_MAX_MS } from './config-rules';
import { CATEGORIES, getDialect, KLINE_INTERVALS, type ApiName, type Category, type Endpoints, type Network, type PublicChannel } from './dialects';
import { BOOK_DEPTHS } from './dialects/v5';
import { BOOK_DEPTHS_BY_CATEGORY } from './dialects/v5-derivatives';
import { tradeEndpoint } from './dialects/v5-trade';

type FixedNetwork = Exclude<Network, 'custom'>;

export interface EditorConstants {
  /** The symbol rule; a RegExp does not survive JSON, its source and flags do. */
  symbolPattern: { source: string; flags: string };
  throttleMaxMs: number;
  /** Seconds. */
  pingInterval: { min: number; max: number; default: number };
  klineIntervals: string[];
  orderbookDepth: { min: number; max: number; default: number };
  /** The depths the dialog offers: V5's order-book streams. */
  bookDepths: number[];
  networks: Network[];
  apis: ApiName[];
  /** V5 categories; futures and option symbols follow the derivative rule (an option trade node takes base coins). */
  categories: Category[];
  derivativeSymbolPattern: { source: string; flags: string };
  bookDepthsByCategory: Record<Category, number[]>;
  channelCategories: Record<PublicChannel, Category[]>;
  /**
   * The sockets each API opens on each fixed network, as the dialect computes them; null where
   * the runtime refuses the pair (demo trading is V5 only). Custom URLs are the user's own.
   */
  endpoints: Record<ApiName, Record<FixedNetwork, Endpoints | null>>;
}

function endpointsOf(api: ApiName): Record<FixedNetwork, Endpoints | null> {
  const table = {} as Record<FixedNetwork, Endpoints | null>;
  for (const network of NETWORKS) {
    if (network === 'custom') continue;
    try {
      table[network] = getDialect(api).endpoints(network);
      // The V5 order socket (demo has none); other APIs place no orders.
      const trade = api === 'v5' ? tradeEndpoint(network) : undefined;
      if (trade) table[network] = { ...table[network], trade };
    } catch {
      table[network] = null;
    }
  }
  return table;
}

export function editorConstants(): EditorConstants {
  return {
    symbolPattern: { source: SYMBOL_PATTERN.source, flags: SYMBOL_PATTERN.flags },
    throttleMaxMs: THROTTLE_MAX_MS,
    pingInterval: { ...PING_INTERVAL },
    klineIntervals: [...KLINE_INTERVALS],
    orderbookDepth: { ...ORDERBOOK_DEPTH },
    bookDepths: [...BOOK_DEPTHS],
    networks: [...NETWORKS],
    apis: [...APIS],
    categories: [...CATEGORIES],
    derivativeSymbolPattern: { source: DERIVATIVE_SYMBOL_PATTERN.source, flags: DERIVATIVE_SYMBOL_PATTERN.flags },
    bookDepthsByCategory: Object.fromEntries(CATEGORIES.map((c) => [c, [...BOOK_DEPTHS_BY_CATEGORY[c]]])) as Record<Category, number[]>,
    channelCategories: Object.fromEntries(Object.entries(CHANNEL_CATEGORIES).map(([k, v]) => [k, [...v]])) as Record<PublicChannel, Category[]>,
    endpoints: { v5: endpointsOf('v5'), 'spot-v3': endpointsOf('spot-v3'), 'spot-v1': endpointsOf('spot-v1') },
  };
}
