/**
 * The one place that turns connection events into node status dots, so every node shows
 * the same words for the same state, and repeated states do not re-send identical statuses.
 */
import type { ConnectionStateEvent, DisconnectCause } from '../../src/engine';
import { t } from './i18n';
import type { Node, NodeAPI, NodeStatus } from './red';

/** A catalog key and its substitutions. */
export interface StatusText {
  key: string;
  subs?: Record<string, unknown>;
}

/**
 * What a node shows. `fixed`: the node streams nothing, so this text whatever its socket does
 * (a private stream switched off, or refused). Otherwise the socket's state, with `open` as
 * the text of a healthy socket; `holds` says whether the node has subscriptions to lose.
 */
export type View = { fixed: StatusText; red: boolean } | { open: StatusText; holds: boolean };

/** A disconnect cause in the user's language ("connection refused", "TLS failed (CERT_HAS_EXPIRED)"). */
export function causeText(RED: NodeAPI, cause: DisconnectCause): string {
  const key = cause.kind === 'too-large' ? 'tooLarge' : cause.kind;
  return t(RED, `reason.${key}`, { detail: cause.detail.slice(0, 120) });
}

export function reconnectingText(RED: NodeAPI, delayMs: number, cause: DisconnectCause): string {
  return t(RED, 'status.reconnectingIn', { seconds: Math.max(1, Math.round(delayMs / 1000)), reason: causeText(RED, cause) });
}

export class StatusReporter {
  private last = '';
  private problem?: NodeStatus;

  constructor(private readonly node: Node, private readonly RED: NodeAPI) {}

  /** Shows the socket state as it matters to a node with this view (an open state may say the machine's clock is off). */
  connection(ev: Omit<ConnectionStateEvent, 'endpoint'>, view: { open: StatusText; holds: boolean }): void {
    const detail = ev.detail;
    const clockOffsetMs = ev.clockOffsetMs;
    switch (ev.state) {
      case 'idle':
      case 'closed':
        return this.set({ fill: 'grey', shape: 'ring', text: t(this.RED, view.holds ? 'status.disconnected' : 'status.idle') });
      case 'connecting':
        return this.set({ fill: 'yellow', shape: 'ring', text: t(this.RED, 'status.connecting') });
      case 'reconnecting':
        // Waiting for the next try: say why and when ("reconnecting in 4 s: connection refused").
        if (ev.cause && ev.delayMs !== undefined) return this.set({ fill: 'yellow', shape: 'ring', text: reconnectingText(this.RED, ev.delayMs, ev.cause) });
        return this.set({ fill: 'yellow', shape: 'ring', text: t(this.RED, 'status.reconnecting') });
      case 'open':
        if (this.problem) return this.set(this.problem);
        if (!view.holds) return this.set({ fill: 'grey', shape: 'ring', text: t(this.RED, 'status.idle') });
        return this.set({ fill: 'green', shape: 'dot', text: this.openText(view.open, clockOffsetMs) });
      case 'auth-failed':
        return this.set({ fill: 'red', shape: 'ring', text: t(this.RED, 'status.authFailed', { detail: detail ?? '' }) });
      case 'error':
        return this.set({ fill: 'red', shape: 'ring', text: t(this.RED, 'status.error', { detail: detail ?? '' }) });
    }
  }

  private openText(open: StatusText, clockOffsetMs: number | undefined): string {
    const text = t(this.RED, open.key, open.subs);
    if (clockOffsetMs === undefined) return text;
    return t(this.RED, 'status.clockOff', { text, seconds: clockSeconds(clockOffsetMs) });
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

/** "31 s behind" / "5 s ahead": how far the machine's clock is off the server's, in whole seconds. */
export function clockSeconds(offsetMs: number): number {
  return Math.round(Math.abs(offsetMs) / 1000);
}
