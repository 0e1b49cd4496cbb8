#!/usr/bin/env node
// Build: TypeScript to CommonJS in dist/, with declarations for src/ (the plain-Node.js API);
// the editor's constants generated from src/ into resources/; then each node's editor HTML,
// the message catalogs and the icons next to the compiled node files, where Node-RED looks for them.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');
const { writeEditorConstants } = require('./editor-constants');

const root = path.resolve(__dirname, '..');
// BUILD_DIR lets parallel work build elsewhere in the repo (e.g. dist-mine/) without clobbering dist/.
const out = path.join(root, process.env.BUILD_DIR || 'dist');

/**
 * tsc -p . in one program: JavaScript for everything, declarations only for src/ (tests,
 * scripts and the Node-RED nodes are nobody's API). One type-check serves both, which is far
 * cheaper than a second tsc pass for the declarations.
 */
function compile() {
  const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => fail([d]) };
  const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), { outDir: out, declaration: true }, host);
  const compilerHost = ts.createCompilerHost(config.options);
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, host: compilerHost, configFileParsingDiagnostics: config.errors });
  const srcDir = path.join(root, 'src') + path.sep;
  const inSrc = (file) => path.resolve(file.fileName).startsWith(srcDir);
  const emitted = program.emit(undefined, (file, text, bom, onError, sources) => {
    if (file.endsWith('.d.ts') && !(sources && sources.every(inSrc))) return;
    compilerHost.writeFile(file, text, bom, onError, sources);
  });
  // Declaration problems outside src/ do not matter: those declarations are not written.
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics.filter((d) => !d.file || inSrc(d.file))];
  if (diagnostics.length) fail(diagnostics);
}

function fail(diagnostics) {
  const format = process.stdout.isTTY ? ts.formatDiagnosticsWithColorAndContext : ts.formatDiagnostics;
  fs.writeSync(2, format(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' }));
  process.exit(1);
}

fs.rmSync(out, { recursive: true, force: true });
compile();
writeEditorConstants(root, out);

const nodesOut = path.join(out, 'nodes');
for (const file of fs.readdirSync(path.join(root, 'nodes'))) {
  if (file.endsWith('.html')) fs.copyFileSync(path.join(root, 'nodes', file), path.join(nodesOut, file));
}
fs.cpSync(path.join(root, 'locales'), path.join(nodesOut, 'locales'), { recursive: true });
fs.cpSync(path.join(root, 'icons'), path.join(nodesOut, 'icons'), { recursive: true });
fs.chmodSync(path.join(out, 'src', 'simulator', 'cli.js'), 0o755);
console.log(`built ${path.relative(root, out)}/`);
