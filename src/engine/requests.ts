/**
 * Requests in flight on one socket and the replies that settle them. A reply is matched by
 * its req_id when it has one; else by its op and the keys it names; else (Bybit's documented
 * private subscribe reply names neither) it answers the oldest request of its op.
 */
import { namedKeys, settleAck, type AckOutcome } from '../dialects/acks';
import type { AckReply } from '../dialects/types';

/** What the tracker needs of a request: subscribe requests today, order requests by reqId later. */
export interface TrackedRequest {
  op: string;
  reqId?: string;
  keys: readonly string[];
}

interface Pending<R> {
  request: R;
  /** The keys this request still answers for: a newer request takes keys over, v1 replies tick them off. */
  keys: string[];
  timer?: NodeJS.Timeout;
}

export interface Settled<R> {
  request: R;
  outcome: AckOutcome;
}

export class RequestTracker<R extends TrackedRequest> {
  private readonly pending = new Map<string, Pending<R>>();
  private seq = 0;

  /**
   * `onTimeout` hears of a request unanswered after `timeoutMs` with the keys it still holds;
   * it returns true to keep the request on record, so that a late reply still counts.
   */
  constructor(
    private readonly timeoutMs: number,
    private readonly onTimeout: (request: R, keys: string[]) => boolean,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  /**
   * Records a request just sent. It takes its keys over from older unanswered requests of
   * the same op: the newer ask is the one that counts, and retries cannot pile up.
   */
  track(request: R): void {
    this.supersede(request);
    // Local ids cannot clash with a server's req_id: those are looked up with their prefix.
    const id = request.reqId !== undefined ? `r:${request.reqId}` : `#${++this.seq}`;
    const pending: Pending<R> = { request, keys: [...request.keys] };
    pending.timer = setTimeout(() => this.expire(id, pending), this.timeoutMs);
    this.pending.set(id, pending);
  }

  /** The request a reply answers and its verdict on each key it still holds; undefined when it answers nothing we asked. */
  settle(reply: AckReply): Settled<R> | undefined {
    const found = this.find(reply);
    if (!found) return undefined;
    const [id, pending] = found;
    const full = settleAck(reply, pending.request.keys);
    const held = new Set(pending.keys);
    const only = (keys: string[]) => keys.filter((k) => held.has(k));
    const outcome: AckOutcome = { ...full, accepted: only(full.accepted), refused: only(full.refused), resend: only(full.resend), awaited: only(full.awaited) };
    if (outcome.awaited.length) pending.keys = outcome.awaited;
    else this.forget(id);
    return { request: pending.request, outcome };
  }

  /** The request sent with this reqId, forgotten now that its one reply came (order requests). */
  take(reqId: string): R | undefined {
    const id = `r:${reqId}`;
    const request = this.pending.get(id)?.request;
    this.forget(id);
    return request;
  }

  /** Forgets every request (the socket is gone); returns each with the keys it still held. */
  clear(): { request: R; keys: string[] }[] {
    const out = [...this.pending.values()].map((p) => ({ request: p.request, keys: p.keys }));
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
    return out;
  }

  private find(reply: AckReply): [string, Pending<R>] | undefined {
    const fits = (p: Pending<R>) => reply.op === undefined || p.request.op === reply.op;
    if (reply.reqId !== undefined) {
      const id = `r:${reply.reqId}`;
      const p = this.pending.get(id);
      return p && fits(p) ? [id, p] : undefined;
    }
    const named = namedKeys(reply);
    // A reply that names no keys must at least say which op it answers.
    if (named.length === 0 && reply.op === undefined) return undefined;
    for (const entry of this.pending) {
      const p = entry[1];
      if (fits(p) && (named.length === 0 || named.some((k) => p.keys.includes(k)))) return entry;
    }
    return undefined;
  }

  private supersede(request: R): void {
    const taken = new Set(request.keys);
    for (const [id, p] of this.pending) {
      if (p.request.op !== request.op) continue;
      p.keys = p.keys.filter((k) => !taken.has(k));
      if (p.keys.length === 0) this.forget(id);
    }
  }

  private expire(id: string, pending: Pending<R>): void {
    pending.timer = undefined;
    if (this.pending.get(id) !== pending) return;
    if (!this.onTimeout(pending.request, pending.keys)) this.pending.delete(id);
  }

  private forget(id: string): void {
    clearTimeout(this.pending.get(id)?.timer);
    this.pending.delete(id);
  }
}
