/**
 * The one palette-node runtime. On deploy: parse config → validate → start; on input: parse
 * msg → act → send/done. Node kinds (market data, private streams) are strategies plugged in
 * here; the runtime owns what they share: the config rule, the client, the subscriber, the
 * output, the status and the error path.
 *
 * One error path: a problem with an input msg ends in that msg's done(err), once. A problem
 * found at deploy (a configuration mistake) is a red status naming the field and value plus
 * one node.error(text, msg) that a Catch node sees; the node then starts nothing and answers
 * every msg with the same error. A problem the engine reports later (a refused topic, a
 * rejected key) reaches Catch the same way, unless a msg is waiting on it: then it is that
 * msg's done(err).
 */
import { EngineError, type BybitClient, type ConnectionStateEvent, type Subscriber, type SubscriberHandlers } from '../../src/engine';
import type { EndpointName } from '../../src/dialects';
import { ConfigError, readCommon, type CommonConfig } from './config';
import type { ConnectionNode } from './connection-config';
import { DeployReporter } from './flows-started';
import { inputError, NodeInputError, t } from './i18n';
import { createOutput, type Outgoing, type OutputShape } from './output';
import type { DoneFn, Node, NodeAPI, NodeDef, NodeMessage, SendFn } from './red';
import { StatusReporter, type StatusText, type View } from './status';
import type { Throttle } from './throttle';

/** What a running node kind gets from the runtime. */
export interface NodeRuntime {
  readonly RED: NodeAPI;
  readonly client: BybitClient;
  readonly status: StatusReporter;
  readonly common: CommonConfig;
  /** This node's subscriber: its state events redraw the status; closing the node closes it. */
  subscribe(handlers: Omit<SubscriberHandlers, 'state' | 'failed'>): Subscriber;
  /** This node's output; closing the node drops what it holds. */
  output<T extends Outgoing>(shape: OutputShape<T>): Throttle<T>;
  /** Redraws the status from the session's view and the socket's last state. */
  showState(ev?: ConnectionStateEvent): void;
  /** Runs work a msg waits on: meanwhile, faults `about` it are that msg's, not Catch's. */
  track<T>(about: string, work: Promise<T>): Promise<T>;
  /** A problem the engine reported (refusal, rejected key): to Catch nodes, unless a msg waits on `about`. */
  fault(about: string, key: string, subs?: Record<string, unknown>): void;
  /** The error a msg's done(err) carries when the engine failed it. */
  failure(err: unknown, subject: string): Error;
}

/** A node kind, running. */
export interface Session<Cmd> {
  /** The socket whose state this node shows. */
  readonly endpoint: EndpointName;
  /** Starts what the config asks for (subscriptions); failures arrive as faults. */
  start(): void;
  /** Reads a msg completely before anything changes; throws a NodeInputError. */
  parse(msg: NodeMessage): Cmd;
  /** Does it: a msg to send, nothing, or work the msg's done waits for (resolving with a msg to send, or rejecting with the error to report). */
  act(command: Cmd): NodeMessage | void | Promise<NodeMessage | void>;
  view(): View;
}

/** A node kind: its own config fields, a check against the client, and how it runs. */
export interface PaletteStrategy<Config, Cmd> {
  readonly type: string;
  /** Reads this kind's own fields; throws a ConfigError for a value present but unusable. */
  readConfig(def: NodeDef): Config;
  /** A problem the connection poses for this kind (e.g. no credentials); throws a ConfigError. */
  validate?(config: Config, client: BybitClient): void;
  create(rt: NodeRuntime, config: Config): Session<Cmd>;
}

export function registerPaletteNode<Config, Cmd>(RED: NodeAPI, strategy: PaletteStrategy<Config, Cmd>): void {
  function PaletteNode(this: Node, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const status = new StatusReporter(node, RED);
    const reporter = new DeployReporter(RED);
    const started = deploy({ RED, node, status, reporter }, def, strategy);
    node.on('input', (msg: NodeMessage, send: SendFn, done: DoneFn) => {
      if (started instanceof ConfigError) return done(inputError(RED, `errors.${started.key}`, started.subs));
      started.input(msg, send, done);
    });
    node.on('close', (_removed: boolean, done: () => void) => {
      if (!(started instanceof ConfigError)) started.close();
      reporter.close();
      status.clear();
      done();
    });
  }
  RED.nodes.registerType(strategy.type, PaletteNode);
}

/** Parse config → validate → start; a configuration mistake is shown, reported once, and starts nothing. */
function deploy<Config, Cmd>(host: Host, def: NodeDef, strategy: PaletteStrategy<Config, Cmd>): Running<Cmd> | ConfigError {
  try {
    const common = readCommon(def);
    const config = strategy.readConfig(def);
    const client = clientOf(host.RED, def);
    strategy.validate?.(config, client);
    const running = new Running<Cmd>(host, client, common);
    running.begin((rt) => strategy.create(rt, config));
    return running;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    host.status.error(`status.${err.key}`, err.subs);
    const text = t(host.RED, `errors.${err.key}`, err.subs);
    host.reporter.report(() => host.node.error(text, {}));
    return err;
  }
}

/** What the runtime holds for a node from its creation on, whether it starts or not. */
interface Host {
  readonly RED: NodeAPI;
  readonly node: Node;
  readonly status: StatusReporter;
  readonly reporter: DeployReporter;
}

/** The config node's client; its absence, or the config node's own mistake, is this node's mistake too. */
function clientOf(RED: NodeAPI, def: NodeDef): BybitClient {
  const config = RED.nodes.getNode(String(def.connection ?? '')) as ConnectionNode | null;
  if (!config) throw new ConfigError('noConnection');
  if (!config.client) throw config.problem ?? new ConfigError('config', { detail: '' });
  return config.client;
}

/** At most one report of a failing callback per node this often. */
const FAILURE_REPORT_MS = 10_000;

class Running<Cmd> implements NodeRuntime {
  private session?: Session<Cmd>;
  private subscriber?: Subscriber;
  private clearOutput?: () => void;
  /** How many msgs wait on each subject (a topic, a stream). */
  private readonly waiting = new Map<string, number>();
  /** Rate limit of `failed`: when it last reported, and how many it kept quiet since. */
  private lastFailureAt = -Infinity;
  private quietFailures = 0;

  /**
   * Every callback from the engine and every throttle timer ends here when it throws: one
   * node.error per FAILURE_REPORT_MS (with the count kept quiet), and the stream goes on.
   */
  readonly failed = (err: Error): void => {
    const now = Date.now();
    if (now - this.lastFailureAt < FAILURE_REPORT_MS) {
      this.quietFailures++;
      return;
    }
    this.lastFailureAt = now;
    const text = t(this.RED, 'errors.internal', { detail: `${err.name}: ${err.message}`.slice(0, 200), quiet: this.quietFailures });
    this.quietFailures = 0;
    this.host.node.error(text, {});
  };

  readonly RED: NodeAPI;
  readonly status: StatusReporter;

  constructor(private readonly host: Host, readonly client: BybitClient, readonly common: CommonConfig) {
    this.RED = host.RED;
    this.status = host.status;
  }

  begin(create: (rt: NodeRuntime) => Session<Cmd>): void {
    const session = create(this);
    this.session = session;
    session.start();
    this.showState();
  }

  subscribe(handlers: Omit<SubscriberHandlers, 'state' | 'failed'>): Subscriber {
    this.subscriber = this.client.subscriber({ ...handlers, state: (ev) => this.showState(ev), failed: this.failed });
    return this.subscriber;
  }

  output<T extends Outgoing>(shape: OutputShape<T>): Throttle<T> {
    const guard = { maxItems: this.client.limits.throttleItems, onError: this.failed };
    const throttle = createOutput<T>(this.host.node, this.common, shape, guard);
    this.clearOutput = () => throttle.clear();
    return throttle;
  }

  showState(ev?: ConnectionStateEvent): void {
    const session = this.session;
    if (!session || (ev && ev.endpoint !== session.endpoint)) return;
    const view = session.view();
    if ('fixed' in view) return this.showFixed(view.fixed, view.red);
    // Without an event, the last one: its reason (e.g. an error's) must stay on show too.
    const current = ev ?? (this.subscriber ?? this.client).lastState(session.endpoint);
    this.status.connection(current ?? { state: 'idle' }, view);
  }

  private showFixed(text: StatusText, red: boolean): void {
    if (red) this.status.error(text.key, text.subs);
    else this.status.note(text.key, text.subs);
  }

  track<T>(about: string, work: Promise<T>): Promise<T> {
    this.waiting.set(about, (this.waiting.get(about) ?? 0) + 1);
    const settle = () => {
      const left = (this.waiting.get(about) ?? 1) - 1;
      if (left > 0) this.waiting.set(about, left);
      else this.waiting.delete(about);
    };
    return work.then(
      (value) => (settle(), value),
      (err: unknown) => {
        settle();
        throw err;
      },
    );
  }

  fault(about: string, key: string, subs?: Record<string, unknown>): void {
    if (this.waiting.has(about)) return; // the waiting msg's done(err) carries it: one Catch msg, not two
    const text = t(this.RED, key, subs);
    this.host.reporter.report(() => this.host.node.error(text, {}));
  }

  failure(err: unknown, subject: string): Error {
    if (err instanceof NodeInputError) return err;
    const detail = err instanceof EngineError ? err.detail : err instanceof Error ? err.message : String(err);
    return inputError(this.RED, `errors.${errorKey(err instanceof EngineError ? err : {})}`, { symbol: subject, detail });
  }

  input(msg: NodeMessage, send: SendFn, done: DoneFn): void {
    const session = this.session;
    if (!session) return done();
    let result: NodeMessage | void | Promise<NodeMessage | void>;
    try {
      result = session.act(session.parse(msg));
    } catch (err) {
      return done(err as Error);
    }
    if (result instanceof Promise) {
      result.then((out) => {
        if (out) send(out);
        done();
      }, (err: Error) => done(err));
      return;
    }
    if (result) send(result);
    done();
  }

  close(): void {
    this.clearOutput?.();
    this.subscriber?.close();
    this.subscriber = undefined;
    this.session = undefined;
  }
}

/** Catalog key for an engine error code. */
export function errorKey(err: { code?: string }): string {
  switch (err.code) {
    case 'rejected': return 'rejected';
    case 'timeout': return 'timeout';
    case 'no-credentials': return 'noCredentials';
    case 'auth-failed': return 'authFailed';
    case 'bad-url': return 'badUrl';
    case 'insecure': return 'insecure';
    case 'closed': return 'closed';
    case 'orders-off': return 'ordersOff';
    default: return 'unexpected';
  }
}
