/**
 * Node-RED wires up Catch nodes only once every node of a deploy exists, so an error a node
 * reports while it is being created reaches no Catch node. A node's reporter holds such
 * errors until the runtime says the flows have started, then sends them.
 */
import type { NodeAPI } from './red';

type Events = NonNullable<NodeAPI['events']>;

/** Per runtime event bus: what waits for the next 'flows:started' (one listener, however many nodes). */
const waiting = new WeakMap<Events, Set<() => void>>();

function queueFor(events: Events): Set<() => void> {
  let queue = waiting.get(events);
  if (!queue) {
    const fresh = new Set<() => void>();
    events.on('flows:started', () => {
      const due = [...fresh];
      fresh.clear();
      for (const fn of due) fn();
    });
    waiting.set(events, fresh);
    queue = fresh;
  }
  return queue;
}

/** Sends errors to Catch nodes: held while the deploy is still creating nodes, at once after. */
export class DeployReporter {
  private live = false;
  private held: (() => void)[] = [];
  private readonly cancel: () => void;

  constructor(RED: NodeAPI) {
    const start = () => {
      this.live = true;
      const held = this.held;
      this.held = [];
      for (const send of held) send();
    };
    if (RED.events) {
      const queue = queueFor(RED.events);
      queue.add(start);
      this.cancel = () => queue.delete(start);
    } else {
      // A runtime without an event bus: the deploy is over once this turn of the loop is.
      const timer = setImmediate(start);
      this.cancel = () => clearImmediate(timer);
    }
  }

  report(send: () => void): void {
    if (this.live) send();
    else this.held.push(send);
  }

  /** The node is closing: nothing held is sent any more. */
  close(): void {
    this.cancel();
    this.held = [];
  }
}
