/**
 * Input validation in one place: a msg is parsed and checked completely before anything
 * changes, and every problem becomes one clear error for done(err) (a Catch node sees it).
 */
import { inputError } from './i18n';
import type { NodeAPI, NodeMessage } from './red';
import { SYMBOL_PATTERN } from '../../src/config-rules';

export { SYMBOL_PATTERN };
/** Most symbols one msg may name; beyond this a flow is almost certainly sending the wrong thing. */
export const MAX_SYMBOLS_PER_MSG = 200;

export type Command =
  | { action: 'subscribe'; symbols: string[] }
  | { action: 'unsubscribe'; symbols: string[] } // empty: everything of this node
  | { action: 'list' };

/**
 * Symbols from a config field: comma-separated, trimmed and upper-cased for the user's
 * convenience; invalid entries are returned separately so the node can say which.
 */
export function parseConfigSymbols(text: unknown, pattern: RegExp = SYMBOL_PATTERN): { symbols: string[]; invalid: string[] } {
  const symbols: string[] = [];
  const invalid: string[] = [];
  if (typeof text !== 'string') return { symbols, invalid };
  for (const part of text.split(',')) {
    const s = part.trim().toUpperCase();
    if (!s) continue;
    if (!pattern.test(s)) invalid.push(s);
    else if (!symbols.includes(s)) symbols.push(s);
  }
  return { symbols, invalid };
}

/**
 * Symbols from a msg: a string ("BTCUSDT" or "BTCUSDT,ETHUSDT") or an array of strings.
 * Exact form required (upper-case, no inner spaces): a msg comes from a flow, and guessing
 * what a malformed one meant would subscribe to something nobody asked for.
 */
export function parseMsgSymbols(RED: NodeAPI, value: unknown, pattern: RegExp = SYMBOL_PATTERN): string[] {
  let parts: unknown[];
  if (typeof value === 'string') parts = value.split(',');
  else if (Array.isArray(value)) parts = value;
  else throw inputError(RED, 'errors.symbolType', { type: describe(value) });
  const max = maxSymbols(RED);
  if (parts.length > max) throw inputError(RED, 'errors.tooManySymbols', { count: parts.length, max });
  const symbols: string[] = [];
  for (const part of parts) {
    if (typeof part !== 'string') throw inputError(RED, 'errors.symbolType', { type: describe(part) });
    const s = part.trim();
    if (!pattern.test(s)) throw inputError(RED, 'errors.symbolInvalid', { symbol: s.slice(0, 40) });
    if (!symbols.includes(s)) symbols.push(s);
  }
  if (symbols.length === 0) throw inputError(RED, 'errors.symbolMissing');
  return symbols;
}

/** MAX_SYMBOLS_PER_MSG, or settings.js `bybitWs.maxSymbolsPerMsg` when that is a positive integer. */
function maxSymbols(RED: NodeAPI): number {
  const value = (RED.settings?.bybitWs as { maxSymbolsPerMsg?: unknown } | undefined)?.maxSymbolsPerMsg;
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : MAX_SYMBOLS_PER_MSG;
}

/** Reads msg.action and the symbols it needs; throws a NodeInputError on anything invalid. */
export function parseCommand(RED: NodeAPI, msg: NodeMessage, opts: { symbolsRequired: boolean; pattern?: RegExp }): Command {
  const action = msg.action;
  if (action === undefined) throw inputError(RED, 'errors.actionMissing');
  if (typeof action !== 'string') throw inputError(RED, 'errors.actionType', { type: describe(action) });
  if (action === 'list') return { action };
  if (action !== 'subscribe' && action !== 'unsubscribe') throw inputError(RED, 'errors.actionUnknown', { action: action.slice(0, 40) });
  const source = msg.symbol !== undefined ? msg.symbol : isSymbolPayload(msg.payload) ? msg.payload : undefined;
  if (source === undefined) {
    if (action === 'unsubscribe') return { action, symbols: [] };
    if (opts.symbolsRequired) throw inputError(RED, 'errors.symbolMissing');
    return { action, symbols: [] };
  }
  return { action, symbols: parseMsgSymbols(RED, source, opts.pattern) };
}

/** msg.payload stands in for msg.symbol only when it is a string or an array. */
function isSymbolPayload(payload: unknown): boolean {
  return typeof payload === 'string' || Array.isArray(payload);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
