/**
 * The gateway benchmark (not a test): throughput and latency of `GET /api/products/:id` through
 * keel's real gateway — Nest on Fastify, validation, shedding, deadlines, resilience policies,
 * fallback chain, OpenTelemetry — beside a bare Fastify → undici hop making the same two
 * downstream calls. Every server is its own process; rounds are interleaved (bare, keel ×4
 * tracing modes, repeat) so machine noise hits all alike, and medians are reported. Then one CPU
 * profile of the keel gateway (tracing exported) under the same load says where the difference goes.
 * Prints tables and writes reports/bench/gateway.json (+ reports/bench/profiles/).
 *
 *   node -r @swc-node/register bench/gateway.bench.ts [--quick]
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { summariseProfile, type CpuProfile, type ProfileSummary, type Stage } from './support/cpuprofile';
import { load, median, productPage, type LoadResult } from './support/load';
import { measureCpu, rssMiB, type BenchProcess } from './support/processes';
import { describeMachine, fixed, machine, percent, required, table, writeReport } from './support/report';
import { otlpSinkStats, SAMPLED_RATIO, startBareGateway, startDownstreams, startKeelGateway, tracingEnv, type Downstreams, type Tracing } from './support/topology';

const quick = process.argv.includes('--quick');
const SECONDS = quick ? 3 : 10;
const WARMUP_SECONDS = quick ? 2 : 3;
const ROUNDS = quick ? 3 : 5;
const CONNECTIONS = 32;
/** keel's gateway path, tracing exported, should keep this share of the bare path's throughput. */
const TARGET_RATIO = 0.6;
const PROFILE_DIR = resolve('reports/bench/profiles');
const PROFILE_NAME = 'keel-gateway.cpuprofile';

/** Where a keel request's time goes, by stage (inclusive: a stage's share holds what it calls). */
const STAGES: Stage[] = [
  { stage: 'Nest router: guards, pipes, handler, interceptors', frame: /router-execution-context\.js/ },
  { stage: 'param and body pipes (the product id pattern; class-validator for DTOs)', frame: /^transform .*(validation\.pipe\.js|matching\.pipe\.ts)/ },
  { stage: 'keel load shedding hooks (and the hooks Fastify runs after them)', frame: /service-kit\/src\/http\/load-shedding\.ts/ },
  { stage: 'keel request span hooks (start, end)', frame: /service-kit\/src\/http\/request-span\.ts/ },
  { stage: 'keel deadline hooks (trust boundary, route deadline)', frame: /service-kit\/src\/http\/(inbound-deadline|trust-boundary)\.ts/ },
  { stage: 'keel request context hook (preHandler: enters it, once)', frame: /service-kit\/src\/http\/request-context\.ts/ },
  { stage: 'keel resilience policy stack, undici call inside it', frame: /^execute .*resilience\/src\/policies\/dependency-policy\.ts/ },
  { stage: 'keel HTTP spans (telemetry/http-spans.ts)', frame: /telemetry\/src\/http-spans\.ts/ },
  { stage: 'OpenTelemetry span end + batch processor + OTLP encoding', frame: /sdk-trace\/dist\/(Span|export\/BatchSpanProcessorBase)\.cjs|otlp-transformer|otlp-exporter-base/ },
  { stage: 'OpenTelemetry metrics recording', frame: /sdk-metrics\/dist/ },
  { stage: 'garbage collector', frame: /^\(garbage collector\) $/ },
];

interface Variant {
  key: string;
  label: string;
  /** Undefined: the bare peer. */
  tracing?: Tracing;
}

const VARIANTS: Variant[] = [
  { key: 'bare', label: 'bare Fastify → undici' },
  { key: 'keel-tracing-off', label: 'keel, tracing off', tracing: 'off' },
  { key: 'keel-tracing-recorded', label: 'keel, spans recorded, not exported (default)', tracing: 'recorded' },
  { key: 'keel-tracing-exported', label: 'keel, tracing on (OTLP export)', tracing: 'exported' },
  { key: 'keel-tracing-sampled', label: `keel, tracing on, ${SAMPLED_RATIO * 100}% of traces sampled`, tracing: 'sampled' },
];

interface Sample {
  load: LoadResult;
  cores: Record<string, number | undefined>;
  /** Calls the fixtures answered per gateway response: both paths must make the same two. */
  downstreamCallsPerResponse: number;
}

function startVariant(variant: Variant, d: Downstreams, extraEnv: Record<string, string> = {}): Promise<BenchProcess> {
  if (!variant.tracing) return startBareGateway(d);
  return startKeelGateway(variant.key, d, { ...tracingEnv(variant.tracing, d), ...extraEnv });
}

/** Both paths must give the same answer, or the comparison means nothing. */
async function checkSameAnswer(targets: Map<string, BenchProcess>): Promise<void> {
  for (const [key, target] of targets) {
    const response = await fetch(`${target.url}${productPage(0)}`);
    const body = (await response.json()) as { product?: { id?: string }; recommendations?: unknown[]; degraded?: unknown[] };
    if (response.status !== 200 || body.product?.id !== 'p-001' || body.recommendations?.length !== 4 || body.degraded?.length !== 0) {
      throw new Error(`${key} answered ${response.status} ${JSON.stringify(body)}: not the product page the benchmark expects`);
    }
  }
}

async function measure(target: BenchProcess, d: Downstreams, seconds: number): Promise<Sample> {
  const pids = { gateway: target.child.pid, catalog: d.catalog.child.pid, recommendations: d.recommendations.child.pid, 'otlp sink': d.otlpSink.child.pid };
  const servedBefore = await downstreamServed(d);
  const { result, cores } = await measureCpu(pids, () => load({ url: target.url, path: productPage, connections: CONNECTIONS, seconds }));
  // Requests still in flight when autocannon stopped were served too: a small overcount.
  const served = (await downstreamServed(d)) - servedBefore;
  return { load: result, cores, downstreamCallsPerResponse: served / result.responses };
}

async function downstreamServed(d: Downstreams): Promise<number> {
  const served = async (p: BenchProcess) => ((await (await fetch(`${p.url}/stats`)).json()) as { served: number }).served;
  return (await served(d.catalog)) + (await served(d.recommendations));
}

/** One more keel gateway (tracing exported), profiled over exactly the loaded seconds. */
async function profileKeel(d: Downstreams): Promise<{ file: string; summary: ProfileSummary; load: LoadResult }> {
  const file = resolve(PROFILE_DIR, PROFILE_NAME);
  rmSync(file, { force: true });
  const env = { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${PROFILE_DIR} --cpu-prof-name=${PROFILE_NAME}` };
  const gateway = await startVariant(required(VARIANTS.find((v) => v.tracing === 'exported'), 'exported variant'), d, env);
  let window: [number, number];
  let result: LoadResult;
  try {
    await load({ url: gateway.url, path: productPage, connections: CONNECTIONS, seconds: WARMUP_SECONDS });
    // V8's profile clock and process.hrtime are both the monotonic clock, in the same units (µs).
    const from = Number(process.hrtime.bigint() / 1_000n);
    result = await load({ url: gateway.url, path: productPage, connections: CONNECTIONS, seconds: SECONDS });
    window = [from, Number(process.hrtime.bigint() / 1_000n)];
  } finally {
    await gateway.stop(); // the profile is written as the process exits
  }
  if (!existsSync(file)) throw new Error(`no profile at ${file}`);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const inside = window[0] >= profile.startTime && window[1] <= profile.endTime;
  const summary = summariseProfile(profile, { ...(inside ? { fromUs: window[0], toUs: window[1] } : { fromUs: profile.endTime - SECONDS * 1e6 }), stages: STAGES });
  return { file, summary, load: result };
}

async function main(): Promise<void> {
  const m = machine();
  console.log(`gateway bench: ${describeMachine(m)}; ${ROUNDS} rounds × ${SECONDS} s at ${CONNECTIONS} connections per variant, interleaved, median`);
  const d = await startDownstreams();
  const targets = new Map<string, BenchProcess>();
  const samples = new Map<string, Sample[]>(VARIANTS.map((v) => [v.key, []]));
  let spansPerResponse: number | undefined;
  let sampledSpansPerResponse: number | undefined;
  let profile: Awaited<ReturnType<typeof profileKeel>> | undefined;
  let rss: Record<string, number | undefined> = {};
  try {
    // One at a time: a Nest start is CPU-heavy, and the other variants should not pay for it.
    for (const variant of VARIANTS) targets.set(variant.key, await startVariant(variant, d));
    await checkSameAnswer(targets);
    for (const variant of VARIANTS) await load({ url: required(targets.get(variant.key), variant.key).url, path: productPage, connections: CONNECTIONS, seconds: WARMUP_SECONDS });
    const responsesOf = { exported: 0, sampled: 0 };
    const spansBefore = { exported: (await otlpSinkStats(d.otlpSink)).spans, sampled: (await otlpSinkStats(d.otlpSampledSink)).spans };
    for (let round = 0; round < ROUNDS; round++) {
      for (const variant of VARIANTS) {
        const sample = await measure(required(targets.get(variant.key), variant.key), d, SECONDS);
        required(samples.get(variant.key), variant.key).push(sample);
        if (variant.tracing === 'exported' || variant.tracing === 'sampled') responsesOf[variant.tracing] += sample.load.responses;
        console.log(`  round ${round + 1} ${variant.label}: ${fixed(sample.load.reqPerSec)} req/s, p99 ${fixed(sample.load.p99Ms, 1)} ms`);
      }
    }
    rss = Object.fromEntries([...targets].map(([key, target]) => [key, rssMiB(target.child.pid)]));
    // The batch processor exports within 5 s of a span ending; wait for the last batch before counting.
    await new Promise((done) => setTimeout(done, 5_500));
    spansPerResponse = ((await otlpSinkStats(d.otlpSink)).spans - spansBefore.exported) / responsesOf.exported;
    sampledSpansPerResponse = ((await otlpSinkStats(d.otlpSampledSink)).spans - spansBefore.sampled) / responsesOf.sampled;
  } finally {
    await Promise.all([...targets.values()].map((t) => t.stop()));
  }
  try {
    profile = await profileKeel(d);
  } finally {
    await d.stop();
  }

  // Ratios are taken round by round (each variant against the bare run just before it), then the
  // median: slow drift in what else the machine is doing cancels out within a round.
  const bareRuns = required(samples.get('bare'), 'bare');
  const perCpu = (s: Sample) => (s.cores.gateway ? s.load.reqPerSec / s.cores.gateway : undefined);
  const paired = (runs: Sample[], pick: (s: Sample) => number | undefined) =>
    median(runs.flatMap((s, i) => {
      const [mine, theirs] = [pick(s), pick(bareRuns[i])];
      return mine !== undefined && theirs ? [mine / theirs] : [];
    }));
  const rows = VARIANTS.map((variant) => {
    const runs = required(samples.get(variant.key), variant.key);
    const of = (pick: (s: Sample) => number | undefined) => median(runs.map(pick).filter((v): v is number => v !== undefined));
    const reqPerSec = of((s) => s.load.reqPerSec);
    // Throughput per CPU-second the gateway used: on a shared machine the gateway rarely gets a
    // whole core, and this is what stays comparable when it does not.
    const perCpuSecond = of(perCpu);
    const responses = runs.reduce((a, s) => a + s.load.responses, 0);
    const ok = runs.reduce((a, s) => a + (s.load.statuses['200'] ?? 0), 0);
    return {
      key: variant.key,
      label: variant.label,
      reqPerSec,
      p50Ms: of((s) => s.load.p50Ms),
      p99Ms: of((s) => s.load.p99Ms),
      ratioToBare: paired(runs, (s) => s.load.reqPerSec),
      perCpuSecond,
      perCpuRatioToBare: paired(runs, perCpu),
      okShare: ok / responses,
      downstreamCallsPerResponse: of((s) => s.downstreamCallsPerResponse),
      errors: runs.reduce((a, s) => a + s.load.errors, 0),
      rounds: runs.map((s) => ({ reqPerSec: s.load.reqPerSec, p50Ms: s.load.p50Ms, p99Ms: s.load.p99Ms, statuses: s.load.statuses, cores: s.cores })),
      cores: Object.fromEntries(Object.keys(runs[0].cores).map((name) => [name, of((s) => s.cores[name])])),
      rssMiB: rss[variant.key],
    };
  });

  console.log(
    '\n' +
      table(
        ['GET /api/products/:id', 'req/s', 'p50 ms', 'p99 ms', '× bare', 'req/CPU-s', '× bare', '200s', 'calls/resp', 'gateway CPU', 'catalog CPU', 'recs CPU', 'autocannon CPU'],
        rows.map((r) => [
          r.label,
          fixed(r.reqPerSec),
          fixed(r.p50Ms, 1),
          fixed(r.p99Ms, 1),
          fixed(r.ratioToBare, 2),
          fixed(r.perCpuSecond),
          fixed(r.perCpuRatioToBare, 2),
          percent(r.okShare, 1),
          fixed(r.downstreamCallsPerResponse, 2),
          fixed(r.cores.gateway, 2),
          fixed(r.cores.catalog, 2),
          fixed(r.cores.recommendations, 2),
          fixed(r.cores['load generator (autocannon)'], 2),
        ]),
      ),
  );
  console.log(`CPU in cores (1.00 = one core busy throughout). Spans exported per response: ${fixed(spansPerResponse, 2)} (tracing on), ${fixed(sampledSpansPerResponse, 2)} (${SAMPLED_RATIO * 100}% sampled)`);
  const traced = required(rows.find((r) => r.key === 'keel-tracing-exported'), 'traced row');
  const tracedPerCpu = traced.perCpuRatioToBare;
  console.log(`keel (tracing on) / bare: ${fixed(traced.ratioToBare, 2)} in req/s, ${fixed(tracedPerCpu, 2)} per gateway CPU-second (target ≥ ${TARGET_RATIO}: ${traced.ratioToBare >= TARGET_RATIO ? 'met' : 'not met'})`);
  const sampled = rows.find((r) => r.key === 'keel-tracing-sampled');
  if (sampled) console.log(`keel (${SAMPLED_RATIO * 100}% of traces sampled) / bare: ${fixed(sampled.ratioToBare, 2)} in req/s`);

  if (profile) {
    const s = profile.summary;
    console.log(`\nprofile of keel, tracing on: ${fixed(profile.load.reqPerSec)} req/s while profiled; ${fixed(s.busyMs)} ms busy, ${fixed(s.idleMs)} ms idle over ${fixed(s.windowMs)} ms (${profile.file})`);
    console.log(table(['self time by package', 'ms', 'share of busy'], s.groups.map((g) => [g.group, fixed(g.ms), percent(g.share, 1)])));
    console.log('\n' + table(['top self-time functions', 'package', 'where', 'share'], s.top.map((f) => [f.name, f.group, f.where, percent(f.share, 1)])));
    console.log('\n' + table(['stage (inclusive; stages overlap)', 'share of busy'], s.stages.map((x) => [x.stage, percent(x.share, 1)])));
  }

  const out = writeReport('gateway', {
    machine: m,
    loadAverageAfter: loadavg()[0],
    command: `npm run bench -- gateway${quick ? ' --quick' : ''}`,
    seconds: SECONDS,
    warmupSeconds: WARMUP_SECONDS,
    rounds: ROUNDS,
    connections: CONNECTIONS,
    statistic: 'median of rounds',
    targetRatio: TARGET_RATIO,
    ratio: traced.ratioToBare,
    ratioPerCpuSecond: tracedPerCpu,
    met: traced.ratioToBare >= TARGET_RATIO,
    spansPerResponse,
    sampledSpansPerResponse,
    rows,
    profile: profile && { file: profile.file, reqPerSec: profile.load.reqPerSec, ...profile.summary },
  });
  console.log(`\nwrote ${out}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
