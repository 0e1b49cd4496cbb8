/**
 * A machine clock behind Bybit's: auth signs `expires = now + 10 s`, which the server reads as
 * expired. The engine measures the server's time from a private pong (V5 private pongs carry it
 * in `args`, v5 websocket/wss-authentication.mdx "Pong message example of private channels"),
 * signs again with it, and says by how much the clock is off.
 */
import assert from 'node:assert/strict';
import { BybitClient, type ConnectionStateEvent } from '../src/engine';
import { getDialect } from '../src/dialects';
import { startSimulator, type Simulator } from '../src/simulator';
import { StatusReporter } from '../nodes/common/status';
import type { Node, NodeAPI, NodeStatus } from '../nodes/common/red';

const KEY = 'clock-key';
const SECRET = 'clock-secret';
const PRIVATE = '/v5/private';
const SKEW_MS = 30_000;

describe('a machine clock 30 s behind the server', function () {
  let sim: Simulator;
  let client: BybitClient | undefined;

  beforeEach(async function () {
    sim = await startSimulator({ port: 0, seed: 5, tickMs: 0, credentials: [{ key: KEY, secret: SECRET }] });
  });

  afterEach(async function () {
    await client?.close();
    client = undefined;
    await sim.close();
  });

  it('authenticates after measuring the offset from a pong, and reports the clock off by 30 s', async function () {
    // The machine's clock, 30 s slow: every expires it signs is 20 s in the server's past.
    client = new BybitClient({ network: 'custom', privateUrl: sim.url(PRIVATE), credentials: { apiKey: KEY, apiSecret: SECRET }, now: () => Date.now() - SKEW_MS });
    const skew = new Promise<number>((resolve) => client!.once('clock-skew', resolve));
    const open = new Promise<ConnectionStateEvent>((resolve) => client!.on('state', (ev) => ev.state === 'open' && resolve(ev)));
    const failures: string[] = [];
    client.on('auth-failed', (err) => failures.push(err.message));
    await client.subscriber({}).add({ channel: 'order' });

    const offset = await skew;
    assert.ok(Math.abs(offset - SKEW_MS) < 1000, `measured ${offset} ms`);
    assert.equal((await open).clockOffsetMs, offset);
    const auths = sim.requests.filter((r) => r.path === PRIVATE && r.op === 'auth').map((r) => (r.args as number[])[1]);
    assert.equal(auths.length, 2, 'one refused auth, one signed with the server time');
    assert.ok(auths[0] < Date.now() - 15_000, 'the first expires was in the server past');
    assert.ok(auths[1] > Date.now() + 8_000, 'the second is about server now + 10 s');
    assert.ok(sim.requests.some((r) => r.path === PRIVATE && r.op === 'ping'), 'asked the server time with a ping');
    assert.deepEqual(failures, [], 'the expired first auth is not reported as a rejected key');
    assert.equal(client.stateOf('private'), 'open');
  });

  it('reads the server time from the documented private pong', function () {
    // websocket/wss-authentication.mdx, "Pong message example of private channels".
    const frame = '{"req_id":"test","op":"pong","args":["1675418560633"],"conn_id":"cfcb4ocsvfriu23r3er0-1b"}';
    assert.deepEqual(getDialect('v5').decode(frame, 'private'), { kind: 'pong', serverTime: 1675418560633 });
    // Option/Spread public pong carries it the same way; linear's public pong carries none.
    assert.deepEqual(getDialect('v5').decode('{"args":["1672916271846"],"op":"pong"}', 'public'), { kind: 'pong', serverTime: 1672916271846 });
    const linear = '{"success":true,"ret_msg":"pong","conn_id":"465772b1-7630-4fdc-a492-e003e6f0f260","req_id":"","op":"ping"}';
    assert.deepEqual(getDialect('v5').decode(linear, 'public'), { kind: 'pong' });
  });

  it('a node on a socket opened with a corrected clock says the clock is off by N s', function () {
    const shown: NodeStatus[] = [];
    const node = { status: (s: NodeStatus) => shown.push(s) } as unknown as Node;
    const RED = { _: (key: string, subs?: Record<string, unknown>) => `${key} ${JSON.stringify(subs ?? {})}` } as unknown as NodeAPI;
    new StatusReporter(node, RED).connection({ state: 'open', clockOffsetMs: 30_400 }, { open: { key: 'status.streamAll' }, holds: true });
    assert.equal(shown[0].fill, 'green');
    assert.match(String(shown[0].text), /status\.clockOff .*"seconds":30/);
  });
});
