/**
 * One user's (node's) topics on a client. A spec is one unit however many wire topics it
 * takes (spot v3/v1 orders are two: order and stop order): they are acquired together, a
 * refusal of any releases them all, and removing the spec or closing the user releases all.
 */
import type { EndpointName, OutputItem, TopicSpec, WireTopic } from '../dialects/types';
import type { LocalBook } from '../book/local-book';
import { worstState, type BybitClient } from './client';
import type { Connection, ConnectionStateEvent } from './connection';
import { EngineError } from './errors';
import type { TopicOwner } from './subscriptions';

export interface SubscriberHandlers {
  items?(spec: TopicSpec, items: OutputItem[]): void;
  book?(spec: TopicSpec, book: LocalBook, raw: unknown): void;
  /** A spec stopped for good (refused, unusable URL, no credentials): once per spec. */
  topicError?(spec: TopicSpec, error: EngineError): void;
  state?(event: ConnectionStateEvent): void;
  /** The server refused the credentials: once per failure, not once per retry. */
  authFailed?(error: EngineError): void;
  /**
   * One of the handlers above threw. Every handler runs isolated: the throw ends here, the
   * stream goes on, and this hears it (a node reports it, rate-limited). Must not throw itself.
   */
  failed?(error: Error): void;
}

/** Errors after which a spec stays wanted: the connection sends it again after the next (re)connect. */
const RETRIED = new Set<EngineError['code']>(['timeout', 'closed', 'auth-failed']);

export function specId(spec: TopicSpec): string {
  return `${spec.channel}|${spec.symbol ?? ''}|${spec.interval ?? ''}|${spec.depth ?? ''}`;
}

export class Subscriber implements TopicOwner {
  private readonly specs = new Map<string, TopicSpec>();
  private readonly onState: (ev: ConnectionStateEvent) => void;
  private readonly onAuthFailed: (err: EngineError) => void;

  constructor(private readonly client: BybitClient, private readonly handlers: SubscriberHandlers) {
    this.onState = (ev) => this.call(() => this.handlers.state?.(this.lastState(ev.endpoint) ?? ev));
    this.onAuthFailed = (err) => this.call(() => this.handlers.authFailed?.(err));
    client.on('state', this.onState);
    client.on('auth-failed', this.onAuthFailed);
  }

  /** Subscribes; resolves when the server confirmed every wire topic, rejects with its reason. Idempotent. */
  add(spec: TopicSpec): Promise<void> {
    this.specs.set(specId(spec), spec);
    let waits: Promise<void>[];
    try {
      waits = this.wires(spec).map((w) => this.client.connectionFor(w).acquire(this, spec, w));
    } catch (err) {
      this.drop(spec);
      return Promise.reject(err);
    }
    return Promise.all(waits).then(
      () => undefined,
      (err: unknown) => {
        // Refusals were handled in onTopicError; this catches any other final failure, unless
        // the spec was added afresh in the meantime.
        const final = err instanceof EngineError && !RETRIED.has(err.code);
        if (final && this.specs.get(specId(spec)) === spec) this.drop(spec);
        throw err;
      },
    );
  }

  remove(spec: TopicSpec): boolean {
    const known = this.specs.get(specId(spec));
    if (!known) return false;
    this.drop(known);
    return true;
  }

  removeAll(): void {
    for (const spec of [...this.specs.values()]) this.remove(spec);
  }

  /**
   * The state this user sees of an endpoint: the worst of the sockets carrying its topics there,
   * or the endpoint's as a whole while it has none (see BybitClient.lastState).
   */
  lastState(endpoint: EndpointName): ConnectionStateEvent | undefined {
    const holders = new Set<Connection>();
    for (const spec of this.specs.values()) {
      for (const w of this.wires(spec)) {
        const holder = w.endpoint === endpoint ? this.client.holderOf(w) : undefined;
        if (holder) holders.add(holder);
      }
    }
    return holders.size ? worstState([...holders]) : this.client.lastState(endpoint);
  }

  list(): TopicSpec[] {
    return [...this.specs.values()];
  }

  /** Releases every topic and stops listening to the client. */
  close(): void {
    this.client.off('state', this.onState);
    this.client.off('auth-failed', this.onAuthFailed);
    this.removeAll();
  }

  // The two data calls are written out (no closure for `call`): they run for every frame.
  onItems(spec: TopicSpec, items: OutputItem[]): void {
    const handler = this.handlers.items;
    if (!handler) return;
    try {
      handler(spec, items);
    } catch (err) {
      this.report(err);
    }
  }

  onBook(spec: TopicSpec, book: LocalBook, raw: unknown): void {
    const handler = this.handlers.book;
    if (!handler) return;
    try {
      handler(spec, book, raw);
    } catch (err) {
      this.report(err);
    }
  }

  /** Calls into the engine's user (as onItems and onBook do inline): a throw stops here and is handed to `failed`. */
  private call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.report(err);
    }
  }

  private report(err: unknown): void {
    try {
      this.handlers.failed?.(err instanceof Error ? err : new Error(String(err)));
    } catch {
      // The reporter itself failed: nothing more can be done without risking the stream.
    }
  }

  /** One wire topic of a spec stopped for good: the whole spec goes, and its user hears it once. */
  onTopicError(spec: TopicSpec, error: EngineError): void {
    if (!this.specs.has(specId(spec))) return;
    this.drop(spec);
    this.call(() => this.handlers.topicError?.(spec, error));
  }

  /** Forgets a spec and releases every one of its wire topics. */
  private drop(spec: TopicSpec): void {
    this.specs.delete(specId(spec));
    for (const w of this.wires(spec)) this.client.holderOf(w)?.release(this, w.key);
  }

  private wires(spec: TopicSpec): WireTopic[] {
    return this.client.dialect.wireTopics(spec);
  }
}
