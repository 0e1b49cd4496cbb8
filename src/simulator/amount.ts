/**
 * Exact amounts for the private account model: BigInt fixed point with 18 decimals, so
 * cumulative quantities and values add up exactly and print like Bybit's ("150", "0.005"),
 * and long decimals such as the legacy docs' "10000000097.1982823144" survive unchanged.
 */

export const SCALE_DECIMALS = 18;
const SCALE = 10n ** BigInt(SCALE_DECIMALS);

export type Amount = bigint;

/** Decimals kept by divisions (average prices, coin conversions): Bybit prints at most 8 here. */
const DIV_DECIMALS = 8;
const DIV_UNIT = 10n ** BigInt(SCALE_DECIMALS - DIV_DECIMALS);

/** Accepts "0.01", 0.01, "30000" (and "-1.5" when negative is allowed); rejects exponents and junk. */
export function toAmount(value: string | number, what = 'amount', allowNegative = false): Amount {
  const text = typeof value === 'number' ? numberText(value) : typeof value === 'string' ? value.trim() : 'NaN';
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m || (m[1] === '-' && !allowNegative)) {
    throw new Error(`${what} must be a ${allowNegative ? '' : 'non-negative '}decimal, got ${JSON.stringify(value)}`);
  }
  const frac = (m[3] ?? '').padEnd(SCALE_DECIMALS, '0');
  if (frac.length > SCALE_DECIMALS && /[1-9]/.test(frac.slice(SCALE_DECIMALS))) {
    throw new Error(`${what} has more than ${SCALE_DECIMALS} decimals: ${JSON.stringify(value)}`);
  }
  const abs = BigInt(m[2]) * SCALE + BigInt(frac.slice(0, SCALE_DECIMALS));
  return m[1] === '-' ? -abs : abs;
}

/** A JS number as plain decimal text (numbers carry ~16 digits, so 10 decimals is all they have). */
function numberText(value: number): string {
  if (!Number.isFinite(value)) return 'NaN';
  const plain = String(value);
  return /e/i.test(plain) ? value.toFixed(10) : plain;
}

/** Shortest decimal text: trailing zeros trimmed, no trailing dot. */
export function fmtAmount(a: Amount): string {
  const negative = a < 0n;
  const abs = negative ? -a : a;
  const int = abs / SCALE;
  const frac = (abs % SCALE).toString().padStart(SCALE_DECIMALS, '0').replace(/0+$/, '');
  return `${negative && (int > 0n || frac) ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

export function mulAmount(a: Amount, b: Amount): Amount {
  return (a * b) / SCALE;
}

/** a / b truncated to 8 decimals; 0 when b is 0. */
export function divAmount(a: Amount, b: Amount): Amount {
  if (b === 0n) return 0n;
  return ((a * SCALE) / b / DIV_UNIT) * DIV_UNIT;
}

export function minAmount(a: Amount, b: Amount): Amount {
  return a < b ? a : b;
}

export function absAmount(a: Amount): Amount {
  return a < 0n ? -a : a;
}

/** Rounds toward zero to a number of decimals (quantities on a lot step). */
export function truncAmount(a: Amount, decimals: number): Amount {
  const unit = 10n ** BigInt(SCALE_DECIMALS - decimals);
  return (a / unit) * unit;
}

/** Spot fee rate 0.1% as used for every simulated spot fill. */
export const FEE_RATE: Amount = toAmount('0.001');
