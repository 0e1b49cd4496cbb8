/**
 * `bybit-kline`: candles at the configured interval, one msg per candle update (`confirm`
 * says whether it closed). msg.interval subscribes other intervals; "closed candles only"
 * drops the updates of a running candle, for flows that chart or compute on finished ones.
 */
import { KLINE_INTERVALS, type KlineInterval, type OutputItem } from '../src/dialects';
import type { NodeAPI } from './common/red';
import { registerMarketNode, type TopicOptions } from './common/market-node';

/** A V5 interval word; numbers are taken as their word (5 → "5"). Case matters: "M" is a month. */
function readInterval(value: unknown): TopicOptions {
  const word = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
  if (word !== undefined && (KLINE_INTERVALS as readonly string[]).includes(word)) return { options: { interval: word as KlineInterval } };
  return { invalid: 'intervalInvalid', subs: { interval: String(typeof value === 'object' ? JSON.stringify(value) : value).slice(0, 20) } };
}

interface CandleUpdate {
  start: number;
  confirm: boolean | null;
}

/**
 * "Closed candles only": V5 marks a closed candle with confirm: true. Spot v3 and v1 never say
 * (confirm is null), so there a candle counts as closed when the next one starts, and its last
 * update goes out then, marked confirm: true.
 */
function closedCandles(): (item: OutputItem) => OutputItem[] {
  const running = new Map<string, OutputItem>();
  return (item) => {
    const update = item.payload as CandleUpdate;
    if (update.confirm !== null) return update.confirm ? [item] : [];
    const previous = running.get(item.topic);
    running.set(item.topic, item);
    if (!previous || (previous.payload as CandleUpdate).start >= update.start) return [];
    return [{ ...previous, payload: { ...(previous.payload as object), confirm: true } }];
  };
}

export = function register(RED: NodeAPI): void {
  registerMarketNode(RED, {
    type: 'bybit-kline',
    channel: 'kline',
    spec: (symbol, _def, options) => ({ channel: 'kline', symbol, interval: options.interval }),
    // Flows saved before the option existed get the editor's default.
    configOptions: (def) => readInterval(def.interval === undefined ? '1' : def.interval),
    msgOptions: (msg) => (msg.interval === undefined ? undefined : readInterval(msg.interval)),
    outputFilter: (def) => (def.closedOnly === true || def.closedOnly === 'true' ? closedCandles() : undefined),
  });
};
