/**
 * Exact amounts for the private account model: BigInt fixed point with 8 decimals, so
 * cumulative quantities and values add up exactly and print like Bybit's ("150", "0.005").
 */

export const SCALE_DECIMALS = 8;
const SCALE = 10n ** BigInt(SCALE_DECIMALS);

export type Amount = bigint;

/** Accepts "0.01", 0.01, "30000"; rejects negatives, exponents and junk. */
export function toAmount(value: string | number, what = 'amount'): Amount {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? value.toFixed(SCALE_DECIMALS) : 'NaN') : value.trim();
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new Error(`${what} must be a non-negative decimal, got ${JSON.stringify(value)}`);
  const frac = (m[2] ?? '').padEnd(SCALE_DECIMALS, '0');
  if (frac.length > SCALE_DECIMALS && /[1-9]/.test(frac.slice(SCALE_DECIMALS))) {
    throw new Error(`${what} has more than ${SCALE_DECIMALS} decimals: ${JSON.stringify(value)}`);
  }
  return BigInt(m[1]) * SCALE + BigInt(frac.slice(0, SCALE_DECIMALS));
}

/** Shortest decimal text: trailing zeros trimmed, no trailing dot. */
export function fmtAmount(a: Amount): string {
  const negative = a < 0n;
  const abs = negative ? -a : a;
  const int = abs / SCALE;
  const frac = (abs % SCALE).toString().padStart(SCALE_DECIMALS, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

export function mulAmount(a: Amount, b: Amount): Amount {
  return (a * b) / SCALE;
}

export function divAmount(a: Amount, b: Amount): Amount {
  return b === 0n ? 0n : (a * SCALE) / b;
}

export function minAmount(a: Amount, b: Amount): Amount {
  return a < b ? a : b;
}

/** Fee rate 0.1% as used for every simulated fill. */
export const FEE_RATE: Amount = toAmount('0.001');
