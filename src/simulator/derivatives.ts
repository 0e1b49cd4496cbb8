/**
 * Derivative state beside the price walk: mark and index prices, funding, open interest, and
 * option greeks. Plain numbers (model values); the wire encoders format them.
 */
import type { InstrumentSpec } from './instruments';
import type { Rng } from './rng';

const YEAR_MS = 365 * 86_400_000;
const HOUR_MS = 3_600_000;
/** Perpetual funding every 8 h (00:00, 08:00, 16:00 UTC), capped at ±0.5 % (ticker.mdx fundingCap "0.005"). */
export const FUNDING_INTERVAL_HOURS = 8;
export const FUNDING_CAP = 0.005;

/** Standard normal CDF (Abramowitz–Stegun 7.1.26, |error| < 1.5e-7). */
export function normCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x) / Math.SQRT2);
  const y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

function normPdf(x: number): number {
  return Math.exp(-(x * x) / 2) / Math.sqrt(2 * Math.PI);
}

export interface Greeks {
  price: number;
  delta: number;
  gamma: number;
  /** per 1 vol point (0.01) */
  vega: number;
  /** per day */
  theta: number;
}

/** Black–Scholes with zero rates; `years` is clamped to one hour so expired options stay finite. */
export function blackScholes(type: 'Call' | 'Put', spot: number, strike: number, years: number, vol: number): Greeks {
  const t = Math.max(years, HOUR_MS / YEAR_MS);
  const sd = vol * Math.sqrt(t);
  const d1 = (Math.log(spot / strike) + (vol * vol * t) / 2) / sd;
  const d2 = d1 - sd;
  const call = type === 'Call';
  const price = call ? spot * normCdf(d1) - strike * normCdf(d2) : strike * normCdf(-d2) - spot * normCdf(-d1);
  const pdf = normPdf(d1);
  return {
    price: Math.max(0, price),
    delta: call ? normCdf(d1) : normCdf(d1) - 1,
    gamma: pdf / (spot * sd),
    vega: (spot * pdf * Math.sqrt(t)) / 100,
    theta: -(spot * pdf * vol) / (2 * Math.sqrt(t)) / 365,
  };
}

/** Implied volatility with a smile: higher away from the money. */
export function smileVol(spot: number, strike: number): number {
  const m = Math.log(strike / spot);
  return 0.55 + 0.8 * m * m;
}

export function yearsTo(deliveryTime: number, now: number): number {
  return (deliveryTime - now) / YEAR_MS;
}

/** Next funding boundary after `now` (ms). */
export function nextFundingTime(now: number): number {
  const step = FUNDING_INTERVAL_HOURS * HOUR_MS;
  return Math.floor(now / step) * step + step;
}

/**
 * Mark/index/funding/open-interest of a perpetual or future, walked a little each tick with
 * its own random stream (so the trade sequence of the symbol does not depend on it).
 */
export class DerivState {
  /** index as a fraction of the price walk's mid, e.g. 0.9998 */
  private indexRatio: number;
  private markOffset = 0;
  fundingRate: number;
  /** contracts (qty units of the symbol) */
  openInterest: number;
  /** price units, refreshed at most once per hour */
  prevPrice1h: number;
  private prev1hAt: number;

  constructor(
    readonly spec: InstrumentSpec,
    private readonly rng: Rng,
    mid: number,
    now: number,
  ) {
    this.indexRatio = 1 - (rng.next() - 0.5) * 0.002;
    this.fundingRate = Math.round((rng.next() - 0.4) * 2000) / 1e7;
    this.openInterest = rng.int(10_000, 900_000);
    this.prevPrice1h = mid;
    this.prev1hAt = now;
  }

  get perpetual(): boolean {
    return this.spec.deliveryTime === 0;
  }

  /** One tick: index drifts, mark jitters around the walk, funding moves a step, open interest changes. */
  advance(mid: number, grid: number, now: number): void {
    this.indexRatio = Math.min(1.003, Math.max(0.997, this.indexRatio + (this.rng.next() - 0.5) * 0.0002));
    this.markOffset = grid * this.rng.int(-1, 1);
    if (this.perpetual && this.rng.chance(0.3)) {
      const step = (this.rng.int(-1, 1) * 1) / 1e6;
      this.fundingRate = Math.min(FUNDING_CAP, Math.max(-FUNDING_CAP, Math.round((this.fundingRate + step) * 1e6) / 1e6));
    }
    this.openInterest = Math.max(1, this.openInterest + this.rng.int(-50, 60));
    if (now - this.prev1hAt >= HOUR_MS) {
      this.prevPrice1h = mid;
      this.prev1hAt = now;
    }
  }

  /** price units */
  mark(mid: number): number {
    return mid + this.markOffset;
  }

  /** price units */
  index(mid: number): number {
    return Math.round(mid * this.indexRatio);
  }
}
