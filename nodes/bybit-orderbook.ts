/**
 * `bybit-orderbook`: the top `depth` levels of a local book kept from snapshot + delta frames
 * (V5 streams 1, 50, 200, 1000; the dialect picks the smallest at or above `depth`).
 */
import { orderBookPayload } from '../src/book/payloads';
import type { NodeAPI } from './common/red';
import { registerMarketNode, type TopicOptions } from './common/market-node';
import { ORDERBOOK_DEPTH as DEPTH } from '../src/config-rules';

function readDepth(value: unknown): TopicOptions {
  const depth = value === undefined || value === '' ? DEPTH.default : typeof value === 'string' || typeof value === 'number' ? Number(value) : NaN;
  if (Number.isInteger(depth) && depth >= DEPTH.min && depth <= DEPTH.max) return { options: { depth } };
  return { invalid: 'depthInvalid', subs: { depth: String(value).slice(0, 20), min: DEPTH.min, max: DEPTH.max } };
}

export = function register(RED: NodeAPI): void {
  registerMarketNode(RED, {
    type: 'bybit-orderbook',
    channel: 'orderbook',
    spec: (symbol, _def, options) => ({ channel: 'orderbook', symbol, depth: options.depth }),
    configOptions: (def) => readDepth(def.depth),
    fromBook: (spec, book, raw, def) => {
      const symbol = spec.symbol ?? book.symbol;
      // Raw mode sends the frame's data; rendering a deep book for nothing would be waste.
      const payload = def.output === 'raw' ? undefined : orderBookPayload(book, spec.depth ?? DEPTH.default, symbol);
      return { topic: `orderbook.${symbol}`, symbol, payload, raw };
    },
    // Raw deltas are useless alone: a throttled raw msg carries every frame of its window.
    collectWhenThrottled: (def) => def.output === 'raw',
  });
};
