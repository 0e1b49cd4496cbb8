/**
 * What every palette node (public or private) does the same way: find its config node's
 * client, read the throttle, and turn engine output items into msgs in normalized or raw form.
 */
import type { BybitClient } from '../../src/engine';
import type { OutputItem } from '../../src/dialects';
import type { ConnectionNode } from './connection-config';
import { t } from './i18n';
import type { Node, NodeAPI, NodeDef } from './red';
import type { StatusReporter } from './status';
import { Throttle } from './throttle';
import { nextMsgId } from './msg-id';
import { THROTTLE_MAX_MS } from '../../src/config-rules';

export { THROTTLE_MAX_MS };

/** The config node's client, or undefined after showing why there is none. */
export function resolveClient(RED: NodeAPI, def: NodeDef, status: StatusReporter): BybitClient | undefined {
  const config = RED.nodes.getNode(String(def.connection ?? '')) as ConnectionNode | null;
  if (!config) {
    status.error('status.noConnection');
    return undefined;
  }
  if (!config.client) {
    status.error('status.error', { detail: config.configError ?? '' });
    return undefined;
  }
  return config.client;
}

/** The throttle interval in ms; an out-of-range value warns once and means "every message". */
export function readThrottle(RED: NodeAPI, node: Node, def: NodeDef): number {
  const ms = Number(def.throttle ?? 0);
  if (ms >= 0 && ms <= THROTTLE_MAX_MS) return ms;
  node.warn(t(RED, 'errors.throttle', { value: String(def.throttle), max: THROTTLE_MAX_MS }));
  return 0;
}

/**
 * The node's output: items pushed here leave as msgs through the throttle. With `collect`,
 * a throttled msg carries every item of its window as an array (events that must not be lost);
 * with `combine` as well, the window's items are folded into one instead (partial snapshots).
 */
export function createOutput(
  node: Node,
  opts: { raw: boolean; throttleMs: number; collect?: boolean; combine?: (items: OutputItem[]) => OutputItem },
): Throttle<OutputItem> {
  const asArray = opts.collect === true && opts.throttleMs > 0 && !opts.combine;
  return new Throttle<OutputItem>(
    opts.throttleMs,
    (_topic, items) => {
      const last = items.length > 1 && opts.combine ? opts.combine(items) : items[items.length - 1];
      const payload = asArray ? items.map((i) => (opts.raw ? i.raw : i.payload)) : opts.raw ? last.raw : last.payload;
      // Account msgs have no symbol; every other msg names one. The id is set here because
      // Node-RED's own generator costs more than the rest of a trade msg on the hot path.
      node.send(last.symbol ? { _msgid: nextMsgId(), topic: last.topic, symbol: last.symbol, payload } : { _msgid: nextMsgId(), topic: last.topic, payload });
    },
    opts.collect,
  );
}

/** Catalog key for an engine error code. */
export function errorKey(err: { code?: string }): string {
  switch (err.code) {
    case 'rejected': return 'rejected';
    case 'timeout': return 'timeout';
    case 'no-credentials': return 'noCredentials';
    case 'auth-failed': return 'authFailed';
    case 'bad-url': return 'badUrl';
    case 'insecure': return 'insecure';
    case 'closed': return 'closed';
    default: return 'unexpected';
  }
}
