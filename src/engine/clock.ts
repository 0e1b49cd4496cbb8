/**
 * The server's time as this machine can tell it: the local clock plus an offset measured from
 * pongs that carry the server's time. Auth signs with it, so a machine clock that is off does
 * not get "request expired" forever.
 */

/** Below this the offset is noise (network delay): nothing is reported. */
export const CLOCK_NOTICE_MS = 1000;

export class ServerClock {
  /** Server time minus local time, ms (0 until measured). */
  offsetMs = 0;

  constructor(private readonly local: () => number = Date.now) {}

  /** The local clock, uncorrected. */
  localNow(): number {
    return this.local();
  }

  /** The server's time, as far as measured. */
  now(): number {
    return this.local() + this.offsetMs;
  }

  /** A pong to a ping sent at `sentAt` (local) carried `serverTime`: the server read it about halfway. */
  observe(serverTime: number, sentAt: number): void {
    this.offsetMs = Math.round(serverTime - (sentAt + this.local()) / 2);
  }

  /** Whether the offset is large enough to tell the user. */
  get isOff(): boolean {
    return Math.abs(this.offsetMs) >= CLOCK_NOTICE_MS;
  }
}
