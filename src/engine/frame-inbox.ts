/**
 * A socket's received frames, handled in turns of the event loop. The socket hands over every
 * frame of a read at once; they are handled a few at a time, one batch per turn:
 * - a burst cannot hold the loop (timers, other sockets and Node-RED's msg delivery run between
 *   batches), and the msgs made from one batch are delivered before the next batch makes more,
 *   so a flood never piles msgs up in memory;
 * - yet one turn's fixed cost (the poll for I/O, the timer check) is shared by a batch of frames
 *   instead of paid for each, as one frame per turn would.
 * Past `highWater` frames waiting, the socket is paused: the backlog stays with the kernel and
 * the server, not in this process.
 */
import type WebSocket from 'ws';

export interface InboxLimits {
  /** Frames handled in one turn at most... */
  framesPerTurn: number;
  /** ...and bytes (a turn goes on to its next frame while under this; one frame always goes). */
  bytesPerTurn: number;
  /** Frames waiting at which the socket is paused until they are handled. */
  highWater: number;
}

export const INBOX_LIMITS: Readonly<InboxLimits> = { framesPerTurn: 32, bytesPerTurn: 64 * 1024, highWater: 1024 };

type Pausable = Pick<WebSocket, 'pause' | 'resume'>;

export class FrameInbox {
  /** Text frames, and null for a binary one (never read: Bybit sends none). */
  private readonly queue: (WebSocket.RawData | null | undefined)[] = [];
  /** Index of the next frame to handle: the queue is emptied in one go when all are handled. */
  private head = 0;
  private scheduled = false;
  private paused = false;

  /** `handle` must not throw: it is the connection's isolated frame handler. */
  constructor(
    private readonly socket: Pausable,
    private readonly handle: (data: WebSocket.RawData | null) => void,
    private readonly limits: Readonly<InboxLimits> = INBOX_LIMITS,
  ) {}

  get waiting(): number {
    return this.queue.length - this.head;
  }

  push(data: WebSocket.RawData | null): void {
    this.queue.push(data);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.turn);
    }
    if (!this.paused && this.waiting >= this.limits.highWater) {
      this.paused = true;
      this.socket.pause();
    }
  }

  /** Handles every frame still waiting, now: the socket closed, and its frames came before its close. */
  flush(): void {
    while (this.head < this.queue.length) this.next();
    this.emptied();
  }

  /** Forgets the frames waiting (the connection is closed for good). */
  discard(): void {
    this.queue.length = 0;
    this.head = 0;
  }

  private readonly turn = (): void => {
    this.scheduled = false;
    let bytes = 0;
    for (let n = 0; n < this.limits.framesPerTurn && this.head < this.queue.length && bytes < this.limits.bytesPerTurn; n++) {
      bytes += this.next();
    }
    if (this.head < this.queue.length) {
      this.scheduled = true;
      setImmediate(this.turn);
    } else {
      this.emptied();
    }
  };

  /** Handles the next frame; returns its size. */
  private next(): number {
    const data = this.queue[this.head];
    this.queue[this.head++] = undefined;
    if (data === undefined) return 0;
    this.handle(data);
    return data === null ? 0 : byteSize(data);
  }

  private emptied(): void {
    this.queue.length = 0;
    this.head = 0;
    if (this.paused) {
      this.paused = false;
      this.socket.resume();
    }
  }
}

function byteSize(data: WebSocket.RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, part) => sum + part.length, 0);
  return data.byteLength;
}
