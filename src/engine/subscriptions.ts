/**
 * The topics one socket carries: who owns each (ref counts), where each stands with the
 * server, and who waits for its confirmation. Bookkeeping only: it sends nothing.
 */
import type { OutputItem, TopicSpec, WireTopic } from '../dialects/types';
import type { LocalBook } from '../book/local-book';
import type { EngineError } from './errors';
import { argsCost } from './options';

/** Receives what one subscriber asked for. Implemented by each node (through Subscriber). */
export interface TopicOwner {
  onItems(spec: TopicSpec, items: OutputItem[]): void;
  /** The book changed; `raw` is the data of the frame that changed it (raw output mode). */
  onBook(spec: TopicSpec, book: LocalBook, raw: unknown): void;
  onTopicError(spec: TopicSpec, error: EngineError): void;
}

/** queued: to be sent; pending: sent, awaiting reply; active: confirmed by the server. */
export type TopicState = 'queued' | 'pending' | 'active';

interface Waiter {
  resolve: () => void;
  reject: (err: EngineError) => void;
}

export interface Topic {
  readonly wire: WireTopic;
  readonly owners: Map<TopicOwner, TopicSpec>;
  state: TopicState;
  waiters: Waiter[];
  book?: LocalBook;
  lastRaw?: unknown;
  /** A merged topic's current state (V5 linear/inverse ticker); undefined until a snapshot. */
  merged?: unknown;
  /** Set while a book resubscribe is under way, so one gap causes exactly one resubscribe. */
  resyncing: boolean;
  /** Retries the resubscribe when no fresh snapshot follows it in time. */
  resyncTimer?: NodeJS.Timeout;
}

/** A topic no longer resyncs: its retry timer stops. */
export function endResync(topic: Topic): void {
  topic.resyncing = false;
  clearTimeout(topic.resyncTimer);
  topic.resyncTimer = undefined;
}

export class SubscriptionTable {
  private readonly topics = new Map<string, Topic>();
  private argsChars = 0;

  get size(): number {
    return this.topics.size;
  }

  /** What the topics held cost of the socket's args budget (see argsCost). */
  get chars(): number {
    return this.argsChars;
  }

  get(key: string): Topic | undefined {
    return this.topics.get(key);
  }

  values(): IterableIterator<Topic> {
    return this.topics.values();
  }

  /** Adds `owner` to the topic of `wire`; a new topic starts queued, with a book when `book` is given. */
  join(owner: TopicOwner, spec: TopicSpec, wire: WireTopic, book: () => LocalBook | undefined): { topic: Topic; created: boolean } {
    let topic = this.topics.get(wire.key);
    const created = !topic;
    if (!topic) {
      topic = { wire, owners: new Map(), state: 'queued', waiters: [], resyncing: false, book: book() };
      this.topics.set(wire.key, topic);
      this.argsChars += argsCost(wire.key);
    }
    topic.owners.set(owner, spec);
    return { topic, created };
  }

  /** Settles when the server confirms the topic (or it is left), fails when refused or the wait is cut short. */
  wait(topic: Topic): Promise<void> {
    if (topic.state === 'active') return Promise.resolve();
    return new Promise<void>((resolve, reject) => topic.waiters.push({ resolve, reject }));
  }

  /** Removes `owner` from a topic; returns the topic when that was its last owner (it is then out of the table). */
  leave(owner: TopicOwner, key: string): Topic | undefined {
    const topic = this.topics.get(key);
    if (!topic || !topic.owners.delete(owner) || topic.owners.size > 0) return undefined;
    this.remove(topic);
    for (const w of takeWaiters(topic)) w.resolve();
    return topic;
  }

  confirm(topic: Topic): void {
    topic.state = 'active';
    for (const w of takeWaiters(topic)) w.resolve();
  }

  /** The server refused a topic: it leaves the table; whoever waits and every owner hear why. */
  refuse(key: string, err: EngineError): void {
    const topic = this.topics.get(key);
    if (!topic) return;
    this.remove(topic);
    for (const w of takeWaiters(topic)) w.reject(err);
    for (const [owner, spec] of topic.owners) owner.onTopicError(spec, err);
  }

  /** Refuses every topic (a configuration problem no retry can fix). */
  refuseAll(err: EngineError): void {
    for (const key of [...this.topics.keys()]) this.refuse(key, err);
  }

  /** Whoever waits on these keys (default: every key) hears `err` now; the topics stay wanted. */
  failWaiters(err: EngineError, keys: Iterable<string> = this.topics.keys()): void {
    for (const key of keys) {
      const topic = this.topics.get(key);
      if (topic) for (const w of takeWaiters(topic)) w.reject(err);
    }
  }

  /** Marks every queued topic pending and returns their keys, to be sent. */
  takeQueued(): string[] {
    const keys: string[] = [];
    for (const topic of this.topics.values()) {
      if (topic.state !== 'queued') continue;
      topic.state = 'pending';
      keys.push(topic.wire.key);
    }
    return keys;
  }

  /** A fresh socket holds nothing: every topic is to be sent again, every book starts over. */
  requeueAll(): void {
    for (const topic of this.topics.values()) {
      topic.state = 'queued';
      topic.merged = undefined;
      if (!topic.book) continue;
      topic.book.reset();
      endResync(topic);
    }
  }

  /** Stops every resync timer (the socket is going away). */
  endResyncs(): void {
    for (const topic of this.topics.values()) if (topic.resyncTimer) endResync(topic);
  }

  private remove(topic: Topic): void {
    if (this.topics.delete(topic.wire.key)) this.argsChars -= argsCost(topic.wire.key);
    endResync(topic);
  }
}

function takeWaiters(topic: Topic): Waiter[] {
  const waiters = topic.waiters;
  topic.waiters = [];
  return waiters;
}
