/**
 * The one place that turns connection events into node status dots, so every node shows
 * the same words for the same state, and repeated states do not re-send identical statuses.
 */
import type { ConnectionState } from '../../src/engine';
import { t } from './i18n';
import type { Node, NodeAPI, NodeStatus } from './red';

export class StatusReporter {
  private last = '';
  private problem?: NodeStatus;

  constructor(private readonly node: Node, private readonly RED: NodeAPI) {}

  /**
   * Shows the socket state; `count` is how many topics this node has confirmed. `open` replaces
   * the "subscribed: N" text of a healthy socket (private nodes say what they stream).
   */
  connection(state: ConnectionState, count: number, detail?: string, open?: { key: string; subs?: Record<string, unknown> }): void {
    switch (state) {
      case 'idle':
      case 'closed':
        return this.set(count ? { fill: 'grey', shape: 'ring', text: t(this.RED, 'status.disconnected') } : { fill: 'grey', shape: 'ring', text: t(this.RED, 'status.idle') });
      case 'connecting':
        return this.set({ fill: 'yellow', shape: 'ring', text: t(this.RED, 'status.connecting') });
      case 'reconnecting':
        return this.set({ fill: 'yellow', shape: 'ring', text: t(this.RED, 'status.reconnecting') });
      case 'open':
        if (this.problem) return this.set(this.problem);
        return this.set({ fill: 'green', shape: 'dot', text: open ? t(this.RED, open.key, open.subs) : t(this.RED, 'status.subscribed', { count }) });
      case 'auth-failed':
        return this.set({ fill: 'red', shape: 'ring', text: t(this.RED, 'status.authFailed', { detail: detail ?? '' }) });
      case 'error':
        return this.set({ fill: 'red', shape: 'ring', text: t(this.RED, 'status.error', { detail: detail ?? '' }) });
    }
  }

  /** A problem that stays on show (e.g. a refused topic) until cleared, while the socket is open. */
  setProblem(key: string, subs: Record<string, unknown>): void {
    this.problem = { fill: 'red', shape: 'dot', text: t(this.RED, key, subs) };
    this.set(this.problem);
  }

  clearProblem(): void {
    this.problem = undefined;
  }

  /** A quiet grey note, e.g. a stream switched off on purpose. */
  note(key: string, subs?: Record<string, unknown>): void {
    this.set({ fill: 'grey', shape: 'ring', text: t(this.RED, key, subs) });
  }

  error(key: string, subs?: Record<string, unknown>): void {
    this.set({ fill: 'red', shape: 'ring', text: t(this.RED, key, subs) });
  }

  clear(): void {
    this.last = '';
    this.node.status({});
  }

  private set(status: NodeStatus): void {
    const id = `${status.fill}|${status.shape}|${status.text}`;
    if (id === this.last) return;
    this.last = id;
    this.node.status(status);
  }
}
