/**
 * The resilience benchmark (not a test): nanoseconds per call for a bare async call, each keel
 * policy alone and the whole keel stack, beside the same built from raw cockatiel, measured in
 * one run with rounds interleaved so machine noise hits both alike; then the retry amplification
 * figure. Prints a table and writes reports/bench/resilience.json.
 *
 *   node -r @swc-node/register libs/resilience/bench/resilience.bench.ts [--quick]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import {
  bulkhead,
  circuitBreaker,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleAll,
  retry,
  timeout,
  TimeoutStrategy,
  wrap,
  type IPolicy,
} from 'cockatiel';
import { Bulkhead, CircuitBreaker, classifyFailure, dependencyPolicy, NEVER_ABORTED, POLICY_DEFAULTS, RetryBudget, RetryPolicy, TimeoutPolicy } from '../src/policies';
import { systemClock, type CallOptions } from '../src/types';
import { amplification } from './amplification';
import { median, nsPerCall, table, type Call } from './measure';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 3 : 7;
const CALLS = quick ? 10_000 : 40_000;
const IN_FLIGHT = [1, 16];

// The protected operation: declares the signal, as a real HTTP call (undici `signal`) would.
const op = (signal: AbortSignal): Promise<number> => Promise.resolve(signal ? 1 : 0);
const far = Date.now() + 3_600_000;
const call: CallOptions = { idempotent: true, deadline: { remainingMs: () => far - Date.now() } };
const callWithSignal: CallOptions = { ...call, signal: new AbortController().signal };
// As a server sees them: each request's deadline leaves a different time (here 0.5–2.5 s), so each
// call's timeout has its own duration.
const varied: CallOptions[] = Array.from({ length: 997 }, (_, i) => ({ idempotent: true, deadline: { remainingMs: () => 500 + ((i * 7_919) % 2_000) + 0.37 } }));
let next = 0;
const variedCall = (): CallOptions => varied[(next = (next + 1) % varied.length)];

const clock = systemClock;
const d = POLICY_DEFAULTS;
const keelTimeout = new TimeoutPolicy('bench', d.timeout, clock);
const keelRetry = new RetryPolicy('bench', d.retry, new RetryBudget('bench', d.budget, clock), classifyFailure, clock);
const keelBreaker = new CircuitBreaker('bench', d.breaker, classifyFailure, clock);
const keelBulkhead = new Bulkhead('bench', d.bulkhead, clock);
const keelStack = dependencyPolicy('bench');

// cockatiel with the same settings, in the same order as keel's stack (see dependency-policy.ts).
const cockatielTimeout = timeout(d.timeout.timeoutMs, TimeoutStrategy.Aggressive);
const cockatielRetry = retry(handleAll, { maxAttempts: d.retry.maxAttempts - 1, backoff: new ExponentialBackoff({ initialDelay: d.retry.baseDelayMs, maxDelay: d.retry.maxDelayMs }) });
const cockatielBreaker = circuitBreaker(handleAll, { halfOpenAfter: d.breaker.openMs, breaker: new ConsecutiveBreaker(d.breaker.consecutiveFailures) });
const cockatielBulkhead = bulkhead(d.bulkhead.maxConcurrent, d.bulkhead.maxQueued);
const cockatielStack = wrap(bulkhead(d.bulkhead.maxConcurrent, d.bulkhead.maxQueued), cockatielRetry, cockatielBreaker, timeout(d.timeout.timeoutMs, TimeoutStrategy.Aggressive));
const viaCockatiel = (policy: IPolicy): Call => () => policy.execute(({ signal }) => op(signal));

const cases: Array<{ name: string; keel: Call; cockatiel?: Call }> = [
  { name: 'bare async call', keel: () => op(NEVER_ABORTED) },
  { name: 'timeout', keel: () => keelTimeout.execute(op, call), cockatiel: viaCockatiel(cockatielTimeout) },
  { name: 'retry (keel: + budget)', keel: () => keelRetry.execute(op, call), cockatiel: viaCockatiel(cockatielRetry) },
  { name: 'circuit breaker', keel: () => keelBreaker.execute(op, call), cockatiel: viaCockatiel(cockatielBreaker) },
  { name: 'bulkhead', keel: () => keelBulkhead.execute(op, call), cockatiel: viaCockatiel(cockatielBulkhead) },
  { name: 'full stack', keel: () => keelStack.execute(op, call), cockatiel: viaCockatiel(cockatielStack) },
  { name: 'full stack + caller signal', keel: () => keelStack.execute(op, callWithSignal) },
  { name: 'full stack, per-call deadlines', keel: () => keelStack.execute(op, variedCall()) },
];

interface Row {
  name: string;
  inFlight: number;
  keelNs: number;
  cockatielNs?: number;
}

async function measureAll(): Promise<Row[]> {
  const samples = new Map<string, number[]>();
  const sample = (key: string, ns: number) => samples.set(key, [...(samples.get(key) ?? []), ns]);
  for (const { keel, cockatiel } of cases) {
    for (let i = 0; i < 20_000; i++) await keel(); // warm-up: let the JIT settle
    if (cockatiel) for (let i = 0; i < 20_000; i++) await cockatiel();
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const inFlight of IN_FLIGHT) {
      for (const { name, keel, cockatiel } of cases) {
        sample(`keel|${name}|${inFlight}`, await nsPerCall(keel, CALLS, inFlight));
        if (cockatiel) sample(`cockatiel|${name}|${inFlight}`, await nsPerCall(cockatiel, CALLS, inFlight));
      }
    }
  }
  return IN_FLIGHT.flatMap((inFlight) =>
    cases.map(({ name, cockatiel }) => ({
      name,
      inFlight,
      keelNs: median(samples.get(`keel|${name}|${inFlight}`) ?? []),
      cockatielNs: cockatiel ? median(samples.get(`cockatiel|${name}|${inFlight}`) ?? []) : undefined,
    })),
  );
}

async function main(): Promise<void> {
  // Load from other processes inflates every figure (keel's and cockatiel's alike): it is recorded.
  const loadBefore = loadavg()[0];
  console.log(`resilience bench: node ${process.version}, ${cpus()[0]?.model ?? 'cpu?'} ×${cpus().length}, load ${loadBefore.toFixed(2)}, ${ROUNDS} rounds × ${CALLS} calls, median`);
  const rows = await measureAll();
  const ns = (value: number | undefined) => (value === undefined ? '–' : value.toFixed(0));
  console.log(
    '\n' +
      table(
        ['policy', 'in flight', 'keel ns/call', 'cockatiel ns/call', 'cockatiel / keel'],
        rows.map((r) => [r.name, String(r.inFlight), ns(r.keelNs), ns(r.cockatielNs), r.cockatielNs ? `${(r.cockatielNs / r.keelNs).toFixed(1)}×` : '–']),
      ),
  );

  const scenarios: Array<[number, number]> = [
    [0.5, 1_000],
    [0.5, 10],
    [1, 1_000],
  ];
  const amplified = [];
  for (const [rate, rps] of scenarios) for (const budget of [false, true]) amplified.push(await amplification(rate, rps, 60, budget));
  console.log('\nretry amplification (3 attempts, zero backoff, simulated clock, 60 s of traffic; breaker and bulkhead off)');
  console.log(
    table(
      ['dependency fails', 'requests/s', 'budget', 'originals', 'requests seen', 'seen per original'],
      amplified.map((a) => [`${a.failureRate * 100}%`, String(a.requestsPerSecond), a.budget ? 'yes' : 'no', String(a.originals), String(a.seen), `${a.perOriginal.toFixed(3)}×`]),
    ),
  );

  const full = rows.find((r) => r.name === 'full stack' && r.inFlight === 1);
  const report = {
    node: process.version,
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    loadAverage: { before: loadBefore, after: loadavg()[0] },
    date: new Date().toISOString(),
    rounds: ROUNDS,
    callsPerRound: CALLS,
    statistic: 'median of rounds',
    targetFullStackNs: 2_000,
    fullStackNs: full?.keelNs,
    rows,
    amplification: amplified,
  };
  const out = resolve(process.cwd(), 'reports/bench/resilience.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
  console.log(`\nfull keel stack: ${ns(full?.keelNs)} ns/call (target ≤ 2000) · wrote ${out}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
