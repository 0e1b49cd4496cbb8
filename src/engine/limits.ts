/**
 * What one server may make this process do: size limits with defaults, overridable per client
 * (the connection node reads them from settings.js `bybitWs`). Bybit's own frames stay far
 * inside every one of them; a frame beyond one is a broken or hostile server, and is refused
 * before it costs anything (the socket's maxPayload, a depth check of each push, a length
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
 * Whether a parsed frame nests objects and arrays deeper than `limit`. It only visits containers
 * (a fraction of what scanning the frame's text costs) and keeps its own stack, so no depth and
 * no limit can overflow the call stack.
 */
export function nestedDeeper(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const stack: object[] = [value];
  const depths: number[] = [1];
  while (stack.length > 0) {
    const container = stack.pop() as object;
    const depth = depths.pop() as number;
    if (depth > limit) return true;
    if (Array.isArray(container)) {
      for (let i = 0; i < container.length; i++) visit(container[i], depth, limit, stack, depths);
    } else {
      const rec = container as Record<string, unknown>;
      for (const key in rec) visit(rec[key], depth, limit, stack, depths);
    }
  }
  return false;
}

function visit(v: unknown, depth: number, limit: number, stack: object[], depths: number[]): void {
  if (typeof v !== 'object' || v === null) return;
  // A flat array within the limit (a book level) needs no turn of its own: most of a book frame is these.
  if (depth < limit && Array.isArray(v) && isFlat(v)) return;
  stack.push(v);
  depths.push(depth + 1);
}

function isFlat(values: unknown[]): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'object' && v !== null) return false;
  }
  return true;
}
