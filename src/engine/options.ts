/**
 * Connection timings and limits, with their defaults in one place. They are resolved once
 * (when a client or connection is made) and read as plain fields after that.
 */

/** Timings a client passes on to each of its connections. */
export interface ConnectionTimings {
  /** Ping every this long (default 20 s). */
  pingIntervalMs?: number;
  /** No frame of any kind this long after a ping: the socket is dead (default 10 s). */
  pongTimeoutMs?: number;
  /** A request without a reply this long fails (default 10 s). */
  requestTimeoutMs?: number;
  /** Connected this long without trouble resets the backoff (default 15 s). */
  healthyAfterMs?: number;
  /** Wait after a rejected auth before trying again (default 30 s). */
  authRetryMs?: number;
}

export type ResolvedTimings = Required<ConnectionTimings>;

export const DEFAULT_TIMINGS: Readonly<ResolvedTimings> = {
  pingIntervalMs: 20_000,
  pongTimeoutMs: 10_000,
  requestTimeoutMs: 10_000,
  healthyAfterMs: 15_000,
  authRetryMs: 30_000,
};

/** Fixed limits of every socket. */
export const SOCKET_LIMITS = {
  /** The TCP + TLS + upgrade handshake must finish within this. */
  handshakeTimeoutMs: 10_000,
  /** A closing socket that does not finish its close handshake is terminated after this. */
  closeDeadlineMs: 2000,
  /** An auth signature is valid this long (Bybit's `expires`). */
  authValidityMs: 10_000,
  /**
   * Characters of topics one public socket may hold: Bybit refuses more than 21,000 characters
   * of "args" on one public connection (v5 websocket/wss-authentication.mdx, "Public channel - Args limits").
   */
  publicArgsChars: 21_000,
} as const;

/**
 * When a book topic's skipped update ids stop counting as gaps. Bybit's orderbook page
 * (v5 websocket/public/orderbook.mdx, field `u`) no longer promises that `u` rises by exactly 1,
 * so a topic whose fresh books break only on skipped ids this many times within the window has
 * its skips allowed from then on (a `u` that does not rise still breaks the book).
 */
export const U_SKIPS = {
  breaks: 3,
  windowMs: 5 * 60_000,
} as const;

/**
 * What one topic costs of a socket's args budget: its characters plus the quotes and comma it
 * takes in a JSON array, so the count is safe however Bybit measures the array.
 */
export function argsCost(key: string): number {
  return key.length + 3;
}

/** Every timing of `given` that is set, the default for the rest (an explicit undefined is "not set"). */
export function resolveTimings(given: ConnectionTimings = {}): ResolvedTimings {
  const out = { ...DEFAULT_TIMINGS };
  for (const name of Object.keys(DEFAULT_TIMINGS) as (keyof ResolvedTimings)[]) {
    const value = given[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
