/**
 * Everything the private palette nodes (account, order, execution) share. A private node
 * has one stream (the account's, carrying every symbol), switched on at deploy and by
 * `subscribe`, off by `unsubscribe`; its symbols are a filter on that stream (empty = all).
 * Nothing is sent to Bybit without credentials, and nothing here ever shows them.
 */
import type { ConnectionStateEvent, EngineError, Subscriber } from '../../src/engine';
import type { OutputItem, PrivateChannel, TopicSpec } from '../../src/dialects';
import { parseCommand, parseConfigSymbols, type Command } from './input';
import { inputError, t } from './i18n';
import { createOutput, errorKey, readThrottle, resolveClient } from './palette-node';
import type { DoneFn, Node, NodeAPI, NodeDef, NodeMessage, SendFn } from './red';
import { StatusReporter } from './status';

export interface PrivateNodeType {
  type: string;
  channel: PrivateChannel;
  /** Order and execution nodes filter by symbol; the account node has no symbols. */
  symbolFilter: boolean;
  /** Events that must not be lost (orders, fills): a throttled msg carries its window as an array. */
  collectWhenThrottled?: boolean;
  /** Partial snapshots (balances): a throttled msg folds its window into one. */
  combine?: (items: OutputItem[]) => OutputItem;
}

interface Balance {
  coin: string;
}

/**
 * Folds account items into one: each push carries only the coins that changed, so the latest
 * value of the account is every coin's latest balance, not just the last push.
 */
export function mergeAccountItems(items: OutputItem[]): OutputItem {
  const balances = new Map<string, Balance>();
  const raw: unknown[] = [];
  for (const item of items) {
    for (const b of (item.payload as { balances: Balance[] }).balances) balances.set(b.coin, b);
    raw.push(...(Array.isArray(item.raw) ? item.raw : [item.raw]));
  }
  const last = items[items.length - 1];
  return { ...last, payload: { ...(last.payload as object), balances: [...balances.values()] }, raw };
}

/** Most filter symbols named in the status text before it is shortened. */
const STATUS_SYMBOLS = 3;

export function registerPrivateNode(RED: NodeAPI, nodeType: PrivateNodeType): void {
  function PrivateNode(this: Node, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const status = new StatusReporter(node, RED);
    const output = createOutput(node, {
      raw: def.output === 'raw',
      throttleMs: readThrottle(RED, node, def),
      collect: nodeType.collectWhenThrottled === true || nodeType.combine !== undefined,
      combine: nodeType.combine,
    });
    const spec: TopicSpec = { channel: nodeType.channel };
    const filter = new Set<string>();
    const client = resolveClient(RED, def, status);
    let subscriber: Subscriber | undefined;
    /** The stream is wanted (deploy or `subscribe`) and not refused. */
    let on = false;
    /** Why the stream stopped on its own (a refused topic, an unusable URL): shown while off. */
    let failure: { key: string; subs?: Record<string, unknown> } | undefined;
    /** Subscribe msgs still waiting for Bybit's answer. */
    let inputWaiting = 0;

    /** An error not caused by an input msg; the empty msg lets Catch nodes see it too. */
    function report(key: string, subs?: Record<string, unknown>): void {
      node.error(t(RED, key, subs), {});
    }

    function openText(): { key: string; subs?: Record<string, unknown> } {
      if (!nodeType.symbolFilter) return { key: 'status.streamAccount' };
      if (filter.size === 0) return { key: 'status.streamAll' };
      const symbols = [...filter];
      const shown = symbols.slice(0, STATUS_SYMBOLS).join(',') + (symbols.length > STATUS_SYMBOLS ? ` +${symbols.length - STATUS_SYMBOLS}` : '');
      return { key: 'status.streamSymbols', subs: { symbols: shown } };
    }

    function showState(ev?: ConnectionStateEvent): void {
      if (!subscriber) return;
      if (ev && ev.endpoint !== 'private') return;
      if (!on) return failure ? status.error(failure.key, failure.subs) : status.note('status.streamOff');
      const current = ev ?? client?.lastState('private');
      status.connection(current?.state ?? 'idle', 1, current?.detail, openText());
    }

    function accept(item: OutputItem): boolean {
      return on && (filter.size === 0 || filter.has(item.symbol));
    }

    /** Turns the stream on; resolves once Bybit confirmed it (at once when it already had). */
    function switchOn(sub: Subscriber): Promise<void> {
      on = true;
      failure = undefined;
      const confirmed = sub.add(spec);
      showState();
      return confirmed.then(() => showState());
    }

    function switchOff(): void {
      on = false;
      subscriber?.remove(spec);
      showState();
    }

    /** The stream stopped for a reason retrying cannot fix: say why, once. */
    function onTopicError(_spec: TopicSpec, err: EngineError): void {
      on = false;
      switch (err.code) {
        case 'no-credentials': failure = { key: 'status.noCredentials' }; break;
        case 'insecure': failure = { key: 'status.insecure' }; break;
        case 'rejected': failure = { key: 'status.refused', subs: { symbol: nodeType.channel, detail: err.detail } }; break;
        default: failure = { key: 'status.error', subs: { detail: err.detail || err.code } };
      }
      showState();
      const subs = { symbol: nodeType.channel, detail: err.detail };
      // A msg waiting on this subscribe gets the error through done(err): one Catch msg, not two.
      if (inputWaiting > 0) node.error(t(RED, `errors.${errorKey(err)}`, subs));
      else report(`errors.${errorKey(err)}`, subs);
    }

    /** Checks a command completely before anything changes. */
    function validate(command: Command): void {
      if (command.action === 'list') return;
      if (!nodeType.symbolFilter && command.symbols.length) throw inputError(RED, 'errors.accountSymbols');
      if (!subscriber) throw inputError(RED, client ? 'errors.noCredentials' : 'errors.noConnection');
      if (command.action === 'unsubscribe' && command.symbols.length && filter.size === 0) throw inputError(RED, 'errors.filterEmpty');
    }

    if (client) {
      const configured = nodeType.symbolFilter ? parseConfigSymbols(def.symbols) : { symbols: [], invalid: [] };
      for (const s of configured.symbols) filter.add(s);
      if (!client.hasCredentials) {
        // No socket at all: without a key there is nothing a private socket could do.
        status.error('status.noCredentials');
        report('errors.noCredentials');
      } else {
        subscriber = client.subscriber({
          items: (_spec, items) => {
            for (const item of items) if (accept(item)) output.push(item.topic, item);
          },
          topicError: onTopicError,
          state: (ev) => showState(ev),
          authFailed: (err) => {
            if (!on) return;
            if (inputWaiting > 0) node.error(t(RED, 'errors.authFailed', { detail: err.detail }));
            else report('errors.authFailed', { detail: err.detail });
          },
        });
        if (configured.invalid.length) {
          // Dropping the bad entries could leave an empty filter, which would mean every symbol.
          failure = { key: 'status.badSymbols', subs: { symbols: configured.invalid.join(',') } };
          showState();
          report('errors.symbolInvalid', { symbol: configured.invalid.join(',') });
        } else {
          // Failures arrive through topicError / authFailed (status + node.error).
          switchOn(subscriber).catch(() => undefined);
        }
      }
    }

    node.on('input', (msg: NodeMessage, send: SendFn, done: DoneFn) => {
      let command: Command;
      try {
        command = parseCommand(RED, msg, { symbolsRequired: false });
        validate(command);
      } catch (err) {
        return done(err as Error);
      }
      const sub = subscriber;
      switch (command.action) {
        case 'list':
          send({ topic: 'subscriptions', payload: [...filter], active: on });
          return done();
        case 'unsubscribe':
          if (command.symbols.length === 0) switchOff();
          else {
            for (const s of command.symbols) filter.delete(s);
            // Removing the last filtered symbol must not widen the stream to every symbol.
            if (filter.size === 0) switchOff();
            else showState();
          }
          return done();
        case 'subscribe':
          if (!sub) return done(); // unreachable: validate() checked it
          for (const s of command.symbols) filter.add(s);
          inputWaiting++;
          switchOn(sub).then(
            () => (inputWaiting--, done()),
            (err: EngineError) => (inputWaiting--, done(new Error(t(RED, `errors.${errorKey(err)}`, { symbol: nodeType.channel, detail: err.detail ?? err.message })))),
          );
          return;
      }
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      output.clear();
      subscriber?.close();
      subscriber = undefined;
      status.clear();
      done();
    });
  }

  RED.nodes.registerType(nodeType.type, PrivateNode);
}
