/**
 * Keeps a socket honest: a ping every interval, and when no frame of any kind arrived within
 * the pong timeout of a ping, the socket is declared dead. Any frame counts, not only pongs:
 * a busy socket is alive even if its pongs queue behind data.
 */
import type { ResolvedTimings } from './options';

export class Heartbeat {
  private pingTimer?: NodeJS.Timeout;
  private pongTimer?: NodeJS.Timeout;
  private lastFrameAt = 0;

  constructor(
    private readonly timings: Pick<ResolvedTimings, 'pingIntervalMs' | 'pongTimeoutMs'>,
    private readonly sendPing: (id: string) => void,
    private readonly onDead: (why: string) => void,
  ) {}

  /** A frame arrived. */
  alive(): void {
    this.lastFrameAt = Date.now();
  }

  start(): void {
    this.stop();
    this.alive();
    this.pingTimer = setInterval(() => this.ping(), this.timings.pingIntervalMs);
  }

  stop(): void {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    this.pingTimer = this.pongTimer = undefined;
  }

  private ping(): void {
    const sentAt = Date.now();
    this.sendPing(String(sentAt));
    if (this.pongTimer) return;
    this.pongTimer = setTimeout(() => {
      this.pongTimer = undefined;
      if (this.lastFrameAt < sentAt) this.onDead(`no frame within ${this.timings.pongTimeoutMs} ms of a ping`);
    }, this.timings.pongTimeoutMs);
  }
}
