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
  /** The topic spec for one symbol, from this node's config. */
  spec(symbol: string, def: NodeDef): TopicSpec;
  /** Book-fed nodes: the output item for a changed book, or null to send nothing. */
  fromBook?(spec: TopicSpec, book: LocalBook, raw: unknown): OutputItem | null;
  /** Drops items the node's options exclude (e.g. unclosed candles). */
  accept?(item: OutputItem, def: NodeDef): boolean;
  /** Trades: a throttled message carries every item of its window as an array. */
  collectWhenThrottled?: boolean;
}

export { errorKey, THROTTLE_MAX_MS } from './palette-node';

export function registerMarketNode(RED: NodeAPI, nodeType: MarketNodeType): void {
  function MarketNode(this: Node, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const status = new StatusReporter(node, RED);
    const throttle = createOutput(node, { raw: def.output === 'raw', throttleMs: readThrottle(RED, node, def), collect: nodeType.collectWhenThrottled });
    const confirmed = new Set<string>();
    const client = resolveClient(RED, def, status);
    let subscriber: Subscriber | undefined;
    let endpoint: EndpointName = 'public';

    function showState(ev?: ConnectionStateEvent): void {
      if (!subscriber) return;
      if (ev && ev.endpoint !== endpoint) return;
      const state = ev?.state ?? client?.stateOf(endpoint) ?? 'idle';
      status.connection(state, confirmed.size, ev?.detail);
    }

    function onTopicError(spec: TopicSpec, err: EngineError): void {
      confirmed.delete(specId(spec));
      status.setProblem('status.refused', { symbol: spec.symbol ?? '', detail: err.detail || err.code });
      node.error(t(RED, `errors.${errorKey(err)}`, { symbol: spec.symbol ?? '', detail: err.detail }));
    }

    /** Subscribes symbols; resolves when the server confirmed all, rejects on the first refusal. */
    function subscribe(symbols: string[]): Promise<void> {
      const sub = subscriber;
      if (!sub) return Promise.reject(inputError(RED, 'errors.noConnection'));
      status.clearProblem();
      return Promise.all(
        symbols.map((symbol) => {
          const spec = nodeType.spec(symbol, def);
          return sub.add(spec).then(() => {
            if (sub.list().some((s) => specId(s) === specId(spec))) confirmed.add(specId(spec));
            showState();
          });
        }),
      ).then(() => undefined);
    }

    function unsubscribe(symbols: string[]): void {
      const specs = symbols.length ? symbols.map((s) => nodeType.spec(s, def)) : subscriber?.list() ?? [];
      for (const spec of specs) {
        subscriber?.remove(spec);
        confirmed.delete(specId(spec));
      }
      showState();
    }

    if (client) {
      endpoint = client.dialect.wireTopics(nodeType.spec('BTCUSDT', def))[0].endpoint;
      subscriber = client.subscriber({
        items: (_spec, items) => {
          for (const item of items) if (!nodeType.accept || nodeType.accept(item, def)) throttle.push(item.topic, item);
        },
        book: (spec, book, rawFrame) => {
          const item = nodeType.fromBook?.(spec, book, rawFrame);
          if (item) throttle.push(item.topic, item);
        },
        topicError: onTopicError,
        state: (ev) => showState(ev),
      });
      const { symbols, invalid } = parseConfigSymbols(def.symbols);
      if (invalid.length) {
        status.setProblem('status.badSymbols', { symbols: invalid.join(',') });
        node.error(t(RED, 'errors.symbolInvalid', { symbol: invalid.join(',') }));
      }
      if (symbols.length) {
        // Refusals arrive through topicError (status + node.error); nothing more to do here.
        subscribe(symbols).catch(() => undefined);
      } else if (!invalid.length) {
        status.connection('idle', 0);
      }
    }

    node.on('input', (msg: NodeMessage, nodeSend: SendFn, done: DoneFn) => {
      let command;
      try {
        command = parseCommand(RED, msg, { symbolsRequired: true });
        if (!subscriber) throw inputError(RED, 'errors.noConnection');
      } catch (err) {
        return done(err as Error);
      }
      switch (command.action) {
        case 'list':
          nodeSend({ topic: 'subscriptions', payload: (subscriber.list().map((s) => s.symbol ?? '')) });
          return done();
        case 'unsubscribe':
          unsubscribe(command.symbols);
          return done();
        case 'subscribe':
          subscribe(command.symbols).then(
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
