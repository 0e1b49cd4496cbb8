/**
 * Types for plain-Node.js users: the README's example, taken from README.md as it stands, is
 * type-checked strictly against the declarations this build wrote, found the way a user's
 * editor finds them (package.json `types` in node_modules/node-red-contrib-bybit-ws).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';

/** The build this file was compiled into (dist/ or BUILD_DIR) and the repository above it. */
const BUILD_ROOT = path.resolve(__dirname, '..');
const REPO_ROOT = path.resolve(BUILD_ROOT, '..');
const PACKAGE = 'node-red-contrib-bybit-ws';

interface Example {
  /** Where it starts in README.md, for messages. */
  line: number;
  ext: '.js' | '.ts';
  code: string;
}

/** Every fenced JavaScript or TypeScript block in README.md that loads the package. */
function readmeExamples(): Example[] {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const examples: Example[] = [];
  for (const m of readme.matchAll(/^```(js|javascript|ts|typescript)[^\n]*\n([\s\S]*?)^```/gm)) {
    if (!m[2].includes(`'${PACKAGE}'`) && !m[2].includes(`"${PACKAGE}"`)) continue;
    const line = readme.slice(0, m.index).split('\n').length;
    examples.push({ line, ext: m[1].startsWith('t') ? '.ts' : '.js', code: m[2] });
  }
  return examples;
}

/** A project with the package "installed": its package.json, and dist/ pointing at this build. */
function userProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bybit-types-'));
  const pkgDir = path.join(dir, 'node_modules', PACKAGE);
  fs.mkdirSync(pkgDir, { recursive: true });
  fs.copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(pkgDir, 'package.json'));
  fs.symlinkSync(BUILD_ROOT, path.join(pkgDir, 'dist'), 'dir');
  return dir;
}

interface Checked {
  messages: string[];
  /** The declaration file the package name resolved to. */
  resolved?: string;
}

/** The last program: the next check reuses what did not change (lib and package declarations). */
let previous: ts.Program | undefined;

/** Type-checks one file of code as a strict user project would (JavaScript with checkJs). */
function check(dir: string, example: Example): Checked {
  const file = path.join(dir, `example${example.ext}`);
  fs.writeFileSync(file, example.code);
  const program = ts.createProgram([file], {
    noEmit: true,
    strict: true,
    allowJs: true,
    checkJs: true,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    types: ['node'],
    typeRoots: [path.join(REPO_ROOT, 'node_modules', '@types')],
    // Declarations are trusted as a user's project trusts them; what the example uses is checked.
    skipLibCheck: true,
  }, undefined, previous);
  previous = program;
  const messages = ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    const at = d.file && where ? `${path.basename(d.file.fileName)}:${where.line + 1} ` : '';
    return at + ts.flattenDiagnosticMessageText(d.messageText, '\n');
  });
  const resolved = program.getSourceFiles().find((f) => path.resolve(f.fileName) === path.join(BUILD_ROOT, 'src', 'index.d.ts'))?.fileName;
  return { messages, resolved };
}

describe('types for plain Node.js', function () {
  // A cold TypeScript program with @types/node takes a few seconds on a busy machine.
  this.timeout(60_000);
  let dir: string;
  before(function () {
    dir = userProject();
  });
  after(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the build writes declarations for the package entry, and package.json points at them', function () {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { main: string; types?: string };
    assert.equal(pkg.types, pkg.main.replace(/\.js$/, '.d.ts'));
    assert.ok(fs.existsSync(path.join(BUILD_ROOT, 'src', 'index.d.ts')));
    // Tests, scripts and the Node-RED nodes are nobody's API: no declarations for them.
    assert.equal(fs.existsSync(path.join(BUILD_ROOT, 'nodes', 'bybit-trade.d.ts')), false);
    assert.equal(fs.existsSync(path.join(BUILD_ROOT, 'test', 'readme-types.test.d.ts')), false);
  });

  it("the README's plain-Node.js example type-checks strictly against them", function () {
    const examples = readmeExamples();
    assert.ok(examples.length > 0, `README.md has a js or ts block that loads '${PACKAGE}'`);
    for (const example of examples) {
      const result = check(dir, example);
      assert.ok(result.resolved, `README.md:${example.line}: '${PACKAGE}' resolves to this build's src/index.d.ts`);
      assert.deepEqual(result.messages, [], `README.md:${example.line}`);
    }
  });

  it('exports the types a user needs to write typed handlers', function () {
    // The payload types of src/dialects join this list as they are declared.
    const names = [
      'ClientOptions', 'SubscriberHandlers', 'ConnectionStateEvent', 'EngineErrorCode', 'ApiName', 'Network', 'Channel',
      'KlineInterval', 'TopicSpec', 'OutputItem', 'OrderBookPayload', 'BookTickerPayload', 'SimulatorOptions',
    ];
    const code = `import type { ${names.join(', ')} } from '${PACKAGE}';\nexport type Used = [${names.join(', ')}];\n`;
    assert.deepEqual(check(dir, { line: 0, ext: '.ts', code }).messages, []);
  });

  it('a name the package does not export fails the check', function () {
    const [example] = readmeExamples();
    // The first name the example takes from the package, misspelt.
    const taken = /(?:const|import)\s*\{\s*(\w+)/.exec(example.code);
    assert.ok(taken, `README.md:${example.line}: the example names what it takes from the package`);
    const misspelt = { ...example, code: example.code.replace(new RegExp(`\\b${taken[1]}\\b`, 'g'), `${taken[1]}Typo`) };
    const result = check(dir, misspelt);
    assert.ok(
      result.messages.some((m) => m.includes(`${taken[1]}Typo`)),
      `expected a diagnostic naming ${taken[1]}Typo, got:\n${result.messages.join('\n')}`,
    );
  });
});
