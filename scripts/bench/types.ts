/** The contract between the bench runner and each named benchmark module. */

export interface BenchContext {
  /** Fewer iterations, for a smoke run (`--quick`). */
  quick: boolean;
  /** Progress lines while a benchmark runs (stderr, so the table stays clean). */
  log(line: string): void;
}

export type Cell = string | number | boolean | null;

export interface Table {
  title: string;
  /** One row per measured case; columns are the union of the keys, in first-seen order. */
  rows: Record<string, Cell>[];
}

export interface BenchResult {
  tables: Table[];
  /**
   * Checks made in the same run. A failed sanity check (e.g. both implementations built the
   * same book) fails the run; a missed performance `target` is reported, not fatal, since
   * figures on a shared machine vary.
   */
  checks?: { name: string; pass: boolean; detail?: string; target?: boolean }[];
  notes?: string[];
}

export interface Benchmark {
  /** Short name used on the command line: `npm run bench -- orderbook`. */
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<BenchResult>;
}
