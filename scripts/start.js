#!/usr/bin/env node
// `npm start`: the offline demo. Starts the bundled Bybit simulator and Node-RED (from
// devDependencies) with this package and an example flow, then prints the editor URL.
// `npm start -- --example dashboard` deploys the two FlowFuse Dashboard 2 examples instead (any
// other name picks examples/<name>.json); `--reset` puts the chosen example back.
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const userDir = path.join(root, '.node-red-user');
const simPort = Number(process.env.BYBIT_SIM_PORT || 8765);
const uiPort = Number(process.env.PORT || 1880);
// A local demo: the credentials file is encrypted with a fixed key kept here.
const CREDENTIAL_SECRET = 'bybit-ws-offline-demo';
const exampleArg = process.argv.indexOf('--example');
const EXAMPLE = exampleArg > 0 ? process.argv[exampleArg + 1] || '' : process.env.BYBIT_EXAMPLE || 'live-trades-and-ticker';
/** `--example dashboard` is both dashboard pages; they share their ui-base and ui-theme. */
const EXAMPLE_FILES = EXAMPLE === 'dashboard' ? ['dashboard-market.json', 'dashboard-account.json'] : [EXAMPLE.replace(/(\.json)?$/, '.json')];
const IS_DASHBOARD = EXAMPLE_FILES.some((f) => f.startsWith('dashboard-'));

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

/** The chosen example(s) as one flow, pointed at the simulator's port; shared config nodes once. */
function exampleFlow() {
  const byId = new Map();
  for (const file of EXAMPLE_FILES) {
    const full = path.join(root, 'examples', file);
    if (!fs.existsSync(full)) {
      const names = fs.readdirSync(path.join(root, 'examples')).map((f) => f.replace(/\.json$/, ''));
      throw new Error(`no example "${EXAMPLE}"; choose dashboard or one of: ${names.join(', ')}`);
    }
    const text = fs.readFileSync(full, 'utf8').replace(/127\.0\.0\.1:8765/g, `127.0.0.1:${simPort}`);
    for (const node of JSON.parse(text)) if (!byId.has(node.id)) byId.set(node.id, node);
  }
  return [...byId.values()];
}

/**
 * Node-RED reads credentials from flows_cred.json, not from the flow file: move the examples'
 * (the simulator's demo key) there, encrypted as Node-RED does (aes-256-ctr, sha256 of the secret).
 */
function writeFlows(flow) {
  const creds = {};
  for (const node of flow) {
    if (node.credentials) creds[node.id] = node.credentials;
    delete node.credentials;
  }
  const key = crypto.createHash('sha256').update(CREDENTIAL_SECRET).digest();
  const iv = crypto.randomBytes(16);
  const cipher = crypto.createCipheriv('aes-256-ctr', key, iv);
  const encrypted = iv.toString('hex') + cipher.update(JSON.stringify(creds), 'utf8', 'base64') + cipher.final('base64');
  fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flow, null, 2));
  fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify({ $: encrypted }));
}

/** A user dir inside the repo (git-ignored) with this package linked in as an installed module. */
function prepareUserDir() {
  fs.mkdirSync(path.join(userDir, 'node_modules'), { recursive: true });
  const link = path.join(userDir, 'node_modules', 'node-red-contrib-bybit-ws');
  if (!fs.existsSync(link)) fs.symlinkSync(root, link, 'dir');
  const flowFile = path.join(userDir, 'flows.json');
  if (!fs.existsSync(flowFile) || process.argv.includes('--reset') || exampleArg > 0) writeFlows(exampleFlow());
  fs.writeFileSync(
    path.join(userDir, 'settings.js'),
    `module.exports = {
  uiHost: '127.0.0.1',
  uiPort: ${uiPort},
  flowFile: 'flows.json',
  credentialSecret: '${CREDENTIAL_SECRET}',
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
  if (IS_DASHBOARD) {
    // Node-RED finds it in the node_modules it runs from (a devDependency of this repository).
    try {
      require.resolve('@flowfuse/node-red-dashboard/package.json');
    } catch {
      throw new Error('the dashboard examples need @flowfuse/node-red-dashboard: run npm install first');
    }
  }
  buildIfNeeded();
  prepareUserDir();
  const { startSimulator } = require(path.join(root, 'dist', 'src', 'simulator'));
  const sim = await startSimulator({ port: simPort, seed: 1, tickMs: 250, credentials: [{ key: 'demo-key', secret: 'demo-secret' }] });
  console.log(`Bybit simulator on ws://127.0.0.1:${sim.port}  (V5 public: ${sim.url('/v5/public/spot')})`);
  const red = spawn(process.execPath, [require.resolve('node-red/red.js'), '--userDir', userDir, '--settings', path.join(userDir, 'settings.js')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  red.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    if (/Started flows/.test(chunk.toString())) {
      console.log(`\n  Node-RED editor: http://127.0.0.1:${uiPort}/  (open the debug sidebar to watch live trades)`);
      if (IS_DASHBOARD) console.log(`  Dashboard:       http://127.0.0.1:${uiPort}/dashboard`);
      console.log('');
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
  console.error(err instanceof Error ? `npm start: ${err.message}` : err);
  process.exit(1);
});
