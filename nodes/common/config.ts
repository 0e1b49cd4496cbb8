/**
 * The one rule for configuration values, in one place. A value that is absent (a flow saved
 * by an older version, an empty field) takes its default silently. A value that is present
 * but unusable is a ConfigError: the node shows it in red, reports it once, and starts nothing.
 */
import { parseConfigSymbols } from './input';
import type { NodeDef } from './red';
import type { CategoryChoice, Dialect } from '../../src/dialects';

import { NUMBERS_MODES, THROTTLE_MAX_MS } from '../../src/config-rules';
import type { NumbersMode } from '../../src/dialects/fields';

export { THROTTLE_MAX_MS };

/**
 * A configuration mistake. `key` names a text under both `status.` (the red status) and
 * `errors.` (the one error a Catch node sees); `subs` name the field and the value.
 */
export class ConfigError extends Error {
  constructor(readonly key: string, readonly subs: Record<string, unknown> = {}) {
    super(key);
  }
}

/** Not set at all: undefined, null, or an empty editor field. */
export function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** A value as a status may show it: short, and readable whatever its type. */
export function shown(value: unknown, max = 20): string {
  const text = typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** The error for a field whose value is not one of `expected` (a range or a list, in symbols). */
export function fieldInvalid(field: string, value: unknown, expected: string): ConfigError {
  return new ConfigError('fieldInvalid', { field, value: shown(value), expected });
}

/** A number from a number or a numeric string; NaN for anything else. */
export function numberOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return NaN;
}

/** A number within [min, max]; the default when absent. `field` names it in the error. */
export function readRange(value: unknown, field: string, range: { min: number; max: number; default: number }, unit: string): number {
  if (isAbsent(value)) return range.default;
  const n = numberOf(value);
  if (n >= range.min && n <= range.max) return n;
  throw fieldInvalid(field, value, `${range.min}–${range.max} (${unit})`);
}

/** One of `allowed`; the first when absent. */
export function readChoice<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (isAbsent(value)) return allowed[0];
  const known = allowed.find((a) => a === value);
  if (known !== undefined) return known;
  throw fieldInvalid(field, value, allowed.join(' | '));
}

/** A checkbox: true or false (also as text); false when absent. */
export function readFlag(value: unknown, field: string): boolean {
  if (isAbsent(value) || value === false || value === 'false') return false;
  if (value === true || value === 'true') return true;
  throw fieldInvalid(field, value, 'true | false');
}

/** The symbols field; one malformed entry is a mistake (dropping it could widen a filter to every symbol). */
export function readSymbols(value: unknown, pattern?: RegExp): string[] {
  if (!isAbsent(value) && typeof value !== 'string') throw new ConfigError('badSymbols', { symbols: shown(value, 40) });
  const { symbols, invalid } = parseConfigSymbols(value, pattern);
  if (invalid.length) throw new ConfigError('badSymbols', { symbols: shown(invalid.join(','), 40) });
  return symbols;
}

/**
 * A V5 category the connection's dialect streams: spot-v3 and spot-v1 know only spot, so any
 * other category there is a mistake, not a silent fallback. `all` passes when the dialect has V5's categories.
 */
export function checkCategory(category: CategoryChoice, dialect: Dialect): void {
  const known = category === 'all' ? dialect.categories.length > 1 : dialect.categories.includes(category);
  if (!known) throw fieldInvalid('category', category, `${dialect.categories.join(' | ')} (${dialect.name})`);
}

/** What every palette node reads the same way. */
export interface CommonConfig {
  raw: boolean;
  /** 'string': prices, quantities and amounts stay Bybit's decimal strings (README "Numbers"). */
  numbers: NumbersMode;
  throttleMs: number;
}

export function readCommon(def: NodeDef): CommonConfig {
  return {
    raw: readChoice(def.output, 'output', ['normalized', 'raw']) === 'raw',
    numbers: readChoice(def.numbers, 'numbers', NUMBERS_MODES),
    throttleMs: readRange(def.throttle, 'throttle', { min: 0, max: THROTTLE_MAX_MS, default: 0 }, 'ms'),
  };
}
