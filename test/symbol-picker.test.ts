/**
 * The symbols field's pick-list logic in the shared editor script (resources/bybit-editor.js):
 * which comma-separated entry is being typed, what a pick turns the field into, which
 * symbols are offered, and what the dialog asks the runtime for.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

const SCRIPT = path.resolve(__dirname, '../../resources/bybit-editor.js');
// The build generates the constants the script starts from.
const CONSTANTS = path.resolve(__dirname, '../../resources/bybit-editor-constants.js');

interface Picker {
  token(text: string, caret?: number): { start: number; end: number; term: string };
  replace(text: string, caret: number, symbol: string): { text: string; caret: number };
  match(symbols: string[], term: string, chosen: string[], max: number): string[];
  query(conn: Record<string, unknown> | undefined, category?: string): Record<string, string> | null;
}

function loadPicker(): Picker {
  const window: { BybitEditor?: { symbolPicker: Picker } } = {};
  const context = vm.createContext({ window });
  for (const file of [CONSTANTS, SCRIPT]) vm.runInContext(fs.readFileSync(file, 'utf8'), context, { filename: file });
  const inner = window.BybitEditor?.symbolPicker;
  assert.ok(inner, 'the script exposes BybitEditor.symbolPicker');
  // Values from the script's realm, copied so deepEqual compares them as plain data.
  const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
  return {
    token: (text, caret) => plain(inner.token(text, caret)),
    replace: (text, caret, symbol) => plain(inner.replace(text, caret, symbol)),
    match: (symbols, term, chosen, max) => plain(inner.match(symbols, term, chosen, max)),
    query: (conn, category) => plain(inner.query(conn, category)),
  };
}

describe('symbol pick-list in the editor', function () {
  const picker = loadPicker();
  const LIST = ['ADAUSDT', 'BTCUSDC', 'BTCUSDT', 'ETHBTC', 'ETHUSDT', 'SOLUSDT'];

  it('suggests for the entry being typed, wherever the caret is in a comma list', function () {
    assert.equal(picker.token('bt').term, 'BT');
    assert.equal(picker.token('ETHUSDT, bt').term, 'BT');
    assert.equal(picker.token('ETHUSDT,').term, '');
    // Caret inside the first entry of "BT,ETHUSDT".
    assert.deepEqual(picker.token('BT,ETHUSDT', 2), { start: 0, end: 2, term: 'BT' });
    assert.deepEqual(picker.token('ETHUSDT,SO,ADAUSDT', 10), { start: 8, end: 10, term: 'SO' });
    assert.equal(picker.token('', 0).term, '');
  });

  it('a pick replaces only that entry and puts the caret after it', function () {
    assert.deepEqual(picker.replace('BT', 2, 'BTCUSDT'), { text: 'BTCUSDT', caret: 7 });
    assert.deepEqual(picker.replace('ETHUSDT, bt', 11, 'BTCUSDT'), { text: 'ETHUSDT, BTCUSDT', caret: 16 });
    assert.deepEqual(picker.replace('ETHUSDT,SO,ADAUSDT', 10, 'SOLUSDT'), { text: 'ETHUSDT,SOLUSDT,ADAUSDT', caret: 15 });
  });

  it('offers symbols starting with the text first, then those containing it, none already chosen', function () {
    assert.deepEqual(picker.match(LIST, 'BT', [], 50), ['BTCUSDC', 'BTCUSDT', 'ETHBTC']);
    assert.deepEqual(picker.match(LIST, 'bt', ['BTCUSDT'], 50), ['BTCUSDC', 'ETHBTC']);
    assert.deepEqual(picker.match(LIST, 'USDT', [], 2), ['ADAUSDT', 'BTCUSDT']);
    assert.deepEqual(picker.match(LIST, '', [], 50), []);
    assert.deepEqual(picker.match(LIST, 'XYZ', [], 50), []);
  });

  it('asks the runtime with the connection\'s settings, the public URL only for custom', function () {
    assert.equal(picker.query(undefined), null);
    assert.equal(picker.query({ type: 'tab' }), null);
    assert.deepEqual(picker.query({ type: 'bybit-connection', network: 'testnet', api: 'v5', publicUrl: 'ws://x' }, 'spot'), { network: 'testnet', api: 'v5', category: 'spot' });
    assert.deepEqual(picker.query({ type: 'bybit-connection', network: 'custom', api: 'spot-v3', publicUrl: 'ws://127.0.0.1:8765/spot/public/v3' }, 'spot'),
      { network: 'custom', api: 'spot-v3', category: 'spot', publicUrl: 'ws://127.0.0.1:8765/spot/public/v3' });
    // A connection saved before these fields existed: the runtime's defaults.
    assert.deepEqual(picker.query({ type: 'bybit-connection' }), { network: 'mainnet', api: 'v5', category: 'spot' });
  });
});
