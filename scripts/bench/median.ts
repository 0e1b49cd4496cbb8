/**
 * Cell-wise median of several bench results: `node dist/scripts/bench/median.js a.json b.json c.json`.
 * Rows are matched by position (a benchmark prints its rows in a fixed order); each number is
 * the median of the runs' values, so one run's hiccup does not make the figure. Prints Markdown.
 */
import fs from 'node:fs';
import type { Cell, Table } from './types';

interface Saved {
  results: Record<string, { tables: Table[] }>;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function format(value: Cell): string {
  if (typeof value !== 'number') return String(value ?? '');
  if (Number.isInteger(value)) return value.toLocaleString('en');
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en');
  return value.toFixed(abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3);
}

function markdown(rows: Record<string, Cell>[]): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const numeric = columns.map((c) => rows.some((r) => typeof r[c] === 'number'));
  return [
    `| ${columns.join(' | ')} |`,
    `|${numeric.map((n) => (n ? '---:' : '---')).join('|')}|`,
    ...rows.map((r) => `| ${columns.map((c) => format(r[c])).join(' | ')} |`),
  ].join('\n');
}

function main(files: string[]): void {
  const runs = files.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as Saved);
  for (const [bench, first] of Object.entries(runs[0].results)) {
    for (const [t, table] of first.tables.entries()) {
      const rows = table.rows.map((row, i) => {
        const same = runs.map((run) => run.results[bench]?.tables[t]?.rows[i]);
        const out: Record<string, Cell> = {};
        for (const [col, value] of Object.entries(row)) {
          const values = same.map((r) => r?.[col]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
          out[col] = typeof value === 'number' && values.length ? median(values) : value;
        }
        return out;
      });
      console.log(`\n### ${bench}: ${table.title}\n\n${markdown(rows)}`);
    }
  }
}

main(process.argv.slice(2));
