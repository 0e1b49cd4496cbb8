/**
 * Small readers for exchange fields. Exchanges send numbers as strings; normalized payloads
 * carry JS numbers, and null where a dialect has no value.
 */

export type Rec = Record<string, unknown>;

export function isRec(value: unknown): value is Rec {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A number from a string or number field; NaN when absent or unreadable. */
export function num(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value !== '') return Number(value);
  return NaN;
}

/** Like num, but null instead of NaN, for fields a dialect may not carry. */
export function numOrNull(value: unknown): number | null {
  const n = num(value);
  return Number.isNaN(n) ? null : n;
}

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
