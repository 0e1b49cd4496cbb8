/**
 * The public palette nodes (trade, ticker, kline, orderbook, bookticker) as one strategy of
 * the palette-node runtime: subscribe the configured symbols on deploy, run-time control by
 * msg.action, output through the optional throttle. A node type only says which channel it
 * streams, its topic options and, for books, how a book becomes an item.
 */
import type { EngineError, Subscriber } from '../../src/engine';
import { specId } from '../../src/engine';
import type { LocalBook } from '../../src/book/local-book';
import { messageTopic, type Category, type OutputItem, type PublicChannel, type TopicSpec } from '../../src/dialects';
import { CHANNEL_CATEGORIES, symbolPatternFor } from '../../src/config-rules';
import { checkCategory, readChoice, readSymbols } from './config';
import { parseCommand } from './input';
import type { Outgoing } from './output';
import { errorKey, registerPaletteNode, type NodeRuntime, type PaletteStrategy, type Session } from './palette-node';
import type { NodeAPI, NodeDef, NodeMessage } from './red';
import type { View } from './status';
import type { Throttle } from './throttle';

export interface MarketNodeType {
  type: string;
  channel: PublicChannel;
  /** Topic options beyond the symbol (kline interval, book depth) from the config; throws a ConfigError. */
  configOptions?(def: NodeDef): Partial<TopicSpec>;
  /** Topic options a msg names (msg.interval), replacing the configured ones; undefined when none; throws a NodeInputError. */
  msgOptions?(msg: NodeMessage): Partial<TopicSpec> | undefined;
  /** Book-fed nodes: what to send for a changed book, or null to send nothing. */
  fromBook?(spec: TopicSpec, book: LocalBook, raw: unknown, rawOutput: boolean): Outgoing | null;
  /**
   * A filter of the items the node sends, made once per node (it may keep state, e.g. the
   * running candle), when the config asks for one; returns the items to send for one received.
   * Throws a ConfigError when the setting that asks for it is unusable.
   */
  outputFilter?(def: NodeDef): ((item: OutputItem) => OutputItem[]) | undefined;
  /** Trades (or raw book deltas): a throttled message carries every item of its window as an array. */
  collectWhenThrottled?: boolean | ((rawOutput: boolean) => boolean);
}

interface MarketConfig {
  category: Category;
  /** The symbol rule of the category (options and futures carry hyphens). */
  pattern: RegExp;
  symbols: string[];
  options: Partial<TopicSpec>;
  filter?: (item: OutputItem) => OutputItem[];
}

type MarketCommand =
  | { action: 'list' }
  | { action: 'unsubscribe'; symbols: string[]; named?: Partial<TopicSpec> }
  | { action: 'subscribe'; symbols: string[]; options: Partial<TopicSpec> };

export function registerMarketNode(RED: NodeAPI, nodeType: MarketNodeType): void {
  const strategy: PaletteStrategy<MarketConfig, MarketCommand> = {
    type: nodeType.type,
    readConfig: (def) => {
      // Spot first (the default), liquidation linear: the category decides the symbol rule.
      const category = readChoice(def.category, 'category', CHANNEL_CATEGORIES[nodeType.channel]);
      const pattern = symbolPatternFor(category, nodeType.channel);
      return {
        category,
        pattern,
        symbols: readSymbols(def.symbols, pattern),
        options: { ...nodeType.configOptions?.(def), category },
        filter: nodeType.outputFilter?.(def),
      };
    },
    validate: (config, client) => checkCategory(config.category, client.dialect),
    create: (rt, config) => new MarketSession(rt, nodeType, config),
  };
  registerPaletteNode(RED, strategy);
}

class MarketSession implements Session<MarketCommand> {
  readonly endpoint;
  /** Topics the server confirmed: the count a healthy status shows. */
  private readonly confirmed = new Set<string>();
  private readonly subscriber: Subscriber;
  private readonly output: Throttle<Outgoing>;

  constructor(private readonly rt: NodeRuntime, private readonly nodeType: MarketNodeType, private readonly config: MarketConfig) {
    this.endpoint = rt.client.dialect.wireTopics(this.spec('BTCUSDT', config.options))[0].endpoint;
    const raw = rt.common.raw;
    const collect = nodeType.collectWhenThrottled;
    const output = rt.output<Outgoing>({ collect: typeof collect === 'function' ? collect(raw) : collect });
    this.output = output;
    const filter = config.filter;
    this.subscriber = rt.subscribe({
      items: (_spec, items) => {
        if (!filter) for (const item of items) output.push(item.topic, item);
        else for (const item of items) for (const out of filter(item)) output.push(out.topic, out);
      },
      book: (spec, book, rawFrame) => {
        const item = nodeType.fromBook?.(spec, book, rawFrame, raw);
        if (item) output.push(item.topic, item);
      },
      topicError: (spec, err) => this.refused(spec, err),
    });
  }

  private spec(symbol: string, options: Partial<TopicSpec>): TopicSpec {
    const spec: TopicSpec = { channel: this.nodeType.channel, symbol, ...options };
    // Only 'string' is written down, so default specs stay as they were (ids, dedup).
    if (this.rt.common.numbers === 'string') spec.numbers = 'string';
    return spec;
  }

  start(): void {
    // Refusals arrive through topicError (status + Catch); nothing more to do here.
    if (this.config.symbols.length) this.subscribe(this.config.symbols, this.config.options, false).catch(() => undefined);
  }

  view(): View {
    return { open: { key: 'status.subscribed', subs: { count: this.confirmed.size } }, holds: this.subscriber.list().length > 0 };
  }

  parse(msg: NodeMessage): MarketCommand {
    const command = parseCommand(this.rt.RED, msg, { symbolsRequired: true, pattern: this.config.pattern });
    if (command.action === 'list') return command;
    const extra = this.nodeType.msgOptions?.(msg);
    const named = extra && { ...extra, category: this.config.category };
    if (command.action === 'unsubscribe') return { ...command, named };
    return { ...command, options: named ?? this.config.options };
  }

  act(command: MarketCommand): NodeMessage | void | Promise<void> {
    switch (command.action) {
      case 'list': {
        const specs = this.subscriber.list();
        // msg.topics tells apart one symbol held at two kline intervals.
        return { topic: 'subscriptions', payload: specs.map((s) => s.symbol ?? ''), topics: specs.map((s) => messageTopic(s, s.symbol ?? '')) };
      }
      case 'unsubscribe':
        return this.unsubscribe(command.symbols, command.named);
      case 'subscribe':
        return this.subscribe(command.symbols, command.options, true).catch((err: unknown) => {
          throw this.rt.failure(err, command.symbols.join(','));
        });
    }
  }

  /** Subscribes symbols; resolves when the server confirmed all, rejects on the first refusal. */
  private subscribe(symbols: string[], options: Partial<TopicSpec>, byInput: boolean): Promise<void> {
    // A msg starts afresh: an earlier refusal stops being on show.
    if (byInput) this.rt.status.clearProblem();
    const sub = this.subscriber;
    const waits = symbols.map((symbol) => {
      const spec = this.spec(symbol, options);
      const id = specId(spec);
      const added = byInput ? this.rt.track(id, sub.add(spec)) : sub.add(spec);
      return added.then(() => {
        if (sub.list().some((s) => specId(s) === id)) this.confirmed.add(id);
        this.rt.showState();
      });
    });
    return Promise.all(waits).then(() => undefined);
  }

  /** No symbols: everything. Symbols without msg options: each at every option held (all its kline intervals). */
  private unsubscribe(symbols: string[], named: Partial<TopicSpec> | undefined): void {
    const held = this.subscriber.list();
    const specs = !symbols.length
      ? held
      : named
        ? symbols.map((s) => this.spec(s, named))
        : held.filter((spec) => symbols.includes(spec.symbol ?? ''));
    for (const spec of specs) {
      this.subscriber.remove(spec);
      this.confirmed.delete(specId(spec));
    }
    this.rt.showState();
  }

  private refused(spec: TopicSpec, err: EngineError): void {
    const symbol = spec.symbol ?? '';
    this.confirmed.delete(specId(spec));
    this.rt.status.setProblem('status.refused', { symbol, detail: err.detail || err.code });
    this.rt.fault(specId(spec), `errors.${errorKey(err)}`, { symbol, detail: err.detail });
  }
}
