#!/usr/bin/env node
/**
 * bybit-sim: runs the simulator until SIGINT/SIGTERM.
 *   bybit-sim --port 8765 [--host 127.0.0.1] [--seed N] [--tick-ms 250] [--key K --secret S]... [--quiet]
 */
import { startSimulator, type SimulatorOptions } from './index';

const USAGE = 'usage: bybit-sim [--port 8765] [--host 127.0.0.1] [--seed N] [--tick-ms 250] [--key K --secret S]... [--verbose]';

export function parseArgs(argv: string[]): SimulatorOptions & { verbose: boolean } {
  const opts: SimulatorOptions & { verbose: boolean } = { port: 8765, verbose: false };
  const keys: string[] = [];
  const secrets: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const int = (): number => {
      const v = value();
      if (!/^\d+$/.test(v)) throw new Error(`${flag} expects a non-negative integer, got ${JSON.stringify(v)}`);
      return Number(v);
    };
    switch (flag) {
      case '--port': opts.port = int(); break;
      case '--host': opts.host = value(); break;
      case '--seed': opts.seed = int(); break;
      case '--tick-ms': opts.tickMs = int(); break;
      case '--key': keys.push(value()); break;
      case '--secret': secrets.push(value()); break;
      case '--verbose': opts.verbose = true; break;
      case '-h':
      case '--help':
        throw new Error(USAGE);
      default:
        throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  if (keys.length !== secrets.length) throw new Error('--key and --secret must come in pairs');
  if (keys.length > 0) opts.credentials = keys.map((key, i) => ({ key, secret: secrets[i] }));
  return opts;
}

async function main(): Promise<void> {
  let opts: ReturnType<typeof parseArgs>;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  const { verbose, ...simOpts } = opts;
  if (verbose) simOpts.log = (line) => process.stderr.write(`${line}\n`);
  // Handlers go in before the server starts so an early signal still shuts down cleanly.
  let stopRequested = false;
  let sim: Awaited<ReturnType<typeof startSimulator>> | undefined;
  const stop = (): void => {
    if (stopRequested) return;
    stopRequested = true;
    if (sim) sim.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  sim = await startSimulator(simOpts);
  if (stopRequested) {
    await sim.close();
    process.exit(0);
  }
  const urls = sim.paths().map((p) => sim!.url(p)).join(' ');
  const control = sim.url('/control').replace(/^ws:/, 'http:');
  process.stdout.write(`bybit-sim listening: ${urls} | control: ${control}/* | api keys: ${sim.credentials.map((c) => c.key).join(',') || '(none)'}\n`);
}

if (require.main === module) {
  main().catch((err: Error) => {
    process.stderr.write(`bybit-sim: ${err.message}\n`);
    process.exit(1);
  });
}
