/**
 * Seeded pseudo-random numbers. Every stream is derived from (seed, name) so that one
 * symbol's or one book's sequence does not depend on what else happens to be subscribed.
 */

/** 32-bit FNV-1a: a cheap, stable string hash used only to derive seeds. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export interface Rng {
  /** uniform in [0, 1) */
  next(): number;
  /** integer in [lo, hi], both inclusive */
  int(lo: number, hi: number): number;
  /** true with probability p */
  chance(p: number): boolean;
  /** lower-case hex string of the given length */
  hex(length: number): string;
}

/** mulberry32: tiny, fast, good enough for mock market data (not for anything secret). */
export function createRng(seed: number, stream: string): Rng {
  let state = hashString(`${seed >>> 0}:${stream}`) || 0x9e3779b9;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    hex: (length) => {
      let out = '';
      while (out.length < length) out += Math.floor(next() * 4294967296).toString(16).padStart(8, '0');
      return out.slice(0, length);
    },
  };
}

/** A UUID-shaped id drawn from the stream, so ids are deterministic under a seed. */
export function rngUuid(rng: Rng): string {
  const h = rng.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
