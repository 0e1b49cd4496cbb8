/** One accepted WebSocket and what the server knows about it. */
import { WebSocket } from 'ws';
import type { Dialect } from './dialect';
import type { Faults } from './faults';

export class Session {
  /** subscribed topics in the dialect's own spelling, in subscription order */
  readonly topics = new Set<string>();
  /** API key after a successful auth (private paths) */
  authKey: string | undefined;

  constructor(
    readonly connId: string,
    readonly path: string,
    readonly ws: WebSocket,
    readonly dialect: Dialect,
    private readonly faults: Faults,
  ) {}

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends unless the socket is closed or the server plays dead; returns whether it was sent. */
  send(data: string | Buffer, opts: { force?: boolean; binary?: boolean } = {}): boolean {
    if (!this.open || (this.faults.silent && !opts.force)) return false;
    this.ws.send(data, { binary: opts.binary ?? false });
    return true;
  }

  /** Sends and resolves once this frame (and so everything queued before it) is flushed to the OS. */
  sendFlushed(data: string): Promise<boolean> {
    if (!this.open || this.faults.silent) return Promise.resolve(false);
    return new Promise((resolve) => this.ws.send(data, (err) => resolve(!err)));
  }

  sendJson(frame: unknown): boolean {
    return this.send(JSON.stringify(frame));
  }
}
