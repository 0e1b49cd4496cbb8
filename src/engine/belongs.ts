/**
 * Trust the subscription, not the frame: a public item belongs to a subscription only when it
 * names the subscribed symbol. Anything else (a frame on publicTrade.BTCUSDT whose data says
 * ETHUSDT) is malformed: never sent as another topic, never a throttle window of its own.
 */
import type { TopicSpec } from '../dialects/types';

export function belongsTo(spec: TopicSpec, symbol: string): boolean {
  // Private streams carry every symbol of the account: the node filters them.
  if (spec.symbol === undefined) return true;
  // Hook for option trades by base coin (one topic, many symbols): there the spec names the
  // base coin and an item keeps its own symbol, which must start with `${base}-`. Add that
  // branch here, keyed on the spec, when the channel lands.
  return symbol === spec.symbol;
}
