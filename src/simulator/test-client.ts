/**
 * A minimal promise-based WebSocket client for tests and scripts that talk to the simulator:
 * buffers every received frame so a test can await "the next frame like this" without sleeping.
 */
import http from 'node:http';
import { WebSocket } from 'ws';

export type Frame = any; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Waiter {
  match: (f: Frame) => boolean;
  resolve: (f: Frame) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class FrameClient {
  /** every frame received, parsed (text that is not JSON is kept as a string) */
  readonly received: Frame[] = [];
  private readonly pending: Frame[] = [];
  private readonly waiters = new Set<Waiter>();
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const text = data.toString();
      let frame: Frame = text;
      if (!isBinary) {
        try {
          frame = JSON.parse(text);
        } catch {
          frame = text;
        }
      }
      this.received.push(frame);
      for (const w of this.waiters) {
        if (w.match(frame)) {
          this.waiters.delete(w);
          clearTimeout(w.timer);
          w.resolve(frame);
          return;
        }
      }
      this.pending.push(frame);
    });
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    this.closed.then(() => {
      for (const w of this.waiters) {
        clearTimeout(w.timer);
        w.reject(new Error('socket closed while waiting for a frame'));
      }
      this.waiters.clear();
    });
  }

  static connect(url: string): Promise<FrameClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const client = new FrameClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first not-yet-consumed frame that matches (already received or arriving within timeoutMs). */
  next(match: (f: Frame) => boolean = () => true, timeoutMs = 3000): Promise<Frame> {
    const i = this.pending.findIndex(match);
    if (i >= 0) return Promise.resolve(this.pending.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error(`no matching frame within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Sends a frame and resolves with the next frame matching `match`. */
  request(frame: unknown, match: (f: Frame) => boolean, timeoutMs?: number): Promise<Frame> {
    const reply = this.next(match, timeoutMs);
    this.send(frame);
    return reply;
  }

  /** Consumes and returns every buffered frame that matches. */
  drain(match: (f: Frame) => boolean = () => true): Frame[] {
    const out: Frame[] = [];
    for (let i = 0; i < this.pending.length; ) {
      if (match(this.pending[i])) out.push(...this.pending.splice(i, 1));
      else i++;
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.close();
    await this.closed;
  }
}

/** Calls an HTTP route of the simulator (control or REST) and returns the status and parsed JSON body. */
export function httpJson(port: number, path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<{ status: number; body: Frame }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? '' : JSON.stringify(body);
    const req = http.request({ host: '127.0.0.1', port, path, method, headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) });
        } catch (err) {
          reject(err);
        }
      });
    });
    req.on('error', reject);
    req.end(data);
  });
}
