/**
 * Config node `bybit-connection`: holds the network, API dialect, endpoint URLs and the
 * credentials, and owns the engine client whose sockets every palette node shares.
 */
import { BybitClient, type ClientOptions } from '../src/engine';
import type { Node, NodeAPI, NodeDef } from './common/red';
import { t } from './common/i18n';
import { APIS, NETWORKS, PING_INTERVAL, type ConnectionNode } from './common/connection-config';
import { registerInstrumentsRoute } from './common/instruments-route';

/** Advanced tuning from settings.js (`bybitWs: {...}`), mainly for tests and slow links. */
interface TuningSettings {
  pongTimeoutMs?: number;
  requestTimeoutMs?: number;
  reconnectBaseMs?: number;
  authRetryMs?: number;
}

function readTuning(RED: NodeAPI): Partial<ClientOptions> {
  const s = (RED.settings.bybitWs ?? {}) as TuningSettings;
  const pos = (v: unknown) => (typeof v === 'number' && v > 0 ? v : undefined);
  return {
    pongTimeoutMs: pos(s.pongTimeoutMs),
    requestTimeoutMs: pos(s.requestTimeoutMs),
    authRetryMs: pos(s.authRetryMs),
    backoff: pos(s.reconnectBaseMs) ? { baseMs: pos(s.reconnectBaseMs) } : undefined,
  };
}

/** The configured value when it is one of `allowed`, the default when absent, else undefined. */
function pick<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T | undefined {
  if (value === undefined || value === '') return fallback;
  return allowed.includes(value as T) ? (value as T) : undefined;
}

export = function register(RED: NodeAPI): void {
  registerInstrumentsRoute(RED);
  function BybitConnectionNode(this: Node, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    const node = this as ConnectionNode;
    // Absent fields (a config saved by an older version) take the defaults; anything else
    // unknown is a mistake that must not quietly connect somewhere else.
    const network = pick(def.network, NETWORKS, 'mainnet');
    const api = pick(def.api, APIS, 'v5');
    node.api = api ?? 'v5';
    let pingInterval = Number(def.pingInterval);
    if (!(pingInterval >= PING_INTERVAL.min && pingInterval <= PING_INTERVAL.max)) {
      if (def.pingInterval !== undefined && def.pingInterval !== '') {
        node.warn(t(RED, 'errors.pingInterval', { value: String(def.pingInterval), min: PING_INTERVAL.min, max: PING_INTERVAL.max, default: PING_INTERVAL.default }));
      }
      pingInterval = PING_INTERVAL.default;
    }
    const apiKey = node.credentials?.apiKey?.trim();
    const apiSecret = node.credentials?.apiSecret?.trim();
    try {
      if (!network) throw new Error(`unknown network "${String(def.network)}"; use ${NETWORKS.join(', ')}`);
      if (!api) throw new Error(`unknown api "${String(def.api)}"; use ${APIS.join(', ')}`);
      node.client = new BybitClient({
        api: node.api,
        network,
        publicUrl: typeof def.publicUrl === 'string' ? def.publicUrl.trim() : undefined,
        privateUrl: typeof def.privateUrl === 'string' ? def.privateUrl.trim() : undefined,
        credentials: apiKey && apiSecret ? { apiKey, apiSecret } : undefined,
        pingIntervalMs: pingInterval * 1000,
        ...readTuning(RED),
      });
    } catch (err) {
      node.configError = (err as Error).message;
      node.error(t(RED, 'errors.config', { detail: node.configError }));
      return;
    }
    // Server frames we cannot read are worth knowing about, but not once per frame.
    let lastMalformedLog = 0;
    node.client.on('malformed', (reason: string, count: number) => {
      const now = Date.now();
      if (now - lastMalformedLog < 10_000) return;
      lastMalformedLog = now;
      node.warn(t(RED, 'errors.malformed', { reason, count }));
    });
    // A rejected API key is reported by the private nodes that use it, where Catch nodes see it.
    node.on('close', (_removed, done) => {
      const client = node.client;
      node.client = undefined;
      if (!client) return done();
      client.close().then(done, done);
    });
  }

  RED.nodes.registerType('bybit-connection', BybitConnectionNode, {
    credentials: { apiKey: { type: 'text' }, apiSecret: { type: 'password' } },
  });
};
