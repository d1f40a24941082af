/**
 * The overload benchmark (not a test): what Tier-1 traffic gets when the gateway is offered twice
 * what it can serve, with load shedding on and off. First the capacity: closed-loop throughput of
 * the Tier-1 route (`GET /api/products/:id`, product-detail) at 32 connections, with its p99. Then
 * 2× that as a fixed rate, half Tier 1 and half Tier 2 (`GET /api/products/:id/recommendations`),
 * so Tier 1 alone is offered exactly the capacity: the best shedding can do is serve all of it by
 * refusing Tier 2. Three gateways, interleaved: shedding off (`KEEL_SHEDDING=off`), on with the
 * defaults, and on with the in-flight limit set from the capacity run (`KEEL_SHED_LIMIT_IN_FLIGHT`).
 * Prints a table and writes reports/bench/overload.json.
 *
 * Beside them, what a refusal costs (a gateway that refuses nearly all of a closed-loop run) and
 * what an answer costs at capacity, both in gateway CPU: from those and the CPU each gateway had,
 * the most Tier 1 could get (T1 bound). Refusing Tier 2 is not free, so that bound is under 100%,
 * and it says how much of the gap to the target is shedding's and how much is the machine's.
 *
 * autocannon is closed-loop underneath: a rate is spread over a fixed set of connections, each
 * with one request outstanding. So that the offered rate holds while answers slow down, each tier
 * gets many connections; the report gives the rate really sent beside the one asked for. The rate
 * is paced in 20 staggered groups (support/load.ts, pacedLoad): autocannon alone sends each
 * second's requests in one burst at its start. The load generator runs below the servers'
 * priority (support/processes.ts, yieldToServers), so a short CPU slows it, not the fixtures.
 *
 *   node -r @swc-node/register bench/overload.bench.ts [--quick]
 */
import { loadavg } from 'node:os';
import { load, median, productPage, recommendationsWidget, type LoadResult } from './support/load';
import { measureCpu, yieldToServers, type BenchProcess } from './support/processes';
import { describeMachine, fixed, machine, percent, required, sleep, table, writeReport } from './support/report';
import { startDownstreams, startKeelGateway, type Downstreams } from './support/topology';

const quick = process.argv.includes('--quick');
const SECONDS = quick ? 3 : 10;
const WARMUP_SECONDS = quick ? 2 : 3;
const ROUNDS = quick ? 1 : 3;
const CAPACITY_CONNECTIONS = 32;
/** Per tier during overload: enough that a few hundred ms of latency does not throttle the rate. */
const OVERLOAD_CONNECTIONS = 256;
const CAPACITY_P99_LIMIT_MS = 500;
/** Tier-1 goodput under 2× overload, as a share of capacity, with shedding on. */
const TARGET_SHARE = 0.9;
/** Between runs: let the previous run's backlog drain and the shedder's windows reset. */
const SETTLE_MS = 3_000;

interface Config {
  key: string;
  label: string;
  env: (capacity: Capacity) => Record<string, string>;
}

interface Capacity {
  reqPerSec: number;
  p99Ms: number;
  /** Requests in flight at capacity (Little's law: throughput × mean latency ≈ the connections). */
  inFlight: number;
  /** Gateway CPU per Tier-1 answer at capacity, µs (undefined off Linux). */
  cpuPerAnswerUs?: number;
}

/** What one refusal costs the gateway, measured on its own (see measureRefusalCost). */
interface RefusalCost {
  cpuPerRefusalUs?: number;
  refused: number;
  served: number;
}

/**
 * The tuned in-flight limit, as a multiple of the in-flight count at capacity. 2× puts Tier 2's
 * threshold (75%) at 1.5× capacity's concurrency and Tier 1's below what the catalog bulkhead
 * admits (32 running + 64 queued): above that, the bulkhead refuses Tier 1 before the shedder
 * has refused any Tier 2.
 */
const TUNED_IN_FLIGHT_FACTOR = 2;
const tunedInFlight = (c: Capacity) => Math.max(8, Math.round(c.inFlight * TUNED_IN_FLIGHT_FACTOR));

const CONFIGS: Config[] = [
  { key: 'shedding-off', label: 'shedding off', env: () => ({ KEEL_SHEDDING: 'off' }) },
  { key: 'shedding-default', label: 'shedding on, default limits', env: () => ({}) },
  { key: 'shedding-tuned', label: 'shedding on, in-flight limit from capacity', env: (c) => ({ KEEL_SHED_LIMIT_IN_FLIGHT: String(tunedInFlight(c)) }) },
];

interface OverloadSample {
  tier1: LoadResult;
  tier2: LoadResult;
  /** Requests the gateway's shedder refused during the run, by tier (from its /metrics). */
  shed: Record<1 | 2 | 3, number>;
  gatewayCores?: number;
}

async function measureCapacity(gateway: BenchProcess): Promise<Capacity> {
  await load({ url: gateway.url, path: productPage, connections: CAPACITY_CONNECTIONS, seconds: WARMUP_SECONDS });
  const runs: { load: LoadResult; cpuSeconds?: number }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const { result, cores } = await measureCpu({ gateway: gateway.child.pid }, () => load({ url: gateway.url, path: productPage, connections: CAPACITY_CONNECTIONS, seconds: SECONDS }));
    runs.push({ load: result, cpuSeconds: cores.gateway === undefined ? undefined : cores.gateway * result.seconds });
    await sleep(SETTLE_MS / 3);
  }
  const perAnswer = runs.flatMap((r) => (r.cpuSeconds === undefined ? [] : [(r.cpuSeconds * 1e6) / r.load.responses]));
  return {
    reqPerSec: median(runs.map((r) => r.load.okPerSec)),
    p99Ms: median(runs.map((r) => r.load.p99Ms)),
    inFlight: CAPACITY_CONNECTIONS,
    cpuPerAnswerUs: perAnswer.length ? median(perAnswer) : undefined,
  };
}

/**
 * The gateway's CPU per refusal: a gateway whose in-flight limit is 1 refuses nearly every Tier-2
 * request of a closed-loop run, and its CPU over the run, less what the few it served cost (at the
 * Tier-1 page's cost, more than a widget's: the refusal cost comes out low, never high), is divided
 * among the refusals. With the answer cost at capacity this bounds what shedding can do (below).
 */
async function measureRefusalCost(d: Downstreams, capacity: Capacity): Promise<RefusalCost> {
  const gateway = await startKeelGateway('refusal-cost', d, { KEEL_SHED_LIMIT_IN_FLIGHT: '1' });
  try {
    await load({ url: gateway.url, path: recommendationsWidget, connections: CAPACITY_CONNECTIONS, seconds: WARMUP_SECONDS });
    const shedBefore = await shedCounts(gateway.url);
    const { result, cores } = await measureCpu({ gateway: gateway.child.pid }, () => load({ url: gateway.url, path: recommendationsWidget, connections: CAPACITY_CONNECTIONS, seconds: SECONDS }));
    const refused = (await shedCounts(gateway.url))[2] - shedBefore[2];
    const served = result.statuses['200'] ?? 0;
    const cpuUs = cores.gateway === undefined ? undefined : cores.gateway * result.seconds * 1e6;
    const cpuPerRefusalUs = cpuUs === undefined || capacity.cpuPerAnswerUs === undefined || refused === 0 ? undefined : Math.max(0, cpuUs - served * capacity.cpuPerAnswerUs) / refused;
    return { cpuPerRefusalUs, refused, served };
  } finally {
    await gateway.stop();
  }
}

/**
 * The most Tier 1 can get, as a share of capacity, from a gateway that had `cores` of CPU: what is
 * left after refusing all of Tier 2 (capacity × refusal cost), spent on Tier-1 answers at their
 * cost at capacity. Assumes no Tier-1 refusal and no Tier-2 answer, so it is an upper bound.
 */
function shedBound(capacity: Capacity, refusal: RefusalCost, cores: number | undefined): number | undefined {
  if (cores === undefined || capacity.cpuPerAnswerUs === undefined || refusal.cpuPerRefusalUs === undefined) return undefined;
  const left = cores * 1e6 - capacity.reqPerSec * refusal.cpuPerRefusalUs;
  return Math.min(1, Math.max(0, left / (capacity.reqPerSec * capacity.cpuPerAnswerUs)));
}

async function overload(gateway: BenchProcess, capacity: Capacity): Promise<OverloadSample> {
  const tierRate = Math.round(capacity.reqPerSec);
  const shedBefore = await shedCounts(gateway.url);
  const { result, cores } = await measureCpu({ gateway: gateway.child.pid }, () =>
    Promise.all([
      load({ url: gateway.url, path: productPage, connections: OVERLOAD_CONNECTIONS, seconds: SECONDS, rate: tierRate }),
      load({ url: gateway.url, path: recommendationsWidget, connections: OVERLOAD_CONNECTIONS, seconds: SECONDS, rate: tierRate }),
    ]),
  );
  const shedAfter = await shedCounts(gateway.url);
  const shed = { 1: shedAfter[1] - shedBefore[1], 2: shedAfter[2] - shedBefore[2], 3: shedAfter[3] - shedBefore[3] };
  return { tier1: result[0], tier2: result[1], shed, gatewayCores: cores.gateway };
}

/** `keel_shed_requests_total` summed over signals, per tier: what the shedder itself counted. */
async function shedCounts(url: string): Promise<Record<1 | 2 | 3, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const counts = { 1: 0, 2: 0, 3: 0 };
  for (const [, labels, value] of text.matchAll(/^keel_shed_requests_total\{([^}]*)\} (\S+)$/gm)) {
    const tier = /priority="tier-([123])"/.exec(labels)?.[1];
    if (tier) counts[Number(tier) as 1 | 2 | 3] += Number(value);
  }
  return counts;
}

function startConfig(config: Config, d: Downstreams, capacity: Capacity): Promise<BenchProcess> {
  return startKeelGateway(config.key, d, config.env(capacity));
}

async function main(): Promise<void> {
  yieldToServers();
  const m = machine();
  console.log(`overload bench: ${describeMachine(m)}; ${ROUNDS} rounds × ${SECONDS} s, interleaved, median`);
  const d = await startDownstreams();
  const gateways = new Map<string, BenchProcess>();
  const samples = new Map<string, OverloadSample[]>(CONFIGS.map((c) => [c.key, []]));
  let capacity: Capacity;
  let refusal: RefusalCost;
  try {
    // Capacity is measured on the default gateway: below its limits shedding never refuses anything.
    const probe = await startConfig(CONFIGS[1], d, { reqPerSec: 0, p99Ms: 0, inFlight: 0 });
    try {
      capacity = await measureCapacity(probe);
    } finally {
      await probe.stop();
    }
    console.log(`  capacity (Tier 1 only, ${CAPACITY_CONNECTIONS} connections, closed loop): ${fixed(capacity.reqPerSec)} req/s, p99 ${fixed(capacity.p99Ms, 1)} ms, ${fixed(capacity.cpuPerAnswerUs)} µs of gateway CPU per answer`);
    refusal = await measureRefusalCost(d, capacity);
    console.log(`  refusal cost: ${fixed(refusal.cpuPerRefusalUs, 1)} µs of gateway CPU per refusal (${refusal.refused} refused, ${refusal.served} served)`);
    for (const config of CONFIGS) gateways.set(config.key, await startConfig(config, d, capacity));
    for (const config of CONFIGS) await load({ url: required(gateways.get(config.key), config.key).url, path: productPage, connections: CAPACITY_CONNECTIONS, seconds: WARMUP_SECONDS });
    for (let round = 0; round < ROUNDS; round++) {
      for (const config of CONFIGS) {
        await sleep(SETTLE_MS);
        const sample = await overload(required(gateways.get(config.key), config.key), capacity);
        required(samples.get(config.key), config.key).push(sample);
        const t1 = sample.tier1;
        console.log(`  round ${round + 1} ${config.label}: Tier 1 ${fixed(t1.okPerSec)} 2xx/s, p99 ${fixed(t1.p99Ms)} ms, ${JSON.stringify(t1.statuses)}; Tier 2 ${JSON.stringify(sample.tier2.statuses)}; shed ${JSON.stringify(sample.shed)}`);
      }
    }
  } finally {
    await Promise.all([...gateways.values()].map((g) => g.stop()));
    await d.stop();
  }

  const rows = CONFIGS.map((config) => {
    const runs = required(samples.get(config.key), config.key);
    const of = (pick: (s: OverloadSample) => number | undefined) => median(runs.map(pick).filter((v): v is number => v !== undefined));
    const tier1Ok = of((s) => s.tier1.okPerSec);
    return {
      key: config.key,
      label: config.label,
      env: config.env(capacity),
      offeredPerTier: Math.round(capacity.reqPerSec),
      tier1SentPerSec: of((s) => s.tier1.sentPerSec),
      tier2SentPerSec: of((s) => s.tier2.sentPerSec),
      tier1OkPerSec: tier1Ok,
      tier1ShareOfCapacity: tier1Ok / capacity.reqPerSec,
      tier1P50Ms: of((s) => s.tier1.p50Ms),
      tier1P99Ms: of((s) => s.tier1.p99Ms),
      tier2OkPerSec: of((s) => s.tier2.okPerSec),
      tier1AnsweredPerSec: of((s) => s.tier1.reqPerSec),
      tier2AnsweredPerSec: of((s) => s.tier2.reqPerSec),
      tier2ShedShare: of((s) => share503(s.tier2)),
      /** Tier-1 answers the shedder refused (its own count), and the other failures (503 dependency unavailable, 504). */
      // The shedder also counts refusals whose answers arrived after autocannon stopped counting: clamped.
      tier1ShedShare: of((s) => (s.tier1.responses ? Math.min(1, s.shed[1] / s.tier1.responses) : 0)),
      tier1FailedShare: of((s) => (s.tier1.responses ? Math.max(0, s.tier1.responses - (s.tier1.statuses['200'] ?? 0) - s.shed[1]) / s.tier1.responses : 0)),
      tier1Statuses: runs.map((s) => s.tier1.statuses),
      tier2Statuses: runs.map((s) => s.tier2.statuses),
      shed: runs.map((s) => s.shed),
      gatewayCores: of((s) => s.gatewayCores),
      /** The most Tier 1 could have got with the CPU this gateway had (shedBound). */
      tier1Bound: shedBound(capacity, refusal, of((s) => s.gatewayCores)),
      rounds: runs.map((s) => ({ tier1: s.tier1, tier2: s.tier2, gatewayCores: s.gatewayCores })),
    };
  });

  console.log(`\ncapacity: ${fixed(capacity.reqPerSec)} req/s of Tier 1 at ${CAPACITY_CONNECTIONS} connections, p99 ${fixed(capacity.p99Ms, 1)} ms (limit ${CAPACITY_P99_LIMIT_MS} ms)`);
  console.log(`offered: 2 × capacity = ${Math.round(capacity.reqPerSec)} req/s Tier 1 + ${Math.round(capacity.reqPerSec)} req/s Tier 2, ${OVERLOAD_CONNECTIONS} connections each`);
  console.log(
    table(
      ['gateway', 'T1 sent/s', 'T1 answered/s', 'T1 2xx/s', 'T1 / capacity', 'T1 p50 ms', 'T1 p99 ms', 'T1 shed', 'T1 failed', 'T2 sent/s', 'T2 answered/s', 'T2 2xx/s', 'T2 shed', 'gateway CPU', 'T1 bound'],
      rows.map((r) => [
        r.label,
        fixed(r.tier1SentPerSec),
        fixed(r.tier1AnsweredPerSec),
        fixed(r.tier1OkPerSec),
        percent(r.tier1ShareOfCapacity),
        fixed(r.tier1P50Ms),
        fixed(r.tier1P99Ms),
        percent(r.tier1ShedShare, 1),
        percent(r.tier1FailedShare, 1),
        fixed(r.tier2SentPerSec),
        fixed(r.tier2AnsweredPerSec),
        fixed(r.tier2OkPerSec),
        percent(r.tier2ShedShare),
        fixed(r.gatewayCores, 2),
        r.key === 'shedding-off' || r.tier1Bound === undefined ? '–' : percent(r.tier1Bound),
      ]),
    ),
  );
  const best = rows.filter((r) => r.key !== 'shedding-off').sort((a, b) => b.tier1ShareOfCapacity - a.tier1ShareOfCapacity)[0];
  console.log(`best with shedding: ${best.label}, Tier 1 at ${percent(best.tier1ShareOfCapacity)} of capacity (target ≥ ${percent(TARGET_SHARE)}: ${best.tier1ShareOfCapacity >= TARGET_SHARE ? 'met' : 'not met'})`);
  console.log(
    `T1 bound: the most Tier 1 could get with the gateway CPU of that run, after refusing all of Tier 2 at ${fixed(refusal.cpuPerRefusalUs, 1)} µs each, ` +
      `with answers at their cost at capacity (${fixed(capacity.cpuPerAnswerUs)} µs): refusals alone take ${percent((capacity.reqPerSec * (refusal.cpuPerRefusalUs ?? NaN)) / 1e6, 1)} of a core`,
  );

  const out = writeReport('overload', {
    machine: m,
    loadAverageAfter: loadavg()[0],
    command: `npm run bench -- overload${quick ? ' --quick' : ''}`,
    seconds: SECONDS,
    rounds: ROUNDS,
    statistic: 'median of rounds',
    capacity: { ...capacity, connections: CAPACITY_CONNECTIONS, p99LimitMs: CAPACITY_P99_LIMIT_MS, withinLimit: capacity.p99Ms <= CAPACITY_P99_LIMIT_MS },
    refusal,
    overloadConnectionsPerTier: OVERLOAD_CONNECTIONS,
    targetShare: TARGET_SHARE,
    rows,
  });
  console.log(`\nwrote ${out}`);
}

/** Share of a tier's answers that were 503: on these routes only shedding answers 503 (recommendations fall back instead). */
function share503(result: LoadResult): number {
  return result.responses ? (result.statuses['503'] ?? 0) / result.responses : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
