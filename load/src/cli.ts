/**
 * `npm run load -- <scenario> [options]`: runs a load scenario against the public API, prints
 * a progress line while it runs and a summary table per route after, judges the thresholds
 * and writes a JSON report. Exit 0 all thresholds passed, 1 one failed, 2 usage error or
 * target unreachable, 130 interrupted (Ctrl-C; the report covers what ran).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatReport } from './format';
import { ProgressLine, type ProgressStream } from './progress';
import { unreachableReason } from './reachability';
import { writeReport } from './report';
import { runScenario } from './run-scenario';
import { SCENARIOS } from './scenarios';
import { totalDuration } from './scenario';

export const DEFAULT_TARGET = 'http://127.0.0.1:8080';
export const DEFAULT_REPORTS_DIR = join(__dirname, '..', 'reports');

export const USAGE = `usage: npm run load -- <scenario> [--target URL] [--duration <s>] [--rate <n>] [--json] [--out <dir>]

Runs a scenario against keel's public API with the shopper mix (browse 10 : product page 5 :
recommendations 3 : checkout 1, each checkout with a fresh Idempotency-Key), prints a progress
line, then a table per route and PASS/FAIL per threshold, and writes a JSON report.

scenarios:
${Object.values(SCENARIOS)
  .map((s) => `  ${s.name.padEnd(8)} ${s.summary}`)
  .join('\n')}

options:
  --target URL      base URL of the public API (default ${DEFAULT_TARGET}, the edge)
  --duration <s>    run this many seconds in all; stages keep their share (at least 1 s each)
  --rate <n>        total req/s of the first stage; later stages keep their ratio to it
  --json            print the report as JSON instead of the table
  --out <dir>       where the report goes (default load/reports)
  -h, --help        this help

Errors are 5xx and other unexpected statuses, timeouts and connection failures; 409 (out of
stock) and 202 (accepted, settling later) are answers, not errors. Degraded = x-degraded set.
exit 0 every threshold passed, 1 a threshold failed, 2 usage error or target unreachable, 130 interrupted`;

export interface Io {
  /** Results: the table or the JSON. */
  out: (text: string) => void;
  /** Messages and errors. */
  err: (text: string) => void;
  /** Where the progress line goes (stderr, so --json stays clean). */
  progress: ProgressStream;
}

const processIo: Io = { out: (t) => console.log(t), err: (t) => console.error(t), progress: process.stderr };

class UsageError extends Error {}

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} must be a positive whole number, got '${value}'`);
  return n;
}

function parseTarget(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--target must be a URL like ${DEFAULT_TARGET}, got '${value}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--target must be http:// or https://, got '${value}'`);
  return url.origin;
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        json: { type: 'boolean' },
        target: { type: 'string' },
        duration: { type: 'string' },
        rate: { type: 'string' },
        out: { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Runs one command line; returns the exit code. Never throws. */
export async function main(argv: string[], io: Io = processIo, signal?: AbortSignal): Promise<number> {
  try {
    const { values, positionals } = parse(argv);
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    const [name, ...extra] = positionals;
    if (name === undefined) throw new UsageError(`which scenario? one of: ${Object.keys(SCENARIOS).join(', ')}`);
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
    const scenario = Object.hasOwn(SCENARIOS, name) ? SCENARIOS[name] : undefined;
    if (!scenario) throw new UsageError(`unknown scenario '${name}'; one of: ${Object.keys(SCENARIOS).join(', ')}`);
    const target = parseTarget(values.target ?? DEFAULT_TARGET);
    const durationS = positiveInt('duration', values.duration);
    const rate = positiveInt('rate', values.rate);

    const why = await unreachableReason(target);
    if (why) {
      io.err(`error: ${target} is not reachable (${why}). Is the stack up? ('npm start', or pass --target)`);
      return 2;
    }
    io.err(`${scenario.name}: ${scenario.stages.length} stage(s), ${durationS ?? totalDuration(scenario)} s against ${target}`);
    const report = await runScenario(scenario, { target, durationS, rate, signal, progress: new ProgressLine(io.progress) });
    const file = writeReport(report, values.out ?? DEFAULT_REPORTS_DIR);
    io.out(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
    io.err(`report: ${file}`);
    if (report.interrupted) return 130;
    return report.verdict === 'PASS' ? 0 : 1;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`error: ${error.message} (see 'npm run load -- --help')`);
      return 2;
    }
    io.err(`error: ${(error as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  const interrupt = new AbortController();
  process.once('SIGINT', () => interrupt.abort());
  void main(process.argv.slice(2), processIo, interrupt.signal).then((code) => process.exit(code));
}
