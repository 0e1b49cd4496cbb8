/**
 * Seeded fuzz (fast-check) of what reads untrusted input: every dialect's decoder and
 * normalizer, the local order book, and the msg input parser; 12,000 cases a run. Asserted:
 * nothing throws (the input parser throws only its own NodeInputError), nothing pollutes a
 * prototype, and no number that comes out is NaN or infinite.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { getDialect, type Dialect, type OutputItem, type TopicSpec } from '../src/dialects';
import { LocalBook } from '../src/book/local-book';
import { parseCommand } from '../nodes/common/input';
import { NodeInputError } from '../nodes/common/i18n';
import type { NodeAPI } from '../nodes/common/red';
import { SYMBOL_PATTERN } from '../src/config-rules';
import { hasNonFinite } from './support/finite';

const SEED = 20261201;
const APIS = ['v5', 'spot-v3', 'spot-v1'] as const;
const SPECS: TopicSpec[] = [
  { channel: 'trade', symbol: 'BTCUSDT' }, { channel: 'ticker', symbol: 'BTCUSDT' }, { channel: 'kline', symbol: 'BTCUSDT', interval: '1' },
  { channel: 'bookticker', symbol: 'BTCUSDT' }, { channel: 'account' }, { channel: 'order' }, { channel: 'execution' },
];

/** Strings a broken or hostile server might put where a number or a name belongs. */
const nastyString = fc.oneof(
  fc.constantFrom('abc', '1e400', '-1e400', '0x10', ' 1 ', '1 ', '', 'NaN', 'Infinity', '-Infinity', '1e-400', '00012', '+5', '-0', '1.2.3', '١٢', '__proto__', 'constructor', 'BTCUSDT', 'ETHUSDT'),
  fc.double().map(String),
  fc.string({ maxLength: 12 }),
);
const scalar = fc.oneof(nastyString, fc.double(), fc.integer(), fc.boolean(), fc.constant(null));
const KEYS = ['s', 'symbol', 'p', 'v', 'q', 'S', 'T', 't', 'i', 'price', 'qty', 'side', 'lastPrice', 'bp', 'bq', 'ap', 'aq', 'b', 'a', 'u', 'seq',
  'coin', 'walletBalance', 'locked', 'orderId', 'execQty', 'execPrice', 'orderStatus', 'data', 'e', 'E', '__proto__', 'constructor', 'prototype'];
const { value: nastyValue } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 6 })),
}));

/** A frame on one of the spec's wire topics, with hostile data (and sometimes hostile envelope fields). */
function frameFor(dialect: Dialect, spec: TopicSpec): fc.Arbitrary<string> {
  const key = dialect.wireTopics(spec)[0].key;
  const [topicName, symbolParam] = key.split('|');
  return fc.record({ data: nastyValue, extra: fc.dictionary(fc.constantFrom(...KEYS), nastyValue, { maxKeys: 3 }), raw: fc.boolean() }).map(({ data, extra, raw }) => {
    if (raw) return JSON.stringify(data);
    // V5 and spot v3 name the topic; spot v1 public frames carry topic + params; v1 private ones are arrays keyed by `e`.
    const frame = dialect.name === 'spot-v1' ? { ...extra, topic: topicName, params: { symbol: symbolParam }, data } : { ...extra, topic: key, type: 'snapshot', ts: 1, data };
    return Array.isArray(data) && dialect.name === 'spot-v1' && spec.symbol === undefined ? JSON.stringify([{ e: topicName, ...extra }]) : JSON.stringify(frame);
  });
}

/** [api, spec, frame text]: named by api so a counterexample reads well. */
const decoderCase = fc.constantFrom(...APIS).chain((api) =>
  fc.constantFrom(...SPECS).chain((spec) => fc.tuple(fc.constant(api), fc.constant(spec), frameFor(getDialect(api), spec))));

/** What one frame produces through a dialect: decoded, then normalized. */
function run(dialect: Dialect, spec: TopicSpec, text: string): OutputItem[] {
  const endpoint = dialect.wireTopics(spec)[0].endpoint;
  const decoded = dialect.decode(text, endpoint);
  const frames = decoded.kind === 'data' ? [decoded.frame] : decoded.kind === 'multi' ? decoded.events.map((e) => e.frame) : [];
  return frames.flatMap((f) => dialect.normalize(spec, f));
}

function assertNoPollution(): void {
  assert.deepEqual(Object.keys(Object.prototype), []);
  assert.deepEqual(Object.keys(Array.prototype), []);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
}

const bookLevel = fc.tuple(fc.oneof(nastyString, fc.double({ min: 0.01, max: 1e6, noNaN: true }).map(String)), fc.oneof(nastyString, fc.constantFrom('0', '1', '2.5')));
const bookFrameText = fc.record({
  kind: fc.constantFrom('snapshot', 'delta'),
  b: fc.array(bookLevel, { maxLength: 30 }), a: fc.array(bookLevel, { maxLength: 30 }),
  u: fc.oneof(fc.integer({ min: 0, max: 20 }), nastyString), s: fc.constantFrom('BTCUSDT', 'ETHUSDT', '__proto__'),
}).map(({ kind, b, a, u, s }) => JSON.stringify({ topic: 'orderbook.50.BTCUSDT', type: kind, ts: 1, data: { s, b, a, u, seq: 1 } }));

const RED = { _: (key: string) => key, settings: {} } as unknown as NodeAPI;
const msgCase = fc.record({
  action: fc.oneof(fc.constantFrom('subscribe', 'unsubscribe', 'list', 'SUBSCRIBE', '__proto__'), fc.anything()),
  symbol: fc.oneof(fc.constant(undefined), nastyString, fc.array(fc.oneof(nastyString, fc.anything()), { maxLength: 5 }), fc.anything()),
  payload: fc.anything({ withObjectString: true }),
}, { requiredKeys: [] });

describe('fuzz: untrusted input never throws, pollutes or yields NaN', function () {
  this.timeout(60_000);
  const figures = { cases: 0 };
  after(() => console.log(`      fuzz figures: ${figures.cases} cases (seed ${SEED})`));

  it('decoders and normalizers of every dialect never throw and never pollute a prototype', function () {
    fc.assert(fc.property(decoderCase, ([api, spec, text]) => {
      figures.cases++;
      run(getDialect(api), spec, text);
      assertNoPollution();
    }), { seed: SEED, numRuns: 5000 });
  });

  it('decoders and normalizers never put NaN or Infinity in a payload', function () {
    // Relies on strict number parsing in src/dialects/fields.ts (issue 13 item 3).
    fc.assert(fc.property(decoderCase, ([api, spec, text]) => {
      figures.cases++;
      for (const item of run(getDialect(api), spec, text)) assert.ok(!hasNonFinite(item.payload), `${api} ${spec.channel}: ${JSON.stringify(item.payload)} from ${text}`);
    }), { seed: SEED + 1, numRuns: 2000 });
  });

  it('the local book takes any frame without throwing and only ever holds finite levels', function () {
    const dialect = getDialect('v5');
    fc.assert(fc.property(fc.array(bookFrameText, { minLength: 1, maxLength: 4 }), (texts) => {
      figures.cases++;
      const book = new LocalBook(50);
      for (const text of texts) {
        const decoded = dialect.decode(text, 'public');
        const frame = decoded.kind === 'data' ? dialect.bookFrame(decoded.frame) : null;
        if (frame) book.apply(frame);
        const view = book.view(50);
        assert.ok(!hasNonFinite(view), JSON.stringify(view));
      }
      assertNoPollution();
    }), { seed: SEED + 2, numRuns: 2500 });
  });

  it('the input parser answers any msg with a command of valid symbols or its own error', function () {
    fc.assert(fc.property(msgCase, fc.boolean(), (msg, symbolsRequired) => {
      figures.cases++;
      try {
        const command = parseCommand(RED, msg, { symbolsRequired });
        if (command.action !== 'list') for (const s of command.symbols) assert.match(s, SYMBOL_PATTERN);
      } catch (err) {
        assert.ok(err instanceof NodeInputError, `threw ${String(err)}`);
      }
      assertNoPollution();
    }), { seed: SEED + 3, numRuns: 2500 });
  });
});
