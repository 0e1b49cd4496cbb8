/**
 * Config node `bybit-connection`: holds the network, API dialect, endpoint URLs and the
 * credentials, and owns the engine client whose sockets every palette node shares.
 */
import { BybitClient, type ClientOptions } from '../src/engine';
import type { Node, NodeAPI, NodeDef } from './common/red';
import { ConfigError, readChoice, readFlag, readRange } from './common/config';
import { t } from './common/i18n';
import { APIS, NETWORKS, PING_INTERVAL, type ConnectionNode } from './common/connection-config';
import { registerInstrumentsRoute } from './common/instruments-route';
import { logConnectionEvents } from './common/connection-log';

/** Advanced tuning from settings.js (`bybitWs: {...}`): timings for tests and slow links, size limits (README "Limits"). */
interface TuningSettings {
  pongTimeoutMs?: number;
  requestTimeoutMs?: number;
  reconnectBaseMs?: number;
  authRetryMs?: number;
  /** An order request's reply wait (default 10 s; at most 30 s). */
  orderTimeoutMs?: number;
  maxFrameBytes?: number;
  maxNesting?: number;
  bookLevelsPerDepth?: number;
  throttleItems?: number;
}

function readTuning(RED: NodeAPI): Partial<ClientOptions> {
  const s = (RED.settings.bybitWs ?? {}) as TuningSettings;
  const pos = (v: unknown) => (typeof v === 'number' && v > 0 ? v : undefined);
  return {
    pongTimeoutMs: pos(s.pongTimeoutMs),
    requestTimeoutMs: pos(s.requestTimeoutMs),
    authRetryMs: pos(s.authRetryMs),
    orderTimeoutMs: pos(s.orderTimeoutMs),
    backoff: pos(s.reconnectBaseMs) ? { baseMs: pos(s.reconnectBaseMs) } : undefined,
    // resolveLimits keeps the default for anything not a positive number.
    limits: { maxFrameBytes: s.maxFrameBytes, maxNesting: s.maxNesting, bookLevelsPerDepth: s.bookLevelsPerDepth, throttleItems: s.throttleItems },
  };
}

/** The client's options from the config node's fields; a ConfigError for a value present but unusable. */
function readOptions(RED: NodeAPI, def: NodeDef, credentials: Node['credentials']): ClientOptions {
  const apiKey = credentials?.apiKey?.trim();
  const apiSecret = credentials?.apiSecret?.trim();
  return {
    network: readChoice(def.network, 'connection.network', NETWORKS),
    api: readChoice(def.api, 'connection.api', APIS),
    publicUrl: typeof def.publicUrl === 'string' ? def.publicUrl.trim() : undefined,
    privateUrl: typeof def.privateUrl === 'string' ? def.privateUrl.trim() : undefined,
    tradeUrl: typeof def.tradeUrl === 'string' ? def.tradeUrl.trim() : undefined,
    allowOrders: readFlag(def.allowOrders, 'connection.allowOrders'),
    credentials: apiKey && apiSecret ? { apiKey, apiSecret } : undefined,
    pingIntervalMs: readRange(def.pingInterval, 'connection.pingInterval', PING_INTERVAL, 's') * 1000,
    ...readTuning(RED),
  };
}

/** A client, or the mistake that prevents one (e.g. demo trading with a retired API). */
function createClient(RED: NodeAPI, node: ConnectionNode, def: NodeDef): BybitClient | ConfigError {
  try {
    const options = readOptions(RED, def, node.credentials);
    node.api = options.api ?? 'v5';
    return new BybitClient(options);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    return new ConfigError('config', { detail: (err as Error).message });
  }
}

export = function register(RED: NodeAPI): void {
  registerInstrumentsRoute(RED);
  function BybitConnectionNode(this: Node, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    const node = this as ConnectionNode;
    node.api = 'v5';
    const client = createClient(RED, node, def);
    if (client instanceof ConfigError) {
      // No client, so no socket: every palette node using this connection shows why and reports it.
      node.problem = client;
      node.error(t(RED, `errors.${client.key}`, client.subs));
      return;
    }
    node.client = client;
    logConnectionEvents(RED, node, client);
    // A rejected API key is reported by the private nodes that use it, where Catch nodes see it.
    node.on('close', (_removed, done) => {
      node.client = undefined;
      client.close().then(done, done);
    });
  }

  RED.nodes.registerType('bybit-connection', BybitConnectionNode, {
    credentials: { apiKey: { type: 'text' }, apiSecret: { type: 'password' } },
  });
};
