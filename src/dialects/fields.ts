/**
 * Small readers for exchange fields. Exchanges send numbers as strings; normalized payloads
 * carry JS numbers (or, with numbers: 'string', the decimal strings), and null where a dialect
 * has no value or the value is not a number. Never NaN or Infinity.
 */
import { parseDecimal } from '../book/decimal';

export type Rec = Record<string, unknown>;

export function isRec(value: unknown): value is Rec {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Strict number reading: a finite JS number, or a plain decimal string as Bybit prints numbers
 * (optional minus, digits, optional fraction: "30240.50", "-0.0196", /^-?(?:\d+\.?\d*|\.\d+)$/)
 * whose value is finite; null for anything else ("abc", "1e400", "0x10", "+1", " 1 ", "",
 * absent). Never NaN.
 */
export function num(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  // parseDecimal is NaN for anything but a plain decimal: one pass over the digits checks and reads.
  const n = parseDecimal(value);
  return Number.isFinite(n) ? n : null;
}

/** Same check as num, but keeps Bybit's own digits: the decimal string itself (numbers: 'string'). */
export function decimalText(value: unknown): string | null {
  if (typeof value === 'string') return num(value) === null ? null : value;
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : null;
}

/** How a normalizer reads prices, quantities and amounts: picked once per frame, not per field. */
export type AmountReader = (value: unknown) => Decimal | null;

/** A price, quantity or amount: a number, or Bybit's decimal string when the node's `numbers` is `string`. */
export type Decimal = number;

/** The reader for a numbers mode (the string reader's strings stand in for Decimal; see payloads.ts). */
export function amountReader(mode: NumbersMode | undefined): AmountReader {
  return mode === 'string' ? (decimalText as unknown as AmountReader) : num;
}

export type NumbersMode = 'number' | 'string';

export function str(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

export function strOrNull(value: unknown): string | null {
  return value === undefined || value === null || value === '' ? null : str(value);
}

/** Price levels as sent: [["30240.00","0.5"], ...]; anything else becomes an empty list. */
export function levels(value: unknown): [string, string][] {
  return Array.isArray(value) ? (value as [string, string][]) : [];
}

/** Parses a JSON frame; the reason on failure feeds the malformed-frame counter. */
export function parseFrame(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, reason: `invalid JSON: ${(err as Error).message}` };
  }
}

const SCALE_RE = /^(-?)(\d*)(?:\.(\d*))?$/;

function scaled(text: string, places: number): bigint {
  const m = SCALE_RE.exec(text);
  if (!m) return 0n;
  const frac = (m[3] ?? '').padEnd(places, '0');
  const v = BigInt(`${m[2] || '0'}${frac}`);
  return m[1] ? -v : v;
}

function unscaled(v: bigint, places: number): string {
  const neg = v < 0n;
  const digits = (neg ? -v : v).toString().padStart(places + 1, '0');
  const int = digits.slice(0, digits.length - places);
  const frac = places ? digits.slice(digits.length - places).replace(/0+$/, '') : '';
  return `${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

/**
 * a + sign × b for amounts from one AmountReader: plain arithmetic on numbers, exact on decimal
 * strings (numbers: 'string' must not lose the digits it exists to keep). Null if either is null.
 */
export function addAmounts(a: Decimal | null, b: Decimal | null, sign: 1 | -1 = 1): Decimal | null {
  if (a === null || b === null) return null;
  if (typeof a === 'number' && typeof b === 'number') return a + sign * b;
  const x = String(a);
  const y = String(b);
  const places = Math.max((x.split('.')[1] ?? '').length, (y.split('.')[1] ?? '').length);
  return unscaled(scaled(x, places) + BigInt(sign) * scaled(y, places), places) as unknown as Decimal;
}
