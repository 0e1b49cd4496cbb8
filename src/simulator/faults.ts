/**
 * Fault switches shared by the server and every dialect. They are plain state: the server
 * and dialects consult them at the moment they would normally act.
 */

export const DEFAULT_REJECT_MSG = 'error:simulated rejection';

export class Faults {
  /** pings unanswered and no data sent: the client sees a silent, still-open socket */
  silent = false;
  /** incoming frames are handled this many ms after they arrive */
  delayMs = 0;
  private refuseUntil = 0;
  private rejectLeft = 0;
  private rejectMsg = DEFAULT_REJECT_MSG;
  private rejectTopic: string | undefined;
  private authReject: string | undefined;
  private tickerSnapshotSkips = 0;

  /**
   * The next n subscribe requests fail (the whole request, as Bybit fails a request for one
   * bad topic), with retMsg as the reason. With `topic`, only requests that carry that topic.
   */
  rejectNext(n: number, retMsg = DEFAULT_REJECT_MSG, topic?: string): void {
    this.rejectLeft = Math.max(0, Math.floor(n));
    this.rejectMsg = retMsg;
    this.rejectTopic = topic;
  }

  /** Consumes one injected subscribe rejection for a request of `topics`; its message, or undefined if none applies. */
  takeRejection(topics: readonly unknown[] = []): string | undefined {
    if (this.rejectLeft <= 0) return undefined;
    if (this.rejectTopic !== undefined && !topics.includes(this.rejectTopic)) return undefined;
    this.rejectLeft--;
    return this.rejectMsg;
  }

  /** The next n ticker subscriptions get no initial snapshot: their first message is a delta. */
  skipTickerSnapshots(n: number): void {
    this.tickerSnapshotSkips = Math.max(0, Math.floor(n));
  }

  /** Consumes one armed ticker-snapshot skip; true when this subscription should get no snapshot. */
  takeTickerSnapshotSkip(): boolean {
    if (this.tickerSnapshotSkips <= 0) return false;
    this.tickerSnapshotSkips--;
    return true;
  }

  refuseFor(ms: number, now = Date.now()): void {
    this.refuseUntil = ms > 0 ? now + ms : 0;
  }

  refusing(now = Date.now()): boolean {
    return now < this.refuseUntil;
  }

  /** When set, every auth attempt fails with this message (or the dialect's usual one if empty). */
  setAuthRejection(enabled: boolean, retMsg?: string): void {
    this.authReject = enabled ? (retMsg ?? '') : undefined;
  }

  /** undefined: auth proceeds normally; a string: reject (empty = use the dialect's default). */
  get authRejection(): string | undefined {
    return this.authReject;
  }
}

export type MalformedKind = 'invalid-json' | 'unknown-shape' | 'binary' | 'oversized';
export const MALFORMED_KINDS: readonly MalformedKind[] = ['invalid-json', 'unknown-shape', 'binary', 'oversized'];

/** Default size of an 'oversized' frame: far above any real Bybit message. */
export const OVERSIZED_BYTES = 2 * 1024 * 1024;

/**
 * A frame a client must survive: text that is not JSON, JSON of no known shape, a binary
 * frame (Bybit only sends text), or a huge but valid JSON text.
 */
export function malformedFrame(kind: MalformedKind, now: number, bytes = OVERSIZED_BYTES): string | Buffer {
  switch (kind) {
    case 'invalid-json':
      return `{"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":${now},"data":[{"p":"3`;
    case 'unknown-shape':
      return JSON.stringify({ simulator: 'unknown-shape', ts: now, values: [1, 'two', { three: 3 }] });
    case 'binary':
      return Buffer.from([0x00, 0xff, 0x7b, 0x22, 0x80, 0x01, 0xfe, 0x7d]);
    case 'oversized': {
      const head = `{"simulator":"oversized","ts":${now},"padding":"`;
      return `${head}${'x'.repeat(Math.max(0, bytes - head.length - 2))}"}`;
    }
    default:
      throw new Error(`unknown malformed kind ${JSON.stringify(kind)}: expected ${MALFORMED_KINDS.join(', ')}`);
  }
}
