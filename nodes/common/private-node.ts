/**
 * The private palette nodes (account, order, execution) as one strategy of the palette-node
 * runtime. A private node has one stream (the account's, carrying every symbol), switched on
 * at deploy and by `subscribe`, off by `unsubscribe`; its symbols are a filter on that stream
 * (empty = all). Nothing is sent to Bybit without credentials, and nothing here shows them.
 */
import type { EngineError, Subscriber } from '../../src/engine';
import { specId } from '../../src/engine';
import { isItemOf, type Balance, type CategoryChoice, type ItemOf, type OutputItem, type PrivateChannel, type TopicSpec } from '../../src/dialects';
import { checkCategory, ConfigError, fieldInvalid, readChoice, readSymbols } from './config';
import { inputError } from './i18n';
import { DERIVATIVE_SYMBOL_PATTERN } from '../../src/config-rules';
import { parseCommand, type Command } from './input';
import { errorKey, registerPaletteNode, type NodeRuntime, type PaletteStrategy, type Session } from './palette-node';
import type { NodeAPI, NodeMessage } from './red';
import type { StatusText, View } from './status';
import type { Throttle } from './throttle';

export interface PrivateNodeType {
  type: string;
  channel: PrivateChannel;
  /** Order and execution nodes filter by symbol; the account node has no symbols. */
  symbolFilter: boolean;
  /** Events that must not be lost (orders, fills): a throttled msg carries its window as an array. */
  collectWhenThrottled?: boolean;
  /** Partial snapshots (balances): a throttled msg folds its window into one. */
  combine?: (items: OutputItem[]) => OutputItem;
  /** The node's category choices, default first (V5 order/execution/position); absent: no category (account). */
  categories?: readonly CategoryChoice[];
  /** Only V5 has this stream (position): any other api is a configuration mistake. */
  v5Only?: boolean;
}

interface PrivateConfig {
  symbols: string[];
  category?: CategoryChoice;
}

/**
 * Folds account items into one: each push carries only the coins that changed, so the latest
 * value of the account is every coin's latest balance, not just the last push.
 */
export function mergeAccountItems(items: OutputItem[]): OutputItem {
  const balances = new Map<string, Balance>();
  const raw: unknown[] = [];
  let last: ItemOf<'account'> | undefined;
  for (const item of items) {
    if (!isItemOf(item, 'account')) continue;
    for (const b of item.payload.balances) balances.set(b.coin, b);
    // One by one: a spread of a 250,000-item push would overflow the call stack.
    if (Array.isArray(item.raw)) for (const r of item.raw) raw.push(r);
    else raw.push(item.raw);
    last = item;
  }
  if (!last) return items[items.length - 1];
  return { ...last, payload: { ...last.payload, balances: [...balances.values()] }, raw };
}

/** order and execution: spot first (the default); `all` is the all-in-one topic. */
export const ORDER_CATEGORIES: readonly CategoryChoice[] = ['spot', 'linear', 'inverse', 'option', 'all'];
/** position: linear first (spot has no positions). */
export const POSITION_CATEGORIES: readonly CategoryChoice[] = ['linear', 'inverse', 'option', 'all'];

/** Most filter symbols named in the status text before it is shortened. */
const STATUS_SYMBOLS = 3;

export function registerPrivateNode(RED: NodeAPI, nodeType: PrivateNodeType): void {
  const strategy: PaletteStrategy<PrivateConfig, Command> = {
    type: nodeType.type,
    readConfig: (def) => {
      const category = nodeType.categories && readChoice(def.category, 'category', nodeType.categories);
      const pattern = category && category !== 'spot' ? DERIVATIVE_SYMBOL_PATTERN : undefined;
      return { symbols: nodeType.symbolFilter ? readSymbols(def.symbols, pattern) : [], category };
    },
    validate: (config, client) => {
      if (nodeType.v5Only && client.dialect.name !== 'v5') throw fieldInvalid('api', client.dialect.name, 'v5');
      if (config.category) checkCategory(config.category, client.dialect);
      // No socket at all: without a key there is nothing a private socket could do.
      if (!client.hasCredentials) throw new ConfigError('noCredentials');
    },
    create: (rt, config) => new PrivateSession(rt, nodeType, config),
  };
  registerPaletteNode(RED, strategy);
}

class PrivateSession implements Session<Command> {
  readonly endpoint = 'private';
  private readonly spec: TopicSpec;
  private readonly id: string;
  private readonly filter: Set<string>;
  private readonly subscriber: Subscriber;
  private readonly output: Throttle<OutputItem>;
  /** The stream is wanted (deploy or `subscribe`) and not refused. */
  private on = false;
  /** Why the stream stopped on its own (a refused topic, an unusable URL): shown while off. */
  private failure?: StatusText;

  constructor(private readonly rt: NodeRuntime, private readonly nodeType: PrivateNodeType, config: PrivateConfig) {
    this.spec = {
      channel: nodeType.channel,
      ...(config.category ? { category: config.category } : {}),
      ...(rt.common.numbers === 'string' ? { numbers: 'string' as const } : {}),
    };
    this.id = specId(this.spec);
    this.filter = new Set(config.symbols);
    this.output = rt.output<OutputItem>({ collect: nodeType.collectWhenThrottled === true || nodeType.combine !== undefined, combine: nodeType.combine });
    this.subscriber = rt.subscribe({
      items: (_spec, items) => {
        for (const item of items) if (this.accepts(item)) this.output.push(item.topic, item);
      },
      topicError: (_spec, err) => this.refused(err),
      authFailed: (err) => {
        if (this.on) this.rt.fault(this.id, 'errors.authFailed', { detail: err.detail });
      },
    });
  }

  /** A categorised node never sends another category's item (Bybit may push every category on `order`). */
  private accepts(item: OutputItem): boolean {
    const category = this.spec.category;
    if (category && category !== 'all' && item.payload.category !== category) return false;
    return this.on && (this.filter.size === 0 || this.filter.has(item.symbol));
  }

  start(): void {
    // Failures arrive through topicError / authFailed (status + Catch).
    this.switchOn().catch(() => undefined);
  }

  view(): View {
    if (!this.on) return this.failure ? { fixed: this.failure, red: true } : { fixed: { key: 'status.streamOff' }, red: false };
    return { open: this.streamText(), holds: true };
  }

  private streamText(): StatusText {
    if (!this.nodeType.symbolFilter) return { key: 'status.streamAccount' };
    if (this.filter.size === 0) return { key: 'status.streamAll' };
    const symbols = [...this.filter];
    const more = symbols.length > STATUS_SYMBOLS ? ` +${symbols.length - STATUS_SYMBOLS}` : '';
    return { key: 'status.streamSymbols', subs: { symbols: symbols.slice(0, STATUS_SYMBOLS).join(',') + more } };
  }

  /** Reads a msg and checks it completely before anything changes. */
  parse(msg: NodeMessage): Command {
    const RED = this.rt.RED;
    const category = this.spec.category;
    const pattern = category && category !== 'spot' ? DERIVATIVE_SYMBOL_PATTERN : undefined;
    const command = parseCommand(RED, msg, { symbolsRequired: false, pattern });
    if (command.action === 'list') return command;
    if (!this.nodeType.symbolFilter && command.symbols.length) throw inputError(RED, 'errors.accountSymbols');
    if (command.action === 'unsubscribe' && command.symbols.length && this.filter.size === 0) throw inputError(RED, 'errors.filterEmpty');
    return command;
  }

  act(command: Command): NodeMessage | void | Promise<void> {
    switch (command.action) {
      case 'list':
        return { topic: 'subscriptions', payload: [...this.filter], active: this.on };
      case 'unsubscribe':
        for (const s of command.symbols) this.filter.delete(s);
        // Removing the last filtered symbol must not widen the stream to every symbol.
        if (command.symbols.length === 0 || this.filter.size === 0) this.switchOff();
        else this.rt.showState();
        return;
      case 'subscribe':
        for (const s of command.symbols) this.filter.add(s);
        return this.rt.track(this.id, this.switchOn()).catch((err: unknown) => {
          throw this.rt.failure(err, this.nodeType.channel);
        });
    }
  }

  /** Turns the stream on; resolves once Bybit confirmed it (at once when it already had). */
  private switchOn(): Promise<void> {
    this.on = true;
    this.failure = undefined;
    const confirmed = this.subscriber.add(this.spec);
    this.rt.showState();
    return confirmed.then(() => this.rt.showState());
  }

  private switchOff(): void {
    this.on = false;
    this.subscriber.remove(this.spec);
    this.rt.showState();
  }

  /** The stream stopped for a reason retrying cannot fix: say why, once. */
  private refused(err: EngineError): void {
    this.on = false;
    this.failure = failureText(err, this.nodeType.channel);
    this.rt.showState();
    this.rt.fault(this.id, `errors.${errorKey(err)}`, { symbol: this.nodeType.channel, detail: err.detail });
  }
}

function failureText(err: EngineError, channel: string): StatusText {
  switch (err.code) {
    case 'no-credentials': return { key: 'status.noCredentials' };
    case 'insecure': return { key: 'status.insecure' };
    case 'rejected': return { key: 'status.refused', subs: { symbol: channel, detail: err.detail } };
    default: return { key: 'status.error', subs: { detail: err.detail || err.code } };
  }
}
