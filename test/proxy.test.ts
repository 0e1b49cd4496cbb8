/**
 * Behind a company proxy: sockets go through the HTTP CONNECT proxy the environment names
 * (http_proxy / https_proxy / no_proxy), as Node-RED's own websocket node does. The simulator
 * is given a host name that only the test proxy can resolve, so data can only arrive through it.
 */
import assert from 'node:assert/strict';
import type { Simulator } from '../src/simulator';
import { startConnectProxy, type ConnectProxy } from './support/connect-proxy';
import { connection, helper, lastStatus, loadFlow, nextMsg, nextStatus, paletteNode, simulatorPerTest } from './support/flows';

const HIDDEN_HOST = 'bybit-sim.invalid';
const PROXY_VARS = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'no_proxy', 'NO_PROXY', 'all_proxy', 'ALL_PROXY'];

describe('proxy', function () {
  let sim: Simulator;
  let proxy: ConnectProxy | undefined;
  const saved: Record<string, string | undefined> = {};

  simulatorPerTest({}, (s) => (sim = s));
  beforeEach(function () {
    for (const k of PROXY_VARS) {
      saved[k] = process.env[k];
      delete process.env[k];
    }
  });
  afterEach(async function () {
    for (const k of PROXY_VARS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    await proxy?.close();
    proxy = undefined;
  });

  /** The simulator's public URL under a host name no resolver knows. */
  function hiddenUrl(): string {
    return sim.url('/v5/public/spot').replace('127.0.0.1', HIDDEN_HOST);
  }

  it('streams through the HTTP proxy named by http_proxy to a host only the proxy can reach', async function () {
    proxy = await startConnectProxy({ [HIDDEN_HOST]: '127.0.0.1' });
    process.env.HTTP_PROXY = proxy.url; // upper case works as well as lower case
    await loadFlow([connection(sim, { publicUrl: hiddenUrl() }), ...paletteNode('bybit-trade')]);
    const msg = await nextMsg('n1-out');
    assert.equal(msg.topic, 'trade.BTCUSDT');
    assert.ok(proxy.targets.some((t) => t.startsWith(`${HIDDEN_HOST}:`)), `proxy saw ${proxy.targets.join(', ')}`);
  });

  it('connects directly to hosts listed in no_proxy', async function () {
    proxy = await startConnectProxy({});
    process.env.http_proxy = proxy.url;
    process.env.no_proxy = '127.0.0.1,localhost';
    await loadFlow([connection(sim), ...paletteNode('bybit-trade')]);
    await nextMsg('n1-out');
    assert.deepEqual(proxy.targets, []);
  });

  it('without the proxy environment the same connection fails with a visible status, not silence', async function () {
    helper.settings({ bybitWs: { reconnectBaseMs: 50 } });
    await loadFlow([connection(sim, { publicUrl: hiddenUrl() }), ...paletteNode('bybit-trade')]);
    const shown = lastStatus('n1')?.fill === 'yellow' ? lastStatus('n1') : await nextStatus('n1', (s) => s.fill === 'yellow' || s.fill === 'red');
    assert.notEqual(shown?.fill, 'green');
    assert.match(String(shown?.text), /reconnecting|connecting|error/i);
  });
});
