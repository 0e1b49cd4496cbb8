#!/usr/bin/env node
/**
 * bybit-sim: runs the simulator until SIGINT/SIGTERM. Faults can be switched on from the
 * command line or, while running, through the HTTP control routes (POST /control/...).
 */
import { MALFORMED_KINDS, type MalformedKind } from './faults';
import { LEGACY_CLIENT_WIRE, startSimulator, type SimulatorOptions } from './index';
import { isSendableCloseCode } from './server';

const USAGE = `usage: bybit-sim [options]
  --port N              listen port (default 8765; 0 = any free port)
  --host H              bind address (default 127.0.0.1)
  --seed N              market data seed (default 1)
  --tick-ms N           market data cadence in ms (default 100; 0 = only POST /control/step)
  --key K --secret S    accepted API key pair (repeatable; default: sim-api-key / sim-api-secret)
  --delay-ms N          answer every request N ms late
  --reject-subscribe N  fail the first N subscribe requests
  --auth-reject         fail every auth
  --refuse-ms N         answer upgrades with HTTP 503 for the first N ms
  --drop-every N        drop every socket every N ms (see --drop-code, --drop-mode)
  --drop-code N         close code for --drop-every (default 1001)
  --drop-mode M         close | terminate (default close)
  --malformed-every N   send a malformed frame to every socket every N ms
  --malformed-kind K    ${MALFORMED_KINDS.join(' | ')} (default invalid-json)
  --clock-offset-ms N   run the server clock N ms ahead (negative: behind) of this machine's
  --book-u-skips        order book update ids move on by 1..3 at random
  --legacy-wire         private replies echo req_id and v1 executionReports come in arrays (older clients)
  --verbose             log connections and errors to stderr`;

export interface CliOptions extends SimulatorOptions {
  verbose: boolean;
  delayMs?: number;
  rejectSubscribe?: number;
  authReject: boolean;
  refuseMs?: number;
  dropEvery?: number;
  dropCode: number;
  dropMode: 'close' | 'terminate';
  malformedEvery?: number;
  malformedKind: MalformedKind;
}

export function parseArgs(argv: string[]): CliOptions {
  const opts: CliOptions = { port: 8765, verbose: false, authReject: false, dropCode: 1001, dropMode: 'close', malformedKind: 'invalid-json' };
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
      case '--delay-ms': opts.delayMs = int(); break;
      case '--reject-subscribe': opts.rejectSubscribe = int(); break;
      case '--auth-reject': opts.authReject = true; break;
      case '--refuse-ms': opts.refuseMs = int(); break;
      case '--drop-every': opts.dropEvery = int(); break;
      case '--drop-code': opts.dropCode = int(); break;
      case '--drop-mode': {
        const m = value();
        if (m !== 'close' && m !== 'terminate') throw new Error('--drop-mode is close or terminate');
        opts.dropMode = m;
        break;
      }
      case '--malformed-every': opts.malformedEvery = int(); break;
      case '--malformed-kind': {
        const k = value();
        if (!(MALFORMED_KINDS as readonly string[]).includes(k)) throw new Error(`--malformed-kind is one of ${MALFORMED_KINDS.join(', ')}`);
        opts.malformedKind = k as MalformedKind;
        break;
      }
      case '--clock-offset-ms': {
        const v = value();
        if (!/^-?\d+$/.test(v)) throw new Error(`--clock-offset-ms expects an integer, got ${JSON.stringify(v)}`);
        opts.clockOffsetMs = Number(v);
        break;
      }
      case '--book-u-skips': opts.bookUSkips = true; break;
      case '--legacy-wire': opts.wire = { ...LEGACY_CLIENT_WIRE }; break;
      case '--verbose': opts.verbose = true; break;
      case '-h':
      case '--help':
        throw new Error(USAGE);
      default:
        throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  if (opts.dropMode === 'close' && !isSendableCloseCode(opts.dropCode)) throw new Error(`--drop-code ${opts.dropCode} cannot be sent; use --drop-mode terminate for an abnormal close`);
  if (keys.length !== secrets.length) throw new Error('--key and --secret must come in pairs');
  if (keys.length > 0) opts.credentials = keys.map((key, i) => ({ key, secret: secrets[i] }));
  return opts;
}

async function main(): Promise<void> {
  let opts: CliOptions;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  const { port, host, seed, tickMs, credentials, clockOffsetMs, bookUSkips, wire } = opts;
  const log = opts.verbose ? (line: string) => process.stderr.write(`${line}\n`) : undefined;

  // Handlers go in before the server starts so an early signal still shuts down cleanly.
  const timers: NodeJS.Timeout[] = [];
  let stopRequested = false;
  let sim: Awaited<ReturnType<typeof startSimulator>> | undefined;
  const stop = (): void => {
    if (stopRequested) return;
    stopRequested = true;
    for (const t of timers) clearInterval(t);
    if (sim) sim.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const s = (sim = await startSimulator({ port, host, seed, tickMs, credentials, log, clockOffsetMs, bookUSkips, wire }));
  if (stopRequested) {
    await s.close();
    process.exit(0);
  }

  if (opts.delayMs) s.delayReplies(opts.delayMs);
  if (opts.rejectSubscribe) s.rejectNext(opts.rejectSubscribe);
  if (opts.authReject) s.setAuthRejection(true);
  if (opts.refuseMs) s.refuseConnections(opts.refuseMs);
  if (opts.dropEvery) timers.push(setInterval(() => s.dropAll({ mode: opts.dropMode, code: opts.dropCode, reason: 'bybit-sim --drop-every' }), opts.dropEvery));
  if (opts.malformedEvery) timers.push(setInterval(() => s.sendMalformed(opts.malformedKind), opts.malformedEvery));

  const urls = s.paths().map((p) => s.url(p)).join(' ');
  const control = s.url('/control').replace(/^ws:/, 'http:');
  process.stdout.write(`bybit-sim listening: ${urls} | control: ${control}/* | api keys: ${s.credentials.map((c) => c.key).join(',') || '(none)'}\n`);
}

if (require.main === module) {
  main().catch((err: Error) => {
    process.stderr.write(`bybit-sim: ${err.message}\n`);
    process.exit(1);
  });
}
