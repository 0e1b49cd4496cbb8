/**
 * Prices and quantities are kept as integers in units of 10^-decimals and formatted to
 * strings only on the wire, so books never suffer float rounding and keys compare exactly.
 */

export function formatUnits(units: number, decimals: number): string {
  const negative = units < 0;
  const digits = String(Math.abs(Math.round(units))).padStart(decimals + 1, '0');
  const body = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return negative ? `-${body}` : body;
}

/** Formats a float with a fixed number of decimals (for derived values like turnover). */
export function formatFloat(value: number, decimals: number): string {
  return value.toFixed(decimals);
}
