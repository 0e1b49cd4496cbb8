#!/usr/bin/env node
// Build: TypeScript to CommonJS in dist/, then put each node's editor HTML, the message
// catalogs and the icons next to the compiled node files, where Node-RED looks for them.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
// BUILD_DIR lets parallel work build elsewhere in the repo (e.g. dist-mine/) without clobbering dist/.
const out = path.join(root, process.env.BUILD_DIR || 'dist');

fs.rmSync(out, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', root, '--outDir', out], { stdio: 'inherit' });

const nodesOut = path.join(out, 'nodes');
for (const file of fs.readdirSync(path.join(root, 'nodes'))) {
  if (file.endsWith('.html')) fs.copyFileSync(path.join(root, 'nodes', file), path.join(nodesOut, file));
}
fs.cpSync(path.join(root, 'locales'), path.join(nodesOut, 'locales'), { recursive: true });
fs.cpSync(path.join(root, 'icons'), path.join(nodesOut, 'icons'), { recursive: true });
fs.chmodSync(path.join(out, 'src', 'simulator', 'cli.js'), 0o755);
console.log(`built ${path.relative(root, out)}/`);
