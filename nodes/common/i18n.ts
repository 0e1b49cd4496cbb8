/**
 * Texts shared by every node (statuses, input errors) live once, in the config node's
 * catalog; a namespaced key reaches them from any node file.
 */
import type { NodeAPI } from './red';

export const SHARED_NS = 'node-red-contrib-bybit-ws/bybit-connection:';

/** Translates a shared key, e.g. t(RED, 'status.connecting'). */
export function t(RED: NodeAPI, key: string, subs?: Record<string, unknown>): string {
  return RED._(SHARED_NS + key, subs);
}

/** An error whose message comes from the catalog; `key` stays readable for tests and logs. */
export class NodeInputError extends Error {
  constructor(readonly key: string, message: string) {
    super(message);
  }
}

export function inputError(RED: NodeAPI, key: string, subs?: Record<string, unknown>): NodeInputError {
  return new NodeInputError(key, t(RED, key, subs));
}
