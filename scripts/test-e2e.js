#!/usr/bin/env node
// `npm run test:e2e`: builds into a directory of its own (BUILD_DIR, default dist-e2e/, so
// other builds are left alone), then runs the browser test from that build with mocha.
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const buildDir = process.env.BUILD_DIR || 'dist-e2e';
const env = { ...process.env, BUILD_DIR: buildDir };

execFileSync(process.execPath, [path.join(root, 'scripts', 'build.js')], { stdio: 'inherit', env, cwd: root });
const mocha = spawnSync(process.execPath, [require.resolve('mocha/bin/mocha.js'), path.join(buildDir, 'test', 'e2e', '*.e2e.js')], {
  stdio: 'inherit',
  env,
  cwd: root,
});
process.exit(mocha.status ?? 1);
