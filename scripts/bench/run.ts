/**
 * Bench runner: `npm run bench [-- name ...] [--quick]`. Runs the named benchmark modules (all
 * by default), prints one table each and writes everything to bench-results/<timestamp>.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BENCHMARKS } from './benchmarks';
import { closeEnvironment } from './sim';
import type { BenchResult, Cell } from './types';

/** The repository root, whichever build directory this file was compiled into. */
const ROOT = path.resolve(__dirname, '..', '..', '..');

function formatCell(value: Cell): string {
  if (typeof value !== 'number') return String(value);
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  return value.toFixed(abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3);
}

export function table(rows: Record<string, Cell>[]): string {
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  const cells = rows.map((row) => columns.map((c) => (row[c] === undefined ? '' : formatCell(row[c]))));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const numeric = columns.map((c) => rows.every((row) => row[c] === undefined || typeof row[c] === 'number'));
  const line = (values: string[]) => values.map((v, i) => (numeric[i] ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ');
  return [line(columns), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const quick = argv.includes('--quick');
  const names = argv.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length) {
    console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
    return 2;
  }
  const selected = names.length ? BENCHMARKS.filter((b) => names.includes(b.name)) : BENCHMARKS;
  const results: Record<string, BenchResult & { description: string; ms: number }> = {};
  let failed = false;
  for (const bench of selected) {
    console.log(`\n## ${bench.name}: ${bench.description}`);
    const started = Date.now();
    let result: BenchResult;
    try {
      result = await bench.run({ quick, log: (line) => console.error(`  [${bench.name}] ${line}`) });
    } catch (err) {
      await closeEnvironment();
      throw err;
    }
    results[bench.name] = { description: bench.description, ms: Date.now() - started, ...result };
    for (const t of result.tables) console.log(`\n${t.title}\n\n${table(t.rows)}`);
    console.log('');
    for (const check of result.checks ?? []) {
      if (!check.pass && !check.target) failed = true;
      const mark = check.pass ? 'ok  ' : check.target ? 'MISS' : 'FAIL';
      console.log(`${mark} ${check.name}${check.detail ? ` (${check.detail})` : ''}`);
    }
    for (const note of result.notes ?? []) console.log(`note: ${note}`);
    console.log(`(${bench.name} took ${Math.round((Date.now() - started) / 1000)} s)`);
  }
  await closeEnvironment();
  const dir = path.join(ROOT, 'bench-results');
  fs.mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = path.join(dir, `${stamp}.json`);
  const cpus = os.cpus();
  fs.writeFileSync(file, `${JSON.stringify({
    time: new Date().toISOString(),
    quick,
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpu: `${cpus[0]?.model ?? 'unknown'} x${cpus.length}`,
    results,
  }, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(ROOT, file)}`);
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
