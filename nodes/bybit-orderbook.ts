/**
 * `bybit-orderbook`: the top `depth` levels of a local book kept from snapshot + delta frames
 * (V5 streams 1, 50, 200, 1000; the dialect picks the smallest at or above `depth`).
 */
import { orderBookPayload } from '../src/book/payloads';
import { messageTopic, specCategory } from '../src/dialects';
import { ConfigError, isAbsent, numberOf, shown } from './common/config';
import type { NodeAPI } from './common/red';
import { registerMarketNode } from './common/market-node';
import { ORDERBOOK_DEPTH as DEPTH } from '../src/config-rules';

function readDepth(value: unknown): number {
  if (isAbsent(value)) return DEPTH.default;
  const depth = numberOf(value);
  if (Number.isInteger(depth) && depth >= DEPTH.min && depth <= DEPTH.max) return depth;
  throw new ConfigError('depthInvalid', { depth: shown(value), min: DEPTH.min, max: DEPTH.max });
}

export = function register(RED: NodeAPI): void {
  registerMarketNode(RED, {
    type: 'bybit-orderbook',
    channel: 'orderbook',
    configOptions: (def) => ({ depth: readDepth(def.depth) }),
    fromBook: (spec, book, raw, rawOutput) => {
      const symbol = spec.symbol ?? book.symbol;
      const topic = messageTopic(spec, symbol);
      // Raw mode sends the frame's data; rendering a deep book for nothing would be waste.
      if (rawOutput) return { topic, symbol, payload: undefined, raw };
      return { channel: 'orderbook', topic, symbol, payload: orderBookPayload(book, spec.depth ?? DEPTH.default, symbol, specCategory(spec)), raw };
    },
    // Raw deltas are useless alone: a throttled raw msg carries every frame of its window.
    collectWhenThrottled: (rawOutput) => rawOutput,
  });
};
