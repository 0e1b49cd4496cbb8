/**
 * Per-topic throttle: at most one message per topic per interval. The first value goes out
 * at once; later ones inside the window replace each other (or, for trades, collect), and
 * whatever is held when the window ends is sent then, so the latest value is never lost.
 */

export class Throttle<T> {
  private readonly windows = new Map<string, { timer: NodeJS.Timeout; held: T[] }>();
  /** Reused for single values on the hot path; emit must not keep the array it is given. */
  private readonly one: T[] = [];

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
  ) {}

  push(topic: string, value: T): void {
    if (this.intervalMs <= 0) return this.emitOne(topic, value);
    const window = this.windows.get(topic);
    if (!window) {
      this.emitOne(topic, value);
      this.open(topic);
    } else if (this.collect) {
      window.held.push(value);
    } else {
      window.held[0] = value;
    }
  }

  private emitOne(topic: string, value: T): void {
    this.one[0] = value;
    try {
      this.emit(topic, this.one);
    } finally {
      this.one.length = 0; // do not keep the value alive
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
        this.emit(topic, window.held);
        this.open(topic); // the trailing message starts a window of its own
      }
    }, this.intervalMs);
    this.windows.set(topic, { timer, held: [] });
  }
}
