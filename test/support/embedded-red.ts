/**
 * The real Node-RED runtime embedded in this process, with this package linked into a
 * temporary user dir (as `npm install` would put it) and a `test-probe` node that hands each
 * msg to a callback after an optional busy-wait (a slow downstream node). Used where the
 * test helper's spies would distort the figures: the benchmarks and the back-pressure run.
 * One per process: Node-RED's runtime is a singleton.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

/** The repository root (whose package.json names the built node files). */
const ROOT = path.resolve(__dirname, '..', '..', '..');

export type ProbeCallback = (msg: { topic?: string; payload?: unknown }, probeId: string) => void;

interface RedApi {
  init(server: unknown, settings: unknown): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  nodes: {
    setFlows(flows: unknown[], creds: unknown, type: string): Promise<unknown>;
    getNode(id: string): { receive(msg: Record<string, unknown>): void } | null;
  };
}

export class EmbeddedRed {
  private readonly RED: RedApi;
  private readonly userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bybit-red-'));

  /** `settings`: extra runtime settings (e.g. `bybitWs` limits); `onLog`: every log event at info or above. */
  constructor(onMsg: ProbeCallback, settings: Record<string, unknown> = {}, onLog?: (entry: { level: number; msg?: unknown }) => void) {
    (global as unknown as { __bybitProbe: ProbeCallback }).__bybitProbe = onMsg;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.RED = require('node-red');
    const modules = path.join(this.userDir, 'node_modules');
    fs.mkdirSync(modules);
    fs.symlinkSync(ROOT, path.join(modules, 'node-red-contrib-bybit-ws'), 'dir');
    const probeDir = path.join(this.userDir, 'probe');
    fs.mkdirSync(probeDir);
    fs.writeFileSync(path.join(probeDir, 'test-probe.js'), `module.exports = function (RED) {
  function TestProbe(n) {
    RED.nodes.createNode(this, n);
    const costNs = BigInt(Math.round((Number(n.costMicros) || 0) * 1000));
    const id = this.id;
    this.on('input', function (msg) {
      if (costNs > 0n) { const until = process.hrtime.bigint() + costNs; while (process.hrtime.bigint() < until); }
      global.__bybitProbe(msg, id);
    });
  }
  RED.nodes.registerType('test-probe', TestProbe);
};\n`);
    fs.writeFileSync(path.join(probeDir, 'test-probe.html'), '<script type="text/javascript">RED.nodes.registerType("test-probe",{category:"function",inputs:1,outputs:0,defaults:{costMicros:{value:0}}});</script>\n');
    this.RED.init(http.createServer(), {
      userDir: this.userDir, nodesDir: [probeDir], flowFile: 'flows.json', httpAdminRoot: false, httpNodeRoot: false,
      credentialSecret: false, editorTheme: { tours: false }, diagnostics: { enabled: false },
      logging: { console: { level: 'error' }, ...(onLog ? { probe: { level: 'info', handler: () => onLog } } : {}) },
      ...settings,
    });
  }

  start(): Promise<void> {
    return this.RED.start();
  }

  /**
   * Deploys `source` (a bybit node, config `conn` given) wired to a probe; `costMicros` makes
   * the probe slow. Replaces whatever was deployed before.
   */
  async deploy(publicUrl: string, source: Record<string, unknown>, costMicros = 0): Promise<void> {
    await this.deployFlow([
      { id: 'conn', type: 'bybit-connection', network: 'custom', api: 'v5', publicUrl, pingInterval: 20 },
      { id: 'src', z: 'tab', connection: 'conn', output: 'normalized', throttle: 0, ...source, wires: [['probe']] },
    ], costMicros);
  }

  /**
   * Deploys any nodes (flow nodes need `z: 'tab'`) next to a probe with id `probe` for them to
   * wire to, e.g. a flow of core nodes to compare with. Replaces whatever was deployed before.
   */
  async deployFlow(nodes: Record<string, unknown>[], costMicros = 0): Promise<void> {
    // Node-RED takes a node without a position for a config node, as the editor never saves one.
    const placed = (n: Record<string, unknown>) => (n.z === undefined || 'x' in n ? n : { x: 100, y: 100, ...n });
    await this.RED.nodes.setFlows([
      { id: 'tab', type: 'tab', label: 'embedded' },
      ...nodes.map(placed),
      placed({ id: 'probe', type: 'test-probe', z: 'tab', costMicros, wires: [] }),
    ], {}, 'full');
  }

  /**
   * Writes the flow and its credentials (by node id) as the files Node-RED loads when it
   * starts: call before start(). (Credentials given to setFlows at run time did not reach the
   * nodes of this embedded runtime.)
   */
  writeFlow(flow: Record<string, unknown>[], credentials: Record<string, Record<string, string>> = {}): void {
    fs.writeFileSync(path.join(this.userDir, 'flows.json'), JSON.stringify(flow));
    fs.writeFileSync(path.join(this.userDir, 'flows_cred.json'), JSON.stringify(credentials));
  }

  /** Hands `msg` to a deployed node's input, as a wire would (e.g. fires an inject node again). */
  receive(id: string, msg: Record<string, unknown>): void {
    const node = this.RED.nodes.getNode(id);
    if (!node) throw new Error(`no deployed node ${id}`);
    node.receive(msg);
  }

  async undeploy(): Promise<void> {
    await this.RED.nodes.setFlows([], {}, 'full');
  }

  async stop(): Promise<void> {
    await this.RED.stop();
    fs.rmSync(this.userDir, { recursive: true, force: true });
  }
}
