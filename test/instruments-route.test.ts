/**
 * The admin route behind the symbols field's suggestions, in the real Node-RED runtime
 * (the test helper's admin app) against the simulator's instrument list on a real port.
 */
import assert from 'node:assert/strict';
import type { Simulator } from '../src/simulator';
import { CATALOGUE } from '../src/simulator/instruments';
import { CUSTOM_PERMISSION, INSTRUMENTS_ROUTE, READ_PERMISSION, registerInstrumentsRoute, type AdminAPI } from '../nodes/common/instruments-route';
import type { NodeAPI } from '../nodes/common/red';
import { helper, loadFlow, simulatorPerTest } from './support/flows';

interface Reply {
  status: number;
  body: { symbols?: string[]; category?: string; source?: string; stale?: boolean; reason?: string; message?: string };
}

function ask(query: Record<string, unknown>): Promise<Reply> {
  return helper.request().get(INSTRUMENTS_ROUTE).query(query);
}

describe('symbol list route for the editor', function () {
  let sim: Simulator;

  simulatorPerTest({ tickMs: 0 }, (s) => (sim = s));

  /** The settings a connection pointing at the simulator has, deployed or not. */
  function simConnection(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { network: 'custom', api: 'v5', publicUrl: sim.url('/v5/public/spot'), ...extra };
  }

  it('lists the simulator\'s spot symbols for a connection that is not deployed', async function () {
    await loadFlow([]);
    const res = await ask({ ...simConnection(), category: 'spot' });
    assert.equal(res.status, 200);
    assert.equal(res.body.category, 'spot');
    assert.equal(res.body.source, `http://127.0.0.1:${sim.port}`);
    assert.equal(res.body.stale, false);
    assert.deepEqual(res.body.symbols, [...CATALOGUE.spot].sort());
  });

  it('lists the category asked for, and V5 spot for the legacy spot dialects', async function () {
    await loadFlow([]);
    const linear = await ask({ ...simConnection(), category: 'linear' });
    assert.equal(linear.body.category, 'linear');
    assert.ok(linear.body.symbols?.includes('BTCPERP'));
    const legacy = await ask({ ...simConnection({ api: 'spot-v1', publicUrl: sim.url('/spot/quote/ws/v1') }), category: 'linear' });
    assert.equal(legacy.status, 200);
    assert.equal(legacy.body.category, 'spot');
    assert.ok(legacy.body.symbols?.includes('BTCUSDT'));
  });

  it('refuses settings it cannot use with 400 and a reason', async function () {
    await loadFlow([]);
    const cases: [Record<string, unknown>, string][] = [
      [{ ...simConnection(), category: 'futures' }, 'badRequest'],
      [{ ...simConnection(), network: 'moon' }, 'badRequest'],
      [{ ...simConnection(), api: 'v9' }, 'badRequest'],
      [{ ...simConnection(), publicUrl: ['ws://a', 'ws://b'] }, 'badRequest'],
      [{ ...simConnection(), publicUrl: 'file:///etc/passwd' }, 'badUrl'],
      [{ network: 'custom' }, 'badUrl'],
    ];
    for (const [query, reason] of cases) {
      const res = await ask(query);
      assert.equal(res.status, 400, JSON.stringify(query));
      assert.equal(res.body.reason, reason, JSON.stringify(query));
    }
  });

  it('says the list is unavailable, and why, when the server cannot be reached', async function () {
    await loadFlow([]);
    const url = sim.url('/v5/public/spot');
    await sim.close();
    const res = await ask({ network: 'custom', api: 'v5', publicUrl: url, category: 'spot' });
    assert.equal(res.status, 502);
    assert.equal(res.body.reason, 'unreachable');
    assert.match(res.body.message ?? '', /ECONNREFUSED/);
  });

  it('asks Node-RED for read permission, and for write permission before fetching from a custom URL', function () {
    const asked: string[] = [];
    let route: { path: string; handlers: ((req: unknown, res: unknown, next: () => void) => void)[] } | undefined;
    const RED = {
      httpAdmin: { get: (path: string, ...handlers: never[]) => (route = { path, handlers }) },
      // A user who may read but not write: every permission check is recorded.
      auth: { needsPermission: (p: string) => (_req: unknown, res: { status(c: number): { json(b: unknown): void } }, next: () => void) => (asked.push(p), p.endsWith('.read') ? next() : res.status(401).json({})) },
    } as unknown as NodeAPI & AdminAPI;
    registerInstrumentsRoute(RED);
    registerInstrumentsRoute(RED);
    assert.equal(route?.path, INSTRUMENTS_ROUTE);
    const run = (query: Record<string, unknown>): number => {
      let status = 0;
      const res = { status: (c: number) => ((status = c), res), json: () => undefined };
      const [checkRead, checkCustom] = route!.handlers;
      checkRead({ query }, res, () => checkCustom({ query }, res, () => (status = 200)));
      return status;
    };
    assert.equal(run({ network: 'mainnet' }), 200);
    assert.deepEqual(asked, [READ_PERMISSION]);
    assert.equal(run({ network: 'custom', publicUrl: 'ws://10.0.0.1/' }), 401);
    assert.deepEqual(asked, [READ_PERMISSION, READ_PERMISSION, CUSTOM_PERMISSION]);
  });
});
