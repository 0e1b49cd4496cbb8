/**
 * The one rule for configuration mistakes (README, "Configuration mistakes"): a value that is
 * present but unusable, on a palette node or on its connection, turns the node red with a
 * status naming the field and the value, reaches a Catch node exactly once, and starts
 * nothing: no socket, no subscription, not even for the good symbols; a msg to the node ends
 * in the same error. (Absent values take their defaults: test/bad-input.test.ts.)
 */
import assert from 'node:assert/strict';
import type { Simulator } from '../src/simulator';
import { catcher, collect, connection, getNode, isPrivateType, keepSubstitutions, lastStatus, loadFlow, nextMsg, paletteNode, SHARED, simulatorPerTest, type Msg } from './support/flows';

const KEY = 'rule-key';
const SECRET = 'rule-secret';

interface Mistake {
  what: string;
  type: string;
  node?: Record<string, unknown>;
  conn?: Record<string, unknown>;
  /** The catalog key under status. and errors. */
  key: string;
  /** What the status must name (as the substitutions render them). */
  names: Record<string, unknown>;
}

const MISTAKES: Mistake[] = [
  { what: 'a throttle that is not a number', type: 'bybit-trade', node: { throttle: 'abc' }, key: 'fieldInvalid', names: { field: 'throttle', value: 'abc' } },
  { what: 'a negative throttle', type: 'bybit-ticker', node: { throttle: -5 }, key: 'fieldInvalid', names: { field: 'throttle', value: '-5' } },
  { what: 'a throttle over an hour', type: 'bybit-execution', node: { throttle: 3_600_001 }, key: 'fieldInvalid', names: { field: 'throttle', value: '3600001' } },
  { what: 'an unknown output', type: 'bybit-bookticker', node: { output: 'xml' }, key: 'fieldInvalid', names: { field: 'output', value: 'xml' } },
  { what: 'an unknown numbers mode', type: 'bybit-trade', node: { numbers: 'decimal' }, key: 'fieldInvalid', names: { field: 'numbers', value: 'decimal' } },
  { what: 'a malformed symbol among good ones', type: 'bybit-trade', node: { symbols: 'BTCUSDT, bad one' }, key: 'badSymbols', names: { symbols: 'BAD ONE' } },
  { what: 'a malformed symbol in a private filter', type: 'bybit-order', node: { symbols: 'BTCUSDT,ETH/USDT' }, key: 'badSymbols', names: { symbols: 'ETH/USDT' } },
  { what: 'symbols that are not text', type: 'bybit-ticker', node: { symbols: 42 }, key: 'badSymbols', names: { symbols: '42' } },
  { what: 'an unknown kline interval', type: 'bybit-kline', node: { interval: '7' }, key: 'intervalInvalid', names: { interval: '7' } },
  { what: '"closed candles only" that is neither true nor false', type: 'bybit-kline', node: { closedOnly: 'yes' }, key: 'fieldInvalid', names: { field: 'closedOnly', value: 'yes' } },
  { what: 'an order-book depth of 0', type: 'bybit-orderbook', node: { depth: 0 }, key: 'depthInvalid', names: { depth: '0' } },
  { what: 'a fractional order-book depth', type: 'bybit-orderbook', node: { depth: 2.5 }, key: 'depthInvalid', names: { depth: '2.5' } },
  { what: 'a ping interval of 2 s', type: 'bybit-trade', conn: { pingInterval: 2 }, key: 'fieldInvalid', names: { field: 'connection.pingInterval', value: '2' } },
  { what: 'a ping interval that is not a number', type: 'bybit-account', conn: { pingInterval: 'often' }, key: 'fieldInvalid', names: { field: 'connection.pingInterval', value: 'often' } },
  { what: 'an unknown network', type: 'bybit-ticker', conn: { network: 'moon' }, key: 'fieldInvalid', names: { field: 'connection.network', value: 'moon' } },
  { what: 'an unknown api', type: 'bybit-order', conn: { api: 'v4' }, key: 'fieldInvalid', names: { field: 'connection.api', value: 'v4' } },
  { what: 'no connection chosen', type: 'bybit-trade', node: { connection: '' }, key: 'noConnection', names: {} },
];

/** "key {subs}" as keepSubstitutions renders a catalog text: the substitutions, parsed back. */
function substitutions(text: string | undefined, key: string): Record<string, unknown> {
  assert.ok(text?.startsWith(key), `${text} starts with ${key}`);
  const rest = (text ?? '').slice(key.length).trim();
  return rest ? (JSON.parse(rest) as Record<string, unknown>) : {};
}

describe('configuration mistakes: one rule for every node and the connection', function () {
  let sim: Simulator;

  simulatorPerTest({ tickMs: 20, credentials: [{ key: KEY, secret: SECRET }] }, (s) => (sim = s));

  for (const mistake of MISTAKES) {
    it(`${mistake.what}: a red status naming it, one Catch error, nothing started`, async function () {
      const symbols = isPrivateType(mistake.type) ? '' : 'BTCUSDT';
      await loadFlow([connection(sim, mistake.conn), ...paletteNode(mistake.type, { symbols, ...mistake.node }), ...catcher()], { conn: { apiKey: KEY, apiSecret: SECRET } }, [keepSubstitutions]);
      const caught = collect('caught');

      const status = lastStatus('n1');
      assert.equal(status?.fill, 'red');
      const named = substitutions(status?.text, `${SHARED}status.${mistake.key}`);
      for (const [sub, value] of Object.entries(mistake.names)) assert.equal(named[sub], value, `the status names ${sub}`);

      // A msg gets the same mistake through done(err); its Catch msg comes after the deploy's.
      const answered = nextMsg('caught', (m) => m.error?.message.startsWith('Error: ') === true);
      getNode('n1').receive(isPrivateType(mistake.type) ? { action: 'subscribe' } : { action: 'subscribe', symbol: 'ETHUSDT' });
      const answer = await answered;
      const errors = caught.stop().filter((m: Msg) => m !== answer);
      assert.equal(errors.length, 1, `one Catch error at deploy: ${JSON.stringify(errors.map((m) => m.error?.message))}`);
      const reported = substitutions(errors[0].error?.message, `${SHARED}errors.${mistake.key}`);
      assert.deepEqual(reported, named, 'the error names what the status names');
      assert.equal(answer.error?.message, `Error: ${errors[0].error?.message}`);

      assert.equal(sim.connectionAttempts(), 0, 'no socket');
      assert.deepEqual(sim.requests, [], 'nothing reached the server');
    });
  }
});
