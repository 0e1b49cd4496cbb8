/**
 * The world the browser test drives: the simulator and a Node-RED of its own, on free
 * loopback ports, with this package installed from the build the test was compiled into
 * (never dist/ or the `npm start` user dir, which other work may be using).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { LEGACY_CLIENT_WIRE, startSimulator, type Simulator } from '../../src/simulator';

/** The build this file was compiled into (e.g. dist-e2e/) and the repository above it. */
export const BUILD_ROOT = path.resolve(__dirname, '../..');
export const REPO_ROOT = path.resolve(BUILD_ROOT, '..');
export const PACKAGE = 'node-red-contrib-bybit-ws';

/** Credentials the simulator accepts, as `npm start` sets them up. */
export const DEMO_CREDENTIALS = { key: 'demo-key', secret: 'demo-secret' };

export interface EditorEnv {
  /** The editor's base URL, ending in "/". */
  url: string;
  sim: Simulator;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A user dir where the package is "installed" as Node-RED expects: package.json, resources
 * and examples from the repository, and dist/ pointing at this build.
 */
function prepareUserDir(port: number): string {
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bybit-e2e-'));
  const pkgDir = path.join(userDir, 'node_modules', PACKAGE);
  fs.mkdirSync(pkgDir, { recursive: true });
  fs.copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(pkgDir, 'package.json'));
  for (const dir of ['resources', 'examples']) fs.symlinkSync(path.join(REPO_ROOT, dir), path.join(pkgDir, dir), 'dir');
  fs.symlinkSync(BUILD_ROOT, path.join(pkgDir, 'dist'), 'dir');
  fs.writeFileSync(path.join(userDir, 'flows.json'), '[]');
  fs.writeFileSync(
    path.join(userDir, 'settings.js'),
    `module.exports = {
  uiHost: '127.0.0.1',
  uiPort: ${port},
  flowFile: 'flows.json',
  credentialSecret: 'bybit-ws-e2e',
  editorTheme: { tours: false, palette: { catalogues: [] }, projects: { enabled: false } },
  externalModules: { autoInstall: false, palette: { allowInstall: false } },
  diagnostics: { enabled: false },
  telemetry: { enabled: false },
  logging: { console: { level: 'info' } },
};
`,
  );
  return userDir;
}

function waitForOutput(child: ChildProcess, pattern: RegExp, output: () => string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`Node-RED did not print ${pattern} within ${timeoutMs} ms:\n${output()}`)), timeoutMs);
    const onData = (): void => {
      if (pattern.test(output())) done();
    };
    const onExit = (code: number | null): void => done(new Error(`Node-RED exited (${code}) before it was ready:\n${output()}`));
    function done(err?: Error): void {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve();
    }
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    onData();
  });
}

/** Starts the simulator and Node-RED; `logFile` receives Node-RED's output when stopped. */
export async function startEditorEnv(logFile: string): Promise<EditorEnv> {
  // LEGACY_CLIENT_WIRE: the older private reply shapes today's client still needs (simulator README).
  const sim = await startSimulator({ port: 0, seed: 7, tickMs: 100, credentials: [DEMO_CREDENTIALS], wire: LEGACY_CLIENT_WIRE });
  const port = await freePort();
  const userDir = prepareUserDir(port);
  let output = '';
  const child = spawn(process.execPath, [require.resolve('node-red/red.js'), '--userDir', userDir, '--settings', path.join(userDir, 'settings.js')], {
    cwd: userDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  async function stop(): Promise<void> {
    if (child.exitCode === null) {
      child.kill('SIGINT');
      // Node-RED closes its flows on SIGINT; a hung shutdown must not hang the test run.
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
    await sim.close();
    fs.mkdirSync(path.dirname(logFile), { recursive: true });
    fs.writeFileSync(logFile, output);
    fs.rmSync(userDir, { recursive: true, force: true });
  }

  try {
    await waitForOutput(child, /Started flows/, () => output, 60_000);
    if (/\[error\]|Waiting for missing types/.test(output)) throw new Error(`Node-RED reported a problem loading the package:\n${output}`);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `http://127.0.0.1:${port}/`, sim, stop };
}
