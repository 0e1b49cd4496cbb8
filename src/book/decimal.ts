/**
 * Fast reading of the decimal strings exchanges send ("30240.50", "0.006"). Generic
 * string-to-number conversion costs more than everything else a book does with a level, so
 * plain decimals take a short path: the digits as an integer m (exact below 2^53) divided by
 * 10^k (exact up to 10^22). One IEEE division is correctly rounded, so the result is the very
 * number Number() gives. Long plain decimals and negatives go to Number(); anything that is not a
 * plain decimal (exponents, hex, "+", spaces) is NaN (issue 13: strict number parsing).
 */

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const MAX_EXACT = 2 ** 53;

/** One slot for parseDecimal's result. */
const ONE = new Float64Array(1);

/** Number(text) for a wire number, quicker for plain decimals; NaN for "" or leading whitespace. */
export function parseDecimal(text: string): number {
  parseDecimalInto(text, ONE, 0);
  return ONE[0];
}

/**
 * parseDecimal(text), written to out[at]. Hot loops use this form: a double returned from a
 * call the compiler did not inline is boxed on the heap, one written to a Float64Array is not.
 */
export function parseDecimalInto(text: string, out: Float64Array, at: number): void {
  const len = text.length;
  if (len === 0 || text.charCodeAt(0) <= 32) {
    out[at] = NaN;
    return;
  }
  let m = 0;
  let digits = 0;
  let fraction = -1; // digits after the point; -1 while none was seen
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      if (fraction >= 0) fraction++;
    } else if (c === 46 && fraction < 0) {
      fraction = 0;
    } else {
      out[at] = signedOrNaN(text);
      return;
    }
  }
  if (digits === 0) out[at] = NaN;
  else if (m > MAX_EXACT || fraction >= POW10.length) out[at] = +text;
  else out[at] = fraction > 0 ? m / POW10[fraction] : m;
}

/** Only a leading minus leaves the short path legitimately; "0x10", "1e400", "+1" are not decimals. */
function signedOrNaN(text: string): number {
  return /^-(?:\d+\.?\d*|\.\d+)$/.test(text) ? +text : NaN;
}
