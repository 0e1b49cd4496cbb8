/**
 * A node's output: items pushed here leave as msgs, in normalized or raw form, through the
 * per-topic throttle.
 */
import type { Node } from './red';
import { Throttle, type ThrottleOptions } from './throttle';
import { nextMsgId } from './msg-id';

/** What a msg is made of: every normalized item is one; a raw book frame is one without a payload. */
export interface Outgoing {
  topic: string;
  /** Empty for account items. */
  symbol: string;
  payload: unknown;
  raw: unknown;
}

/**
 * How a throttled window becomes one msg: with `collect`, the msg carries every item of its
 * window as an array (events that must not be lost); with `combine` as well, the window's
 * items are folded into one instead (partial snapshots).
 */
export interface OutputShape<T extends Outgoing> {
  collect?: boolean;
  combine?: (items: T[]) => T;
}

export function createOutput<T extends Outgoing>(
  node: Node,
  opts: { raw: boolean; throttleMs: number },
  shape: OutputShape<T>,
  guard: ThrottleOptions = {},
): Throttle<T> {
  const { raw } = opts;
  const combine = shape.combine;
  const asArray = shape.collect === true && opts.throttleMs > 0 && !combine;
  return new Throttle<T>(
    opts.throttleMs,
    (_topic, items) => {
      const last = items.length > 1 && combine ? combine(items) : items[items.length - 1];
      const payload = asArray ? items.map((i) => (raw ? i.raw : i.payload)) : raw ? last.raw : last.payload;
      // Account msgs have no symbol; every other msg names one. The id is set here because
      // Node-RED's own generator costs more than the rest of a trade msg on the hot path.
      node.send(last.symbol ? { _msgid: nextMsgId(), topic: last.topic, symbol: last.symbol, payload } : { _msgid: nextMsgId(), topic: last.topic, payload });
    },
    shape.collect,
    guard,
  );
}
