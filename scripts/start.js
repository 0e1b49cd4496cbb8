#!/usr/bin/env node
// `npm start`: the offline demo. Starts the bundled Bybit simulator and Node-RED (from
// devDependencies) with this package and an example flow, then prints the editor URL.
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const userDir = path.join(root, '.node-red-user');
const simPort = Number(process.env.BYBIT_SIM_PORT || 8765);
const uiPort = Number(process.env.PORT || 1880);
const EXAMPLE = process.env.BYBIT_EXAMPLE || 'live-trades-and-ticker.json';

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function buildIfNeeded() {
  const built = path.join(root, 'dist', 'nodes', 'bybit-connection.js');
  // The build also writes the editor's constants (git-ignored) into resources/.
  const generated = path.join(root, 'resources', 'bybit-editor-constants.js');
  const sources = Math.max(...['src', 'nodes', 'locales', 'icons'].map((d) => newestMtime(path.join(root, d))));
  if (fs.existsSync(built) && fs.existsSync(generated) && fs.statSync(built).mtimeMs >= sources) return;
  console.log('building...');
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build.js')], { stdio: 'inherit' });
}

/** A user dir inside the repo (git-ignored) with this package linked in as an installed module. */
function prepareUserDir() {
  fs.mkdirSync(path.join(userDir, 'node_modules'), { recursive: true });
  const link = path.join(userDir, 'node_modules', 'node-red-contrib-bybit-ws');
  if (!fs.existsSync(link)) fs.symlinkSync(root, link, 'dir');
  const flowFile = path.join(userDir, 'flows.json');
  if (!fs.existsSync(flowFile) || process.argv.includes('--reset')) {
    const flow = fs.readFileSync(path.join(root, 'examples', EXAMPLE), 'utf8').replace(/127\.0\.0\.1:8765/g, `127.0.0.1:${simPort}`);
    fs.writeFileSync(flowFile, flow);
  }
  fs.writeFileSync(
    path.join(userDir, 'settings.js'),
    `module.exports = {
  uiHost: '127.0.0.1',
  uiPort: ${uiPort},
  flowFile: 'flows.json',
  // A local demo: the credentials file is encrypted with a fixed key kept here.
  credentialSecret: 'bybit-ws-offline-demo',
  editorTheme: { tours: false, palette: { catalogues: [] } },
  externalModules: { autoInstall: false, palette: { allowInstall: false } },
  diagnostics: { enabled: false },
  telemetry: { enabled: false },
  logging: { console: { level: 'info' } },
};
`,
  );
}

async function main() {
  buildIfNeeded();
  prepareUserDir();
  const { LEGACY_CLIENT_WIRE, startSimulator } = require(path.join(root, 'dist', 'src', 'simulator'));
  // LEGACY_CLIENT_WIRE: the older private reply shapes today's client still needs (src/simulator/README.md).
  const sim = await startSimulator({ port: simPort, seed: 1, tickMs: 250, credentials: [{ key: 'demo-key', secret: 'demo-secret' }], wire: LEGACY_CLIENT_WIRE });
  console.log(`Bybit simulator on ws://127.0.0.1:${sim.port}  (V5 public: ${sim.url('/v5/public/spot')})`);
  const red = spawn(process.execPath, [require.resolve('node-red/red.js'), '--userDir', userDir, '--settings', path.join(userDir, 'settings.js')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  red.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    if (/Started flows/.test(chunk.toString())) {
      console.log(`\n  Node-RED editor: http://127.0.0.1:${uiPort}/  (open the debug sidebar to watch live trades)\n`);
    }
  });
  const stop = async () => {
    red.kill('SIGINT');
    await sim.close();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  red.on('exit', async (code) => {
    await sim.close();
    process.exit(code ?? 0);
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
