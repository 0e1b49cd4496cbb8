/**
 * An event emitter whose events are declared in a map `{ name: [arg, ...] }`: `on` and `emit`
 * are checked against it, so a listener's argument types come from the map, not from the
 * listener. Only the owner emits (`emit` is protected).
 */
import { EventEmitter } from 'node:events';

/** Event name → argument tuple. Declare maps with `type`, not `interface` (they need an index). */
export type EventMap = Record<string, unknown[]>;

type Listener<Args extends unknown[]> = (...args: Args) => void;

export class TypedEmitter<Events extends EventMap> {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Engine emitters have one listener per node using them: no leak warning at 11.
    this.emitter.setMaxListeners(0);
  }

  on<K extends keyof Events & string>(event: K, listener: Listener<Events[K]>): this {
    this.emitter.on(event, listener as Listener<unknown[]>);
    return this;
  }

  once<K extends keyof Events & string>(event: K, listener: Listener<Events[K]>): this {
    this.emitter.once(event, listener as Listener<unknown[]>);
    return this;
  }

  off<K extends keyof Events & string>(event: K, listener: Listener<Events[K]>): this {
    this.emitter.off(event, listener as Listener<unknown[]>);
    return this;
  }

  listenerCount<K extends keyof Events & string>(event: K): number {
    return this.emitter.listenerCount(event);
  }

  removeAllListeners(): this {
    this.emitter.removeAllListeners();
    return this;
  }

  protected emit<K extends keyof Events & string>(event: K, ...args: Events[K]): boolean {
    return this.emitter.emit(event, ...args);
  }
}
