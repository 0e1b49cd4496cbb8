/**
 * Shared test plumbing: the Node-RED test helper, a simulator per test, small flow builders,
 * and promises for node events so tests await what happens instead of sleeping.
 */
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { startSimulator, type Simulator } from '../../src/simulator';

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const helper = require('node-red-node-test-helper');
helper.init(require.resolve('node-red'));

const NODES_DIR = path.resolve(__dirname, '../../nodes');
function nodeModule(name: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(NODES_DIR, name));
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const catchNode = require('@node-red/nodes/core/common/25-catch.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const completeNode = require('@node-red/nodes/core/common/24-complete.js');

/** The connection node and every palette node the package registers, plus the core nodes tests use. */
export const ALL_NODES = [...['bybit-connection', ...paletteTypes()].map(nodeModule), catchNode, completeNode];

export interface FlowNode {
  id: string;
  type: string;
  [key: string]: unknown;
}

/** A config node pointing at the simulator's V5 endpoints. */
export function connection(sim: Simulator, extra: Record<string, unknown> = {}): FlowNode {
  return {
    id: 'conn',
    type: 'bybit-connection',
    network: 'custom',
    api: 'v5',
    publicUrl: sim.url('/v5/public/spot'),
    privateUrl: sim.url('/v5/private'),
    pingInterval: 20,
    ...extra,
  };
}

/** A palette node wired to a helper node `out`, plus a catch node wired to `caught`. */
export function paletteNode(type: string, extra: Record<string, unknown> = {}, id = 'n1'): FlowNode[] {
  return [
    { id, type, connection: 'conn', symbols: 'BTCUSDT', output: 'normalized', throttle: 0, wires: [[`${id}-out`]], ...extra },
    { id: `${id}-out`, type: 'helper' },
  ];
}

export function catcher(): FlowNode[] {
  return [
    { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper' },
  ];
}

/** A Complete node for `targets`: `completed` receives a msg each time one of them calls done(). */
export function completer(targets: string[]): FlowNode[] {
  return [
    { id: 'completer', type: 'complete', scope: targets, uncaught: false, wires: [['completed']] },
    { id: 'completed', type: 'helper' },
  ];
}

/** Sends msg into node `id` and resolves once the node called done() (needs completer in the flow). */
export async function inject(id: string, msg: Record<string, unknown>): Promise<Msg> {
  const marker = `m${++injected}`;
  const completed = nextMsg('completed', (m) => m._marker === marker);
  getNode(id).receive({ ...msg, _marker: marker });
  return completed;
}
let injected = 0;

export interface Msg {
  topic?: string;
  symbol?: string;
  payload?: unknown;
  error?: { message: string };
  [key: string]: unknown;
}

interface EmitterNode extends EventEmitter {
  receive(msg: Record<string, unknown>): void;
}

export function getNode(id: string): EmitterNode {
  const node = helper.getNode(id);
  if (!node) throw new Error(`no node ${id} in the loaded flow`);
  return node;
}

/** Resolves with the next event `name` on a node that satisfies `pred`. */
export function nextEvent<T = Msg>(id: string, name: string, pred: (arg: T) => boolean = () => true, timeoutMs = 5000): Promise<T> {
  const node = getNode(id);
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      node.off(name, listener);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for "${name}" on node ${id}`));
    }, timeoutMs);
    const listener = (arg: T) => {
      if (!pred(arg)) return;
      clearTimeout(timer);
      node.off(name, listener);
      resolve(arg);
    };
    node.on(name, listener);
  });
}

/** The next msg a helper node receives. */
export function nextMsg(id: string, pred: (msg: Msg) => boolean = () => true, timeoutMs = 5000): Promise<Msg> {
  return nextEvent<Msg>(id, 'input', pred, timeoutMs);
}

/** The next status a node shows that satisfies `pred` (statuses arrive as sinon call records). */
export function nextStatus(id: string, pred: (s: { fill?: string; shape?: string; text?: string }) => boolean, timeoutMs = 5000): Promise<{ fill?: string; text?: string }> {
  return nextEvent<{ args: [{ fill?: string; text?: string }] }>(id, 'call:status', (call) => pred(call.args[0] ?? {}), timeoutMs).then((c) => c.args[0]);
}

/** The last status node `id` set, including any set while the flow was loading. */
export function lastStatus(id: string): { fill?: string; shape?: string; text?: string } | undefined {
  const spy = helper._NodePrototype.status as { getCalls(): { thisValue: { id: string }; args: [{ fill?: string; text?: string }] }[] };
  const calls = spy.getCalls().filter((c) => c.thisValue.id === id);
  return calls.length ? calls[calls.length - 1].args[0] : undefined;
}

/** Collects every msg a helper node receives until stop() is called. */
export function collect(id: string): { msgs: Msg[]; stop: () => Msg[] } {
  const node = getNode(id);
  const msgs: Msg[] = [];
  const listener = (m: Msg) => msgs.push(m);
  node.on('input', listener);
  return { msgs, stop: () => (node.off('input', listener), msgs) };
}

export const TAB = 'tab1';

/**
 * Loads nodes into one tab (catch and complete nodes need one), config nodes stay global.
 * `before`: extra module functions called with RED ahead of the package's nodes.
 */
export async function loadFlow(flow: FlowNode[], credentials: Record<string, unknown> = {}, before: unknown[] = []): Promise<void> {
  const placed = flow.map((n) => (n.type === 'bybit-connection' || n.type === 'tab' || 'z' in n ? n : { ...n, z: TAB }));
  const tab = flow.some((n) => n.type === 'tab') ? [] : [{ id: TAB, type: 'tab', label: 'test' }];
  await helper.load([...before, ...ALL_NODES], [...tab, ...placed], credentials);
}

export interface TestSimulatorOptions {
  tickMs?: number;
  seed?: number;
  credentials?: { key: string; secret: string }[];
}

/**
 * Starts a simulator on a free port (market ticks every 20 ms unless told otherwise), speaking
 * the documented wire (private replies without req_id, v1 executionReport as a bare object).
 */
export async function withSimulator(opts: TestSimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({ port: 0, seed: opts.seed ?? 42, tickMs: opts.tickMs ?? 20, credentials: opts.credentials });
}

/**
 * Mocha hooks for a describe block: a fresh simulator and the test helper's server for each
 * test, handed over through `use`; afterwards the flow is unloaded, the server stopped, tuning
 * settings reset and the simulator closed.
 */
export function simulatorPerTest(opts: TestSimulatorOptions, use: (sim: Simulator) => void): void {
  let sim: Simulator | undefined;
  beforeEach(async function () {
    sim = await withSimulator(opts);
    use(sim);
    await new Promise<void>((resolve) => helper.startServer(resolve));
  });
  afterEach(async function () {
    await helper.unload();
    await new Promise<void>((resolve) => helper.stopServer(resolve));
    helper.settings({ bybitWs: {} });
    await sim?.close();
  });
}

/**
 * Mocha hooks for a describe block that shares one simulator and one test-helper server across
 * its tests (each test's flow is unloaded after it), handed over through `use`.
 */
export function simulatorPerSuite(opts: TestSimulatorOptions, use: (sim: Simulator) => void): void {
  let sim: Simulator | undefined;
  before(async function () {
    sim = await withSimulator(opts);
    use(sim);
    await new Promise<void>((resolve) => helper.startServer(resolve));
  });
  after(async function () {
    await new Promise<void>((resolve) => helper.stopServer(resolve));
    await sim?.close();
  });
  afterEach(async function () {
    await helper.unload();
  });
}

export const PRIVATE_TYPES = ['bybit-account', 'bybit-order', 'bybit-execution', 'bybit-position'];
export const isPrivateType = (type: string): boolean => PRIVATE_TYPES.includes(type);

/** Every palette node type the package registers (package.json node-red.nodes, less the config node). */
export function paletteTypes(): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pkg = require('../../../package.json') as { 'node-red': { nodes: Record<string, string> } };
  return Object.keys(pkg['node-red'].nodes).filter((t) => t !== 'bybit-connection');
}

export const SHARED = 'node-red-contrib-bybit-ws/bybit-connection:';

/**
 * A `before` module for loadFlow: RED._ that keeps the substitutions (the test helper's drops
 * them), so statuses and errors show the values they name.
 */
export function keepSubstitutions(RED: { _: unknown }): void {
  RED._ = (key: string, subs?: Record<string, unknown>) => (subs ? `${key} ${JSON.stringify(subs)}` : key);
}
