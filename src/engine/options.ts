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
} as const;

/** Every timing of `given` that is set, the default for the rest (an explicit undefined is "not set"). */
export function resolveTimings(given: ConnectionTimings = {}): ResolvedTimings {
  const out = { ...DEFAULT_TIMINGS };
  for (const name of Object.keys(DEFAULT_TIMINGS) as (keyof ResolvedTimings)[]) {
    const value = given[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
