/**
 * What one server may make this process do: size limits with defaults, overridable per client
 * (the connection node reads them from settings.js `bybitWs`). Bybit's own frames stay far
 * inside every one of them; a frame beyond one is a broken or hostile server, and is refused
 * before it costs anything (the socket's maxPayload, a text scan before JSON.parse, a length
 * check before a book applies a frame).
 */

export interface Limits {
  /** Largest frame accepted, bytes (ws maxPayload; a larger one closes the socket with 1009). Bybit's largest are well under 1 MiB. */
  maxFrameBytes: number;
  /** Frames nested deeper than this ({ and [) are malformed: Bybit's are 4 deep, and a deep item would overflow a deep clone. */
  maxNesting: number;
  /** A book frame with more levels on one side than this multiple of the stream depth is malformed (checked before applying). */
  bookLevelsPerDepth: number;
  /** ...but never fewer than this many per side (shallow streams). */
  minBookLevels: number;
  /** Items one throttle window holds at most: at this count it is sent early. */
  throttleItems: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = {
  maxFrameBytes: 1024 * 1024,
  maxNesting: 32,
  bookLevelsPerDepth: 4,
  minBookLevels: 100,
  throttleItems: 10_000,
};

/** Every limit of `given` that is a positive number, the default for the rest. */
export function resolveLimits(given: Partial<Record<keyof Limits, unknown>> = {}): Limits {
  const out = { ...DEFAULT_LIMITS };
  for (const name of Object.keys(DEFAULT_LIMITS) as (keyof Limits)[]) {
    const value = given[name];
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) out[name] = Math.floor(value);
  }
  return out;
}

/**
 * Whether JSON text nests `{`/`[` deeper than `limit` (strings skipped). One pass over the
 * characters and no recursion, so it is cheap on Bybit's frames and safe on hostile ones.
 */
export function nestedDeeper(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) {
      inString = true;
    } else if (c === 123 || c === 91) {
      if (++depth > limit) return true;
    } else if (c === 125 || c === 93) {
      depth--;
    }
  }
  return false;
}
