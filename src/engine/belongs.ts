/**
 * Trust the subscription, not the frame: a public item belongs to a subscription only when it
 * names the subscribed symbol. Anything else (a frame on publicTrade.BTCUSDT whose data says
 * ETHUSDT) is malformed: never sent as another topic, never a throttle window of its own.
 */
import type { TopicSpec } from '../dialects/types';

export function belongsTo(spec: TopicSpec, symbol: string): boolean {
  // Private streams carry every symbol of the account: the node filters them.
  if (spec.symbol === undefined) return true;
  // Option trades are subscribed by base coin (one topic, many symbols): an item keeps its own
  // symbol, which must start with `${base}-` (BTC-27DEC26-100000-C).
  if (spec.channel === 'trade' && spec.category === 'option') return symbol.startsWith(`${spec.symbol}-`);
  return symbol === spec.symbol;
}
