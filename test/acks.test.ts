/**
 * Subscription replies as Bybit documents them, read by the dialects and applied by the
 * engine over real sockets. The frames are copied from Bybit's V5 docs,
 * docs/v5/websocket/wss-authentication.mdx ("Understanding the Subscription Response" and the
 * authentication sample): the private reply has no req_id, linear/inverse echo "" and
 * option/spread answer with COMMAND_RESP topic lists and no op. A bare `ws` server sends them,
 * since the simulator always echoes the req_id it was sent.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { BybitClient, EngineError } from '../src/engine';
import { getDialect } from '../src/dialects';
import { settleAck } from '../src/dialects/acks';

const v5 = getDialect('v5');
const spotV1 = getDialect('spot-v1');
const CREDENTIALS = { apiKey: 'acks-key-5e1d', apiSecret: 'acks-secret-0b7c' };

// docs/v5/websocket/wss-authentication.mdx
const DOC_AUTH_OK = { success: true, ret_msg: '', op: 'auth', conn_id: 'cejreaspqfh3sjdnldmg-p' };
const DOC_PRIVATE_SUBSCRIBED = { success: true, ret_msg: '', op: 'subscribe', conn_id: 'cejreassvfrsfvb9v1a0-2m' };
const DOC_SPOT_SUBSCRIBED = { success: true, ret_msg: 'subscribe', conn_id: '2324d924-aa4d-45b0-a858-7b8be29ab52b', req_id: '10001', op: 'subscribe' };
const DOC_LINEAR_SUBSCRIBED = { success: true, ret_msg: '', conn_id: '3cd84cb1-4d06-4a05-930a-2efe5fc70f0f', req_id: '', op: 'subscribe' };
const DOC_OPTION_SUBSCRIBED = {
  success: true,
  conn_id: 'aa01fbfffe80af37-00000001-000b37b9-7147f432704fd28c-00e1c172',
  data: { failTopics: [], successTopics: ['orderbook.100.BTC-6JAN23-18000-C'] },
  type: 'COMMAND_RESP',
};

type Request = Record<string, unknown> & { op?: string; args?: string[] };

/** A bare socket server: `answer` gets each request and the socket's requests so far, and returns the frames to send back. */
async function bareServer(answer: (req: Request, seen: Request[]) => object[]) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  wss.on('connection', (ws) => {
    const seen: Request[] = [];
    ws.on('message', (data) => {
      const req = JSON.parse(data.toString()) as Request;
      seen.push(req);
      for (const frame of answer(req, seen)) ws.send(JSON.stringify(frame));
    });
  });
  const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  const close = () => new Promise<void>((resolve) => {
    for (const ws of wss.clients) ws.terminate();
    wss.close(() => resolve());
  });
  return { url, close };
}

async function refusal(p: Promise<void>): Promise<EngineError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof EngineError);
    return err;
  }
  assert.fail('the subscribe was not refused');
}

describe('subscription replies as Bybit documents them', function () {
  let client: BybitClient | undefined;
  let server: Awaited<ReturnType<typeof bareServer>> | undefined;

  afterEach(async function () {
    await client?.close();
    await server?.close();
    client = server = undefined;
  });

  it('reads each documented reply into accepted and refused topics', function () {
    const read = (frame: object, endpoint: 'public' | 'private' = 'public') => v5.decode(JSON.stringify(frame), endpoint);
    assert.deepEqual(read(DOC_PRIVATE_SUBSCRIBED, 'private'), { kind: 'ack', op: 'subscribe', reqId: undefined, accepted: [], refused: [], reason: '', rest: 'accepted' });
    assert.deepEqual(read(DOC_SPOT_SUBSCRIBED), { kind: 'ack', op: 'subscribe', reqId: '10001', accepted: [], refused: [], reason: '', rest: 'accepted' });
    assert.deepEqual(read(DOC_LINEAR_SUBSCRIBED), { kind: 'ack', op: 'subscribe', reqId: undefined, accepted: [], refused: [], reason: '', rest: 'accepted' });
    assert.deepEqual(read(DOC_OPTION_SUBSCRIBED), { kind: 'ack', reqId: undefined, accepted: ['orderbook.100.BTC-6JAN23-18000-C'], refused: [], reason: '', rest: 'awaited' });
    // "already subscribed" is what was asked for; a spot v1 reply speaks for its own symbols only.
    const already = read({ success: false, ret_msg: 'error:already subscribed,topic:tickers.BTCUSDT', conn_id: 'c', req_id: '7', op: 'subscribe' });
    assert.equal(already.kind === 'ack' && already.rest, 'accepted');
    const v1 = spotV1.decode('{"topic":"trade","event":"sub","symbol":"ETHUSDT","params":{"binary":"false"},"code":"-100010","desc":"Invalid Symbols"}', 'public');
    assert.deepEqual(v1, { kind: 'ack', op: 'subscribe', accepted: [], refused: ['trade|ETHUSDT'], reason: 'Invalid Symbols', rest: 'awaited' });
  });

  it('settles each key of a request: the blamed topic refused, the innocent ones sent again', function () {
    const blame = v5.decode('{"success":false,"ret_msg":"error:handler not found,topic:tickers.XXX","conn_id":"c","req_id":"3","op":"subscribe"}', 'public');
    assert.equal(blame.kind, 'ack');
    if (blame.kind !== 'ack') return;
    assert.deepEqual(settleAck(blame, ['tickers.BTCUSDT', 'tickers.XXX']), {
      accepted: [], refused: ['tickers.XXX'], reason: 'error:handler not found,topic:tickers.XXX', resend: ['tickers.BTCUSDT'], awaited: [],
    });
    // Blaming a topic the request does not hold tells nothing per key: the request is refused.
    assert.deepEqual(settleAck(blame, ['tickers.BTCUSDT']).refused, ['tickers.BTCUSDT']);
  });

  it('confirms private topics from the documented reply, which has no req_id', async function () {
    server = await bareServer((req) => (req.op === 'auth' ? [DOC_AUTH_OK] : req.op === 'subscribe' ? [DOC_PRIVATE_SUBSCRIBED] : []));
    client = new BybitClient({ network: 'custom', privateUrl: `${server.url}/v5/private`, credentials: CREDENTIALS, requestTimeoutMs: 3000 });
    const sub = client.subscriber({});
    await sub.add({ channel: 'order' });
    assert.deepEqual(sub.list(), [{ channel: 'order' }]);
  });

  it('answers requests without req_id oldest first: the first reply confirms the first request', async function () {
    server = await bareServer((req, seen) => {
      if (req.op === 'auth') return [DOC_AUTH_OK];
      // The server holds its answer until both requests are in flight, then answers them in
      // order; neither reply names its request.
      if (req.op !== 'subscribe' || seen.filter((r) => r.op === 'subscribe').length < 2) return [];
      return [DOC_PRIVATE_SUBSCRIBED, { success: false, ret_msg: 'Request not authorized', op: 'subscribe', conn_id: 'cejreassvfrsfvb9v1a0-2m' }];
    });
    client = new BybitClient({ network: 'custom', privateUrl: `${server.url}/v5/private`, credentials: CREDENTIALS, requestTimeoutMs: 3000 });
    const sub = client.subscriber({});
    const orders = sub.add({ channel: 'order' });
    // The second ask goes out once the first is on the wire, as its own request.
    await new Promise<void>((resolve) => client!.on('state', (ev) => ev.state === 'open' && resolve()));
    await new Promise((resolve) => setImmediate(resolve));
    const fills = sub.add({ channel: 'execution' });
    await orders;
    const err = await refusal(fills);
    assert.equal(err.code, 'rejected');
    assert.equal(err.detail, 'Request not authorized');
    assert.deepEqual(sub.list(), [{ channel: 'order' }]);
  });

  it('confirms public topics from the linear reply, whose req_id is ""', async function () {
    server = await bareServer((req) => (req.op === 'subscribe' ? [DOC_LINEAR_SUBSCRIBED] : []));
    client = new BybitClient({ network: 'custom', publicUrl: `${server.url}/v5/public/linear`, requestTimeoutMs: 3000 });
    const sub = client.subscriber({});
    await sub.add({ channel: 'ticker', symbol: 'BTCUSDT' });
    assert.equal(sub.list().length, 1);
  });

  it('reads a COMMAND_RESP reply by its topic lists: successTopics confirmed, failTopics refused', async function () {
    server = await bareServer((req) => {
      if (req.op !== 'subscribe') return [];
      // The documented option reply, with this request's topics in its lists.
      const [good, bad] = req.args ?? [];
      return [{ ...DOC_OPTION_SUBSCRIBED, data: { failTopics: [bad], successTopics: [good] } }];
    });
    client = new BybitClient({ network: 'custom', publicUrl: `${server.url}/v5/public/option`, requestTimeoutMs: 3000 });
    const sub = client.subscriber({});
    const good = sub.add({ channel: 'ticker', symbol: 'BTCUSDT' });
    const bad = sub.add({ channel: 'ticker', symbol: 'ETHUSDT' });
    await good;
    assert.equal((await refusal(bad)).code, 'rejected');
    assert.deepEqual(sub.list(), [{ channel: 'ticker', symbol: 'BTCUSDT' }]);
  });
});
