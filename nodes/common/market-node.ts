/**
 * Everything the public palette nodes (trade, ticker, kline, orderbook, bookticker) share:
 * subscribe the configured symbols on deploy, run-time control by msg.action, output in
 * normalized or raw form through an optional throttle, status dots, and a clean close.
 * A node type only says how a symbol becomes a topic and, for books, how a book becomes a payload.
 */
import type { ConnectionStateEvent, EngineError, Subscriber } from '../../src/engine';
import { specId } from '../../src/engine';
import type { LocalBook } from '../../src/book/local-book';
import type { EndpointName, OutputItem, PublicChannel, TopicSpec } from '../../src/dialects';
import { parseCommand, parseConfigSymbols } from './input';
import { inputError, t } from './i18n';
import { createOutput, errorKey, readThrottle, resolveClient } from './palette-node';
import type { DoneFn, Node, NodeAPI, NodeDef, NodeMessage, SendFn } from './red';
import { StatusReporter } from './status';

export interface MarketNodeType {
  type: string;
  channel: PublicChannel;
  /** The topic spec for one symbol, from this node's config and its topic options. */
  spec(symbol: string, def: NodeDef, options: Partial<TopicSpec>): TopicSpec;
  /**
   * Topic options beyond the symbol (kline interval, book depth) from the config. `invalid`
   * names a key under both `status.` and `errors.`: a red status at deploy, nothing subscribed.
   */
  configOptions?(def: NodeDef): TopicOptions;
  /** Topic options a msg names (msg.interval), replacing the configured ones; undefined when none. */
  msgOptions?(msg: NodeMessage): TopicOptions | undefined;
  /** Book-fed nodes: the output item for a changed book, or null to send nothing. */
  fromBook?(spec: TopicSpec, book: LocalBook, raw: unknown, def: NodeDef): OutputItem | null;
  /**
   * A per-node filter of the items the node sends, made once per node instance (it may keep
   * state, e.g. the running candle); returns the items to send for one item received.
   */
  outputFilter?(def: NodeDef): ((item: OutputItem) => OutputItem[]) | undefined;
  /** Trades (or raw book deltas): a throttled message carries every item of its window as an array. */
  collectWhenThrottled?: boolean | ((def: NodeDef) => boolean);
}

export type TopicOptions = { options: Partial<TopicSpec> } | { invalid: string; subs: Record<string, unknown> };

export { errorKey, THROTTLE_MAX_MS } from './palette-node';

export function registerMarketNode(RED: NodeAPI, nodeType: MarketNodeType): void {
  function MarketNode(this: Node, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const status = new StatusReporter(node, RED);
    const collect = typeof nodeType.collectWhenThrottled === 'function' ? nodeType.collectWhenThrottled(def) : nodeType.collectWhenThrottled;
    const throttle = createOutput(node, { raw: def.output === 'raw', throttleMs: readThrottle(RED, node, def), collect });
    const confirmed = new Set<string>();
    const filter = nodeType.outputFilter?.(def);
    const client = resolveClient(RED, def, status);
    let subscriber: Subscriber | undefined;
    let endpoint: EndpointName = 'public';

    function showState(ev?: ConnectionStateEvent): void {
      if (!subscriber) return;
      if (ev && ev.endpoint !== endpoint) return;
      // Without an event, the last one: its reason (e.g. an error's) must stay on show too.
      const current = ev ?? client?.lastState(endpoint);
      status.connection(current?.state ?? 'idle', confirmed.size, current?.detail);
    }

    /** Topics a msg is subscribing right now: a refusal of those reaches Catch through done(err). */
    const fromInput = new Set<string>();

    function onTopicError(spec: TopicSpec, err: EngineError): void {
      confirmed.delete(specId(spec));
      status.setProblem('status.refused', { symbol: spec.symbol ?? '', detail: err.detail || err.code });
      const text = t(RED, `errors.${errorKey(err)}`, { symbol: spec.symbol ?? '', detail: err.detail });
      // Refusals nobody is waiting for (deploy, resubscribe) go to Catch nodes too: with a msg.
      if (fromInput.has(specId(spec))) node.error(text);
      else node.error(text, {});
    }

    const configured = nodeType.configOptions?.(def) ?? { options: {} };

    /** Options for a msg's topics: what it names, else the configured ones; a NodeInputError when invalid. */
    function optionsFor(named: TopicOptions | undefined): Partial<TopicSpec> {
      const result = named ?? configured;
      if ('invalid' in result) throw inputError(RED, `errors.${result.invalid}`, result.subs);
      return result.options;
    }

    /** Subscribes symbols; resolves when the server confirmed all, rejects on the first refusal. */
    function subscribe(symbols: string[], options: Partial<TopicSpec>, byInput = false): Promise<void> {
      const sub = subscriber;
      if (!sub) return Promise.reject(inputError(RED, 'errors.noConnection'));
      // A msg starts afresh; at deploy a problem found in the config (bad symbols) stays on show.
      if (byInput) status.clearProblem();
      return Promise.all(
        symbols.map((symbol) => {
          const spec = nodeType.spec(symbol, def, options);
          const id = specId(spec);
          if (byInput) fromInput.add(id);
          return sub.add(spec).then(
            () => {
              fromInput.delete(id);
              if (sub.list().some((s) => specId(s) === id)) confirmed.add(id);
              showState();
            },
            (err: unknown) => {
              fromInput.delete(id);
              throw err;
            },
          );
        }),
      ).then(() => undefined);
    }

    /** No symbols: everything. Symbols without msg options: each at every option held (all its kline intervals). */
    function unsubscribe(symbols: string[], named: Partial<TopicSpec> | undefined): void {
      const held = subscriber?.list() ?? [];
      const specs = !symbols.length
        ? held
        : named
          ? symbols.map((s) => nodeType.spec(s, def, named))
          : held.filter((spec) => symbols.includes(spec.symbol ?? ''));
      for (const spec of specs) {
        subscriber?.remove(spec);
        confirmed.delete(specId(spec));
      }
      showState();
    }

    if (client) {
      const options = 'options' in configured ? configured.options : undefined;
      endpoint = client.dialect.wireTopics(nodeType.spec('BTCUSDT', def, options ?? {}))[0].endpoint;
      subscriber = client.subscriber({
        items: (_spec, items) => {
          if (!filter) for (const item of items) throttle.push(item.topic, item);
          else for (const item of items) for (const out of filter(item)) throttle.push(out.topic, out);
        },
        book: (spec, book, rawFrame) => {
          const item = nodeType.fromBook?.(spec, book, rawFrame, def);
          if (item) throttle.push(item.topic, item);
        },
        topicError: onTopicError,
        state: (ev) => showState(ev),
      });
      const { symbols, invalid } = parseConfigSymbols(def.symbols);
      if ('invalid' in configured) {
        // A bad option (e.g. kline interval) subscribes nothing; msgs naming a good one still work.
        status.setProblem(`status.${configured.invalid}`, configured.subs);
        node.error(t(RED, `errors.${configured.invalid}`, configured.subs), {});
      } else if (invalid.length) {
        status.setProblem('status.badSymbols', { symbols: invalid.join(',') });
        node.error(t(RED, 'errors.symbolInvalid', { symbol: invalid.join(',') }), {});
      }
      if (symbols.length && options) {
        // Refusals arrive through topicError (status + node.error); nothing more to do here.
        subscribe(symbols, options).catch(() => undefined);
      } else if (!invalid.length && options) {
        status.connection('idle', 0);
      }
    }

    node.on('input', (msg: NodeMessage, nodeSend: SendFn, done: DoneFn) => {
      let command;
      let named: Partial<TopicSpec> | undefined;
      let options: Partial<TopicSpec> = {};
      try {
        command = parseCommand(RED, msg, { symbolsRequired: true });
        if (!subscriber) throw inputError(RED, 'errors.noConnection');
        const fromMsg = command.action === 'list' ? undefined : nodeType.msgOptions?.(msg);
        if (fromMsg) named = optionsFor(fromMsg);
        if (command.action === 'subscribe') options = optionsFor(fromMsg);
      } catch (err) {
        return done(err as Error);
      }
      switch (command.action) {
        case 'list': {
          const specs = subscriber.list();
          // msg.topics tells apart one symbol held at two kline intervals.
          nodeSend({ topic: 'subscriptions', payload: specs.map((s) => s.symbol ?? ''), topics: specs.map(outputTopic) });
          return done();
        }
        case 'unsubscribe':
          unsubscribe(command.symbols, named);
          return done();
        case 'subscribe':
          subscribe(command.symbols, options, true).then(
            () => done(),
            (err: EngineError) => done(new Error(t(RED, `errors.${errorKey(err)}`, { symbol: command.symbols.join(','), detail: err.detail ?? err.message }))),
          );
          return;
      }
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      throttle.clear();
      subscriber?.close();
      subscriber = undefined;
      status.clear();
      done();
    });
  }

  RED.nodes.registerType(nodeType.type, MarketNode);
}

/** The msg.topic a subscription's msgs carry: "trade.BTCUSDT", "kline.5.BTCUSDT". */
export function outputTopic(spec: TopicSpec): string {
  return spec.channel === 'kline' ? `kline.${spec.interval}.${spec.symbol}` : `${spec.channel}.${spec.symbol}`;
}
