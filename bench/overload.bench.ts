/**
 * The overload benchmark (not a test): what Tier-1 traffic gets when the gateway is offered twice
 * what it can serve, with load shedding on and off. First the capacity of the Tier-1 route
 * (`GET /api/products/:id`, product-detail): its closed-loop throughput at 32 connections, then
 * the highest paced rate below that which Tier 1 alone sustains (see Capacity). Then 2× that as a
 * paced rate, half Tier 1 and half Tier 2 (`GET /api/products/:id/recommendations`), so Tier 1 is
 * offered exactly the capacity: the best shedding can do is serve all of it by refusing Tier 2.
 * Three gateways, interleaved: shedding off (`KEEL_SHEDDING=off`), on with the defaults, and on
 * with the in-flight limit set from the capacity run (`KEEL_SHED_LIMIT_IN_FLIGHT`). Prints a table
 * and writes reports/bench/overload.json.
 *
 * Beside them, a control: Tier 1 alone at the same rate on the default gateway, nothing to shed
 * (it should get all of it: that is how the capacity was found). And what things cost in gateway
 * CPU: an answer at capacity, an answer under overload, and a refusal (a gateway that refuses
 * nearly all of a closed-loop run), so the report says where the capacity went.
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
/** A paced Tier-1 rate is sustained when this share of its answers are 2xx (and p99 is within the limit). */
const SUSTAINED_OK_SHARE = 0.99;
/** Halvings of the search for the sustained rate, between SEARCH_FLOOR and the closed-loop throughput. */
const SEARCH_STEPS = quick ? 3 : 5;
const SEARCH_FLOOR = 0.4;
/** Tier-1 goodput under 2× overload, as a share of capacity, with shedding on. */
const TARGET_SHARE = 0.9;
/** Between runs: let the previous run's backlog drain and the shedder's windows reset. */
const SETTLE_MS = 3_000;

interface Config {
  key: string;
  label: string;
  env: (capacity: Capacity) => Record<string, string>;
  /** `false`: Tier 1 only, the control (what Tier 1 gets at this rate with nothing to shed). */
  tier2?: false;
  /** Run on another config's gateway instead of starting one. */
  runsOn?: string;
}

/**
 * Capacity is the highest *paced* Tier-1 rate the gateway sustains (SUSTAINED_OK_SHARE of answers
 * 2xx, p99 within CAPACITY_P99_LIMIT_MS), found by bisection below its closed-loop throughput. The
 * overload is paced too, and a closed-loop client, which sends only when an answer came back,
 * never queues anything: the gateway served only ~70% of its closed-loop figure when Tier 1 alone
 * arrived at that rate, paced (docs/performance.md §5). Measured the same way as the overload, the
 * capacity is what Tier 1 alone really gets, and the share says what shedding kept of it.
 */
interface Capacity {
  /** The sustained paced rate: overload offers this much of each tier. */
  reqPerSec: number;
  /** p99 at that rate. */
  p99Ms: number;
  /** Requests in flight at closed-loop capacity (Little's law: throughput × mean latency ≈ the connections). */
  inFlight: number;
  /** Closed loop at CAPACITY_CONNECTIONS: throughput when every client waits for its answer. */
  closedLoop: { reqPerSec: number; p99Ms: number };
  /** Gateway CPU per Tier-1 answer in the closed-loop runs, µs (undefined off Linux). */
  cpuPerAnswerUs?: number;
  /** Every rate the search tried. */
  probes: Array<{ rate: number; okShare: number; p99Ms: number; sentPerSec: number; sustained: boolean }>;
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
  { key: 'tier1-alone', label: 'control: Tier 1 alone, no Tier 2 (defaults)', env: () => ({}), tier2: false, runsOn: 'shedding-default' },
];

interface OverloadSample {
  tier1: LoadResult;
  tier2: LoadResult;
  /** Requests the gateway's shedder refused during the run, by tier (from its /metrics). */
  shed: Record<1 | 2 | 3, number>;
  gatewayCores?: number;
  /** The rest of the machine over the run, in cores: the fixtures and the load generator. */
  otherCores: { fixtures?: number; loadGenerator?: number };
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
  const closedLoop = { reqPerSec: median(runs.map((r) => r.load.okPerSec)), p99Ms: median(runs.map((r) => r.load.p99Ms)) };
  const probes: Capacity['probes'] = [];
  const sustained = async (rate: number): Promise<boolean> => {
    await sleep(SETTLE_MS);
    const r = await load({ url: gateway.url, path: productPage, connections: OVERLOAD_CONNECTIONS, seconds: SECONDS, rate: Math.round(rate) });
    const okShare = r.responses ? (r.statuses['200'] ?? 0) / r.responses : 0;
    // The load generator must have kept up too: a rate it could not send says nothing.
    const ok = okShare >= SUSTAINED_OK_SHARE && r.p99Ms <= CAPACITY_P99_LIMIT_MS && r.sentPerSec >= 0.97 * rate;
    probes.push({ rate: Math.round(rate), okShare, p99Ms: r.p99Ms, sentPerSec: r.sentPerSec, sustained: ok });
    console.log(`  paced Tier 1 alone at ${Math.round(rate)} req/s: ${percent(okShare, 1)} 2xx, p99 ${fixed(r.p99Ms)} ms, sent ${fixed(r.sentPerSec)}/s: ${ok ? 'sustained' : 'not sustained'}`);
    return ok;
  };
  let rate = closedLoop.reqPerSec;
  if (!(await sustained(rate))) {
    let [lo, hi] = [closedLoop.reqPerSec * SEARCH_FLOOR, closedLoop.reqPerSec];
    for (let step = 0; step < SEARCH_STEPS; step++) {
      const mid = (lo + hi) / 2;
      if (await sustained(mid)) lo = mid;
      else hi = mid;
    }
    rate = lo;
  }
  const at = probes.filter((p) => p.sustained && p.rate === Math.round(rate)).at(-1);
  return { reqPerSec: Math.round(rate), p99Ms: at?.p99Ms ?? NaN, inFlight: CAPACITY_CONNECTIONS, closedLoop, cpuPerAnswerUs: perAnswer.length ? median(perAnswer) : undefined, probes };
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

async function overload(gateway: BenchProcess, d: Downstreams, capacity: Capacity, withTier2: boolean): Promise<OverloadSample> {
  const tierRate = Math.round(capacity.reqPerSec);
  const shedBefore = await shedCounts(gateway.url);
  const pids = { gateway: gateway.child.pid, catalog: d.catalog.child.pid, recommendations: d.recommendations.child.pid };
  const { result, cores } = await measureCpu(pids, () =>
    Promise.all([
      load({ url: gateway.url, path: productPage, connections: OVERLOAD_CONNECTIONS, seconds: SECONDS, rate: tierRate }),
      withTier2 ? load({ url: gateway.url, path: recommendationsWidget, connections: OVERLOAD_CONNECTIONS, seconds: SECONDS, rate: tierRate }) : Promise.resolve(NO_LOAD),
    ]),
  );
  const shedAfter = await shedCounts(gateway.url);
  const shed = { 1: shedAfter[1] - shedBefore[1], 2: shedAfter[2] - shedBefore[2], 3: shedAfter[3] - shedBefore[3] };
  const fixtures = cores.catalog === undefined || cores.recommendations === undefined ? undefined : cores.catalog + cores.recommendations;
  return { tier1: result[0], tier2: result[1], shed, gatewayCores: cores.gateway, otherCores: { fixtures, loadGenerator: cores['load generator (autocannon)'] } };
}

const NO_LOAD: LoadResult = { reqPerSec: 0, okPerSec: 0, sentPerSec: 0, p50Ms: 0, p99Ms: 0, responses: 0, statuses: {}, errors: 0, seconds: 0 };

/**
 * Gateway CPU per Tier-1 answer in an overload run: the run's CPU less what its refusals cost (at
 * the measured refusal cost) and its Tier-2 answers (at a Tier-1 answer's cost at capacity), per
 * Tier-1 answer. Beside the cost at capacity, it shows how much dearer an answer got under overload.
 */
function cpuPerTier1Answer(s: OverloadSample, capacity: Capacity, refusal: RefusalCost): number | undefined {
  if (s.gatewayCores === undefined || capacity.cpuPerAnswerUs === undefined || refusal.cpuPerRefusalUs === undefined) return undefined;
  const ok = s.tier1.statuses['200'] ?? 0;
  // Tier-2 answers cost what a widget costs, not a page: where many were served the split is a guess.
  if (!ok || (s.tier2.statuses['200'] ?? 0) > ok / 10) return undefined;
  const refused = s.shed[1] + s.shed[2] + s.shed[3];
  const cpuUs = s.gatewayCores * s.tier1.seconds * 1e6 - refused * refusal.cpuPerRefusalUs - (s.tier2.statuses['200'] ?? 0) * capacity.cpuPerAnswerUs;
  return Math.max(0, cpuUs) / ok;
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
    const probe = await startConfig(CONFIGS[1], d, { reqPerSec: 0, p99Ms: 0, inFlight: 0, closedLoop: { reqPerSec: 0, p99Ms: 0 }, probes: [] });
    try {
      capacity = await measureCapacity(probe);
    } finally {
      await probe.stop();
    }
    console.log(`  capacity: Tier 1 alone sustained at ${fixed(capacity.reqPerSec)} req/s paced (closed loop at ${CAPACITY_CONNECTIONS} connections: ${fixed(capacity.closedLoop.reqPerSec)} req/s, p99 ${fixed(capacity.closedLoop.p99Ms, 1)} ms, ${fixed(capacity.cpuPerAnswerUs)} µs of gateway CPU per answer)`);
    refusal = await measureRefusalCost(d, capacity);
    console.log(`  refusal cost: ${fixed(refusal.cpuPerRefusalUs, 1)} µs of gateway CPU per refusal (${refusal.refused} refused, ${refusal.served} served)`);
    for (const config of CONFIGS) if (!config.runsOn) gateways.set(config.key, await startConfig(config, d, capacity));
    for (const config of CONFIGS) if (!config.runsOn) await load({ url: required(gateways.get(config.key), config.key).url, path: productPage, connections: CAPACITY_CONNECTIONS, seconds: WARMUP_SECONDS });
    for (let round = 0; round < ROUNDS; round++) {
      for (const config of CONFIGS) {
        await sleep(SETTLE_MS);
        const sample = await overload(required(gateways.get(config.runsOn ?? config.key), config.key), d, capacity, config.tier2 !== false);
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
      tier1ShareOfClosedLoop: tier1Ok / capacity.closedLoop.reqPerSec,
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
      fixtureCores: of((s) => s.otherCores.fixtures),
      loadGeneratorCores: of((s) => s.otherCores.loadGenerator),
      tier2Offered: config.tier2 !== false,
      /** Gateway CPU per Tier-1 answer in the run (cpuPerTier1Answer), µs. */
      cpuPerTier1AnswerUs: of((s) => cpuPerTier1Answer(s, capacity, refusal)),
      rounds: runs.map((s) => ({ tier1: s.tier1, tier2: s.tier2, gatewayCores: s.gatewayCores, otherCores: s.otherCores })),
    };
  });

  console.log(`\ncapacity: ${fixed(capacity.reqPerSec)} req/s of Tier 1 alone, paced, ${percent(SUSTAINED_OK_SHARE)} 2xx within p99 ${CAPACITY_P99_LIMIT_MS} ms (p99 ${fixed(capacity.p99Ms)} ms); closed loop ${fixed(capacity.closedLoop.reqPerSec)} req/s`);
  console.log(`offered: 2 × capacity = ${Math.round(capacity.reqPerSec)} req/s Tier 1 + ${Math.round(capacity.reqPerSec)} req/s Tier 2, ${OVERLOAD_CONNECTIONS} connections each`);
  console.log(
    table(
      ['gateway', 'T1 sent/s', 'T1 answered/s', 'T1 2xx/s', 'T1 / capacity', 'T1 / closed loop', 'T1 p50 ms', 'T1 p99 ms', 'T1 shed', 'T1 failed', 'T2 sent/s', 'T2 answered/s', 'T2 2xx/s', 'T2 shed', 'gateway CPU', 'fixtures CPU', 'load gen CPU', 'µs CPU per T1 answer'],
      rows.map((r) => [
        r.label,
        fixed(r.tier1SentPerSec),
        fixed(r.tier1AnsweredPerSec),
        fixed(r.tier1OkPerSec),
        percent(r.tier1ShareOfCapacity),
        percent(r.tier1ShareOfClosedLoop),
        fixed(r.tier1P50Ms),
        fixed(r.tier1P99Ms),
        percent(r.tier1ShedShare, 1),
        percent(r.tier1FailedShare, 1),
        ...(r.tier2Offered ? [fixed(r.tier2SentPerSec), fixed(r.tier2AnsweredPerSec), fixed(r.tier2OkPerSec), percent(r.tier2ShedShare)] : ['–', '–', '–', '–']),
        fixed(r.gatewayCores, 2),
        fixed(r.fixtureCores, 2),
        fixed(r.loadGeneratorCores, 2),
        fixed(r.cpuPerTier1AnswerUs),
      ]),
    ),
  );
  const best = rows.filter((r) => r.key !== 'shedding-off' && r.tier2Offered).sort((a, b) => b.tier1ShareOfCapacity - a.tier1ShareOfCapacity)[0];
  console.log(`best with shedding: ${best.label}, Tier 1 at ${percent(best.tier1ShareOfCapacity)} of capacity (target ≥ ${percent(TARGET_SHARE)}: ${best.tier1ShareOfCapacity >= TARGET_SHARE ? 'met' : 'not met'})`);
  const control = required(rows.find((r) => !r.tier2Offered), 'control row');
  console.log(`control: Tier 1 alone at the same rate, nothing to shed, got ${percent(control.tier1ShareOfCapacity)}; with Tier 2 shed, Tier 1 kept ${percent(best.tier1ShareOfCapacity / control.tier1ShareOfCapacity)} of that`);
  console.log(
    `costs in gateway CPU: a Tier-1 answer ${fixed(capacity.cpuPerAnswerUs)} µs at capacity (closed loop), ${fixed(best.cpuPerTier1AnswerUs)} µs under overload; ` +
      `a refusal ${fixed(refusal.cpuPerRefusalUs, 1)} µs, so refusing all of Tier 2 takes ${percent((capacity.reqPerSec * (refusal.cpuPerRefusalUs ?? NaN)) / 1e6, 1)} of a core`,
  );

  const out = writeReport('overload', {
    machine: m,
    loadAverageAfter: loadavg()[0],
    command: `npm run bench -- overload${quick ? ' --quick' : ''}`,
    seconds: SECONDS,
    rounds: ROUNDS,
    statistic: 'median of rounds',
    capacity: { ...capacity, connections: CAPACITY_CONNECTIONS, p99LimitMs: CAPACITY_P99_LIMIT_MS, sustainedOkShare: SUSTAINED_OK_SHARE },
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
