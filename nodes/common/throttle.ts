/**
 * Per-topic throttle: at most one message per topic per interval. The first value goes out
 * at once; later ones inside the window replace each other (or, for trades, collect), and
 * whatever is held when the window ends is sent then, so the latest value is never lost.
 * A collecting window holds at most `maxItems`: at that count it is sent early (a server that
 * floods cannot make one window hold 300,000 trades for an hour).
 */

export interface ThrottleOptions {
  /** Items one collecting window holds at most before it is sent early. */
  maxItems?: number;
  /** `emit` threw (in a push or in the window's timer): the throw ends here and this hears it. */
  onError?: (err: Error) => void;
}

export class Throttle<T> {
  private readonly windows = new Map<string, { timer: NodeJS.Timeout; held: T[] }>();
  /** Reused for single values on the hot path; emit must not keep the array it is given. */
  private readonly one: T[] = [];
  private readonly maxItems: number;
  /** Windows sent early for being full, and the items they carried. */
  readonly stats = { earlyFlushes: 0, earlyItems: 0 };

  /**
   * @param intervalMs window length; 0 passes every value straight through.
   * @param emit receives the values of one message: one value, or all of them with `collect`.
   *   The array is only valid during the call.
   * @param collect keep every value of the window (trades) instead of only the latest.
   */
  constructor(
    private readonly intervalMs: number,
    private readonly emit: (topic: string, values: T[]) => void,
    private readonly collect = false,
    private readonly opts: ThrottleOptions = {},
  ) {
    this.maxItems = opts.maxItems ?? Infinity;
  }

  push(topic: string, value: T): void {
    if (this.intervalMs <= 0) return this.emitOne(topic, value);
    const window = this.windows.get(topic);
    if (!window) {
      this.emitOne(topic, value);
      this.open(topic);
    } else if (this.collect) {
      window.held.push(value);
      if (window.held.length >= this.maxItems) this.flushEarly(topic, window);
    } else {
      window.held[0] = value;
    }
  }

  private flushEarly(topic: string, window: { held: T[] }): void {
    const held = window.held;
    window.held = [];
    this.stats.earlyFlushes++;
    this.stats.earlyItems += held.length;
    this.send(topic, held);
  }

  private emitOne(topic: string, value: T): void {
    this.one[0] = value;
    try {
      this.send(topic, this.one);
    } finally {
      this.one.length = 0; // do not keep the value alive
    }
  }

  /** `emit`, isolated: a throw (e.g. from node.send) is reported, never thrown into a timer or the socket. */
  private send(topic: string, values: T[]): void {
    try {
      this.emit(topic, values);
    } catch (err) {
      if (!this.opts.onError) throw err;
      this.opts.onError(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** Stops every window; held values are dropped (the node is closing). */
  clear(): void {
    for (const w of this.windows.values()) clearTimeout(w.timer);
    this.windows.clear();
  }

  private open(topic: string): void {
    const timer = setTimeout(() => {
      const window = this.windows.get(topic);
      this.windows.delete(topic);
      if (window && window.held.length > 0) {
        this.open(topic); // the trailing message starts a window of its own
        this.send(topic, window.held);
      }
    }, this.intervalMs);
    this.windows.set(topic, { timer, held: [] });
  }
}
