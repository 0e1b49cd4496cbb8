/**
 * `bybit-kline`: candles at the configured interval, one msg per candle update (`confirm`
 * says whether it closed). msg.interval subscribes other intervals; "closed candles only"
 * drops the updates of a running candle, for flows that chart or compute on finished ones.
 */
import { isItemOf, KLINE_INTERVALS, type ItemOf, type KlineInterval, type OutputItem } from '../src/dialects';
import { ConfigError, isAbsent, readFlag, shown } from './common/config';
import { inputError } from './common/i18n';
import type { NodeAPI } from './common/red';
import { registerMarketNode } from './common/market-node';

/** A V5 interval word; numbers are taken as their word (5 → "5"). Case matters: "M" is a month. */
function readInterval(value: unknown): KlineInterval | undefined {
  const word = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
  return KLINE_INTERVALS.find((i) => i === word);
}

/**
 * "Closed candles only": V5 marks a closed candle with confirm: true. Spot v3 and v1 never say
 * (confirm is null), so there a candle counts as closed when the next one starts, and its last
 * update goes out then, marked confirm: true.
 */
function closedCandles(): (item: OutputItem) => OutputItem[] {
  const running = new Map<string, ItemOf<'kline'>>();
  return (item) => {
    if (!isItemOf(item, 'kline')) return [item];
    const update = item.payload;
    if (update.confirm !== null) return update.confirm ? [item] : [];
    const previous = running.get(item.topic);
    running.set(item.topic, item);
    if (!previous || previous.payload.start >= update.start) return [];
    return [{ ...previous, payload: { ...previous.payload, confirm: true } }];
  };
}

export = function register(RED: NodeAPI): void {
  registerMarketNode(RED, {
    type: 'bybit-kline',
    channel: 'kline',
    // Flows saved before the option existed get the editor's default.
    configOptions: (def) => {
      const interval = isAbsent(def.interval) ? '1' : readInterval(def.interval);
      if (!interval) throw new ConfigError('intervalInvalid', { interval: shown(def.interval) });
      return { interval };
    },
    msgOptions: (msg) => {
      if (msg.interval === undefined) return undefined;
      const interval = readInterval(msg.interval);
      if (!interval) throw inputError(RED, 'errors.intervalInvalid', { interval: shown(msg.interval) });
      return { interval };
    },
    outputFilter: (def) => (readFlag(def.closedOnly, 'closedOnly') ? closedCandles() : undefined),
  });
};
