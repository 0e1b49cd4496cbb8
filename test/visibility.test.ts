/**
 * Every connection problem is visible (issue 13): with the server down a node's status says
 * why and when the next try is, the Node-RED log has one line per attempt's state change, the
 * socket's own error reaches the client's users, and no line ever carries the key or secret.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { BybitClient } from '../src/engine';
import { causeOfClose, causeOfError } from '../src/engine/cause';
import { reconnectingText } from '../nodes/common/status';
import type { NodeAPI } from '../nodes/common/red';
import { getNode, helper, keepSubstitutions, loadFlow, nextStatus, SHARED } from './support/flows';

const KEY = 'visible-key-8a7b';
const SECRET = 'visible-secret-9c6d';

/** A port nothing listens on (bound once, then closed). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** RED._ over a real catalog, as Node-RED renders `__name__` substitutions. */
function catalogRed(lang: string): NodeAPI {
  const file = path.resolve(__dirname, '../../locales', lang, 'bybit-connection.json');
  const catalog = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  const lookup = (key: string): string => {
    const value = key.replace(/^.*:/, '').split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], catalog);
    return typeof value === 'string' ? value : key;
  };
  const _ = (key: string, subs: Record<string, unknown> = {}) => lookup(key).replace(/__(\w+)__/g, (_m, name: string) => String(subs[name] ?? ''));
  return { _, settings: {}, nodes: { createNode: () => undefined, registerType: () => undefined, getNode: () => undefined } };
}

describe('connection problems are visible', function () {
  this.timeout(20_000);

  it('says "reconnecting in 4 s: connection refused" in English and names the reason in Chinese', function () {
    const cause = { kind: 'refused' as const, detail: 'connect ECONNREFUSED 127.0.0.1:1' };
    assert.equal(reconnectingText(catalogRed('en-US'), 4000, cause), 'reconnecting in 4 s: connection refused');
    assert.equal(reconnectingText(catalogRed('zh-CN'), 4000, cause), '4 秒后重新连接：连接被拒绝');
  });

  it('tells refused, DNS, TLS, handshake timeout, HTTP refusal and close code apart', function () {
    const err = (message: string, code?: string, hostname?: string) => Object.assign(new Error(message), { code, hostname });
    assert.equal(causeOfError(err('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'))?.kind, 'refused');
    assert.deepEqual(causeOfError(err('getaddrinfo ENOTFOUND nowhere.invalid', 'ENOTFOUND', 'nowhere.invalid')), { kind: 'dns', detail: 'nowhere.invalid' });
    assert.deepEqual(causeOfError(err('certificate has expired', 'CERT_HAS_EXPIRED')), { kind: 'tls', detail: 'CERT_HAS_EXPIRED' });
    assert.equal(causeOfError(err('self-signed certificate', 'DEPTH_ZERO_SELF_SIGNED_CERT'))?.kind, 'tls');
    assert.equal(causeOfError(err('Opening handshake has timed out'))?.kind, 'timeout');
    assert.deepEqual(causeOfError(err('Unexpected server response: 503')), { kind: 'http', detail: '503' });
    assert.deepEqual(causeOfClose(undefined, 1011, 'internal error'), { kind: 'closed', detail: '1011 internal error' });
    assert.deepEqual(causeOfClose(undefined, 1006, ''), { kind: 'closed', detail: '1006' });
  });

  it('forwards the socket error event from the client, and the reconnecting state carries the cause and the delay', async function () {
    const port = await closedPort();
    const client = new BybitClient({ network: 'custom', publicUrl: `ws://127.0.0.1:${port}/v5/public/spot`, backoff: { baseMs: 50 } });
    try {
      const socketError = new Promise<Error>((resolve) => client.once('socket-error', (err) => resolve(err)));
      const reconnecting = new Promise<{ delayMs?: number; cause?: { kind: string } }>((resolve) => client.on('state', (ev) => ev.state === 'reconnecting' && ev.cause && resolve(ev)));
      client.subscriber({}).add({ channel: 'ticker', symbol: 'BTCUSDT' }).catch(() => undefined);
      assert.equal(((await socketError) as Error & { code?: string }).code, 'ECONNREFUSED');
      const ev = await reconnecting;
      assert.equal(ev.cause?.kind, 'refused');
      assert.ok(typeof ev.delayMs === 'number' && ev.delayMs > 0);
    } finally {
      await client.close();
    }
  });

  describe('in a flow, with the server down', function () {
    beforeEach(async function () {
      await new Promise<void>((resolve) => helper.startServer(resolve));
    });
    afterEach(async function () {
      await helper.unload();
      await new Promise<void>((resolve) => helper.stopServer(resolve));
      helper.settings({ bybitWs: {} });
    });

    it('shows why and when the next try is, logs one line per attempt, and never the key or secret', async function () {
      helper.settings({ bybitWs: { reconnectBaseMs: 100 } });
      const port = await closedPort();
      const url = `ws://127.0.0.1:${port}`;
      const flow = [
        { id: 'conn', type: 'bybit-connection', network: 'custom', api: 'v5', publicUrl: `${url}/v5/public/spot`, privateUrl: `${url}/v5/private`, pingInterval: 20 },
        { id: 'acc', type: 'bybit-account', connection: 'conn', output: 'normalized', throttle: 0, wires: [[]] },
      ];
      await loadFlow(flow, { conn: { apiKey: KEY, apiSecret: SECRET } }, [keepSubstitutions]);
      const lines: string[] = [];
      const conn = getNode('conn');
      for (const level of ['log', 'warn', 'error']) conn.on(`call:${level}`, (c: { args: unknown[] }) => lines.push(String(c.args[0])));
      const status = await nextStatus('acc', (s) => s.text?.startsWith(`${SHARED}status.reconnectingIn`) === true);
      assert.equal(status.fill, 'yellow');
      assert.match(status.text ?? '', /"reason":"node-red-contrib-bybit-ws\/bybit-connection:reason\.refused/);
      assert.match(status.text ?? '', /"seconds":\d+/);
      // Three more attempts: each is one "disconnected … reconnecting in" line, nothing else.
      await nextStatus('acc', (s) => s.text?.startsWith(`${SHARED}status.reconnecting `) === true || s.text === `${SHARED}status.reconnecting`);
      await new Promise<void>((resolve) => {
        const check = (): void => {
          if (lines.filter((l) => l.includes('log.disconnected')).length >= 3) resolve();
        };
        for (const level of ['log', 'warn']) conn.on(`call:${level}`, check);
        check();
      });
      const attempts = lines.filter((l) => l.includes('log.disconnected'));
      assert.ok(attempts.every((l) => l.includes('reason.refused')), attempts.join('\n'));
      // Besides those, at most the first attempt's "connecting" line (it may be logged before we listened).
      const others = lines.filter((l) => !l.includes('log.disconnected'));
      assert.ok(others.length <= 1 && others.every((l) => l.includes('log.connecting')), others.join('\n'));
      for (const l of lines) assert.ok(!l.includes(KEY) && !l.includes(SECRET), `a log line carries a credential: ${l}`);
      assert.ok(!(status.text ?? '').includes(KEY) && !(status.text ?? '').includes(SECRET));
    });
  });
});
