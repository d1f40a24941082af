import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@keel/testing';
import { bootstrapService, type RunningService } from '../bootstrap';
import type { BaseEnv } from '../env';
import { held, LoadModule } from '../testing/load-module';


let service: RunningService<BaseEnv>;
let burner: RunningService<BaseEnv>;
let busy: RunningService<BaseEnv>;

/** CPU time that accrues at one core's rate while `busy` is set, and not at all otherwise. */
const pretendCpu = {
  busy: false,
  usedUs: 0,
  atMs: performance.now(),
  read(): NodeJS.CpuUsage {
    const now = performance.now();
    if (pretendCpu.busy) pretendCpu.usedUs += (now - pretendCpu.atMs) * 1_000;
    pretendCpu.atMs = now;
    return { user: pretendCpu.usedUs, system: 0 };
  },
};
const environment = (name: string) => ({ KEEL_SERVICE: name, KEEL_REGION: 'test', PORT: '0', KEEL_LOG_LEVEL: 'silent' });

beforeAll(async () => {
  [service, burner, busy] = await Promise.all([
    // Limit 10 in flight: Tier 3 refused from 5, Tier 2 from 8 (7.5), Tier 1 from 10.
    bootstrapService({ module: LoadModule, environment: environment('loaded'), loadShedding: { limits: { inFlight: 10 } } }),
    // Limit 400 ms of loop delay: Tier 3 refused from 200 ms, Tier 2 from 300 ms, Tier 1 from 400 ms.
    bootstrapService({ module: LoadModule, environment: environment('burner'), loadShedding: { limits: { eventLoopDelayMs: 400 }, sampleIntervalMs: 100 } }),
    // Utilization only (no hard limits), unsmoothed, with a gain that refuses all of a tier after one
    // busy window, reading a CPU the test controls: how much CPU a test process gets depends on
    // the machine's other work (load-signals.test.ts tests the real reading).
    bootstrapService({
      module: LoadModule,
      environment: environment('busy'),
      loadShedding: {
        limits: { inFlight: Infinity, eventLoopDelayMs: Infinity, queueTimeMs: Infinity },
        utilizationGain: 10,
        utilizationSmoothingMs: 1,
        sampleIntervalMs: 50,
        cpuUsage: pretendCpu.read,
      },
    }),
  ]);
});

afterAll(async () => {
  held.splice(0).forEach((release) => release());
  await Promise.all([service?.app.close(), burner?.app.close(), busy?.app.close()]);
});

const status = async (base: string, path: string) => (await fetch(`${base}${path}`)).status;
const statuses = async (base: string) => ({
  tier3: await status(base, '/trending'),
  tier2: await status(base, '/recommendations'),
  untagged: await status(base, '/untagged'),
  tier1: await status(base, '/checkout'),
});

async function holdUntil(count: number): Promise<Promise<Response>[]> {
  const pending: Promise<Response>[] = [];
  while (held.length + pending.length < count) pending.push(fetch(`${service.url}/hold`));
  expect(await eventually(() => held.length >= count, 5_000)).toBe(true);
  return pending;
}

describe('load shedding by priority', () => {
  it('sheds Tier 3 first, then Tier 2, and Tier 1 last, and never probes or metrics', async () => {
    expect(await statuses(service.url)).toEqual({ tier3: 200, tier2: 200, untagged: 200, tier1: 200 });
    const pending = [...(await holdUntil(5))];
    expect(await statuses(service.url)).toEqual({ tier3: 503, tier2: 200, untagged: 200, tier1: 200 });
    pending.push(...(await holdUntil(8)));
    expect(await statuses(service.url)).toEqual({ tier3: 503, tier2: 503, untagged: 503, tier1: 200 });
    pending.push(...(await holdUntil(10)));
    expect(await statuses(service.url)).toEqual({ tier3: 503, tier2: 503, untagged: 503, tier1: 503 });
    for (const path of ['/health/live', '/health/ready', '/health/startup', '/metrics']) expect(await status(service.url, path), path).toBe(200);

    held.splice(0).forEach((release) => release());
    expect((await Promise.all(pending)).map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(await statuses(service.url)).toEqual({ tier3: 200, tier2: 200, untagged: 200, tier1: 200 });
  });

  it('stops counting a request in flight when its client goes away, though its handler has not finished', async () => {
    // Each on a connection of its own, closed by the abort: like a client that hung up.
    const clients = Array.from({ length: 10 }, () => new AbortController());
    const pending = clients.map(
      (client) =>
        new Promise<void>((settled) => {
          get(`${service.url}/hold`, { agent: false, signal: client.signal }, (res) => res.resume().on('end', settled)).on('error', () => settled());
        }),
    );
    expect(await eventually(() => held.length >= 10, 5_000)).toBe(true);
    expect(await status(service.url, '/checkout')).toBe(503);
    clients.forEach((client) => client.abort());
    await Promise.all(pending);
    // The ten handlers are still parked: only the aborts can have freed their places.
    expect(await eventually(async () => (await status(service.url, '/checkout')) === 200, 3_000, 20)).toBe(true);
    expect(held.length).toBe(10);
    held.splice(0).forEach((release) => release());
  });

  it('refuses with a problem and a Retry-After, and counts it by priority', async () => {
    const pending = await holdUntil(5);
    const refused = await fetch(`${service.url}/trending`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(refused.headers.get('x-shed-tier')).toBe('3');
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(await refused.json()).toMatchObject({ type: '/problems/overloaded', status: 503 });
    held.splice(0).forEach((release) => release());
    await Promise.all(pending);
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/keel_shed_requests_total\{[^}]*priority="tier-3"[^}]*signal="in-flight"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/keel_load_in_flight/);
  });

  it('sheds low-priority work while the event loop is blocked, and recovers after', async () => {
    expect(await status(burner.url, '/burn')).toBe(200);
    // Between the 250 ms blocks, the loop delay reads ~250 ms: over Tier 3's 200, under Tier 2's 300.
    expect(await eventually(async () => (await status(burner.url, '/trending')) === 503, 3_000, 20)).toBe(true);
    expect(await status(burner.url, '/checkout')).toBe(200);
    expect(await status(burner.url, '/health/ready')).toBe(200);
    expect(await eventually(async () => (await status(burner.url, '/trending')) === 200, 5_000, 50)).toBe(true);
  });

  it('refuses Tier 2 while the CPU is saturated, keeps serving Tier 1, and admits Tier 2 again after', async () => {
    expect(await status(busy.url, '/recommendations')).toBe(200);
    pretendCpu.busy = true;
    let refusal: Response | undefined;
    expect(await eventually(async () => (refusal = await fetch(`${busy.url}/recommendations`)).status === 503, 3_000, 20)).toBe(true);
    expect(refusal?.headers.get('x-shed-tier')).toBe('2');
    expect(((await refusal?.json()) as { detail: string }).detail).toMatch(/CPU at 100% of a core \(Tier 2 target 85%\): refusing 100% of Tier 2/);
    expect(await status(busy.url, '/checkout')).toBe(200);
    // Untagged (Tier 2 by default) is not shed in proportion: it may be a step of a Tier-1 flow.
    expect(await status(busy.url, '/untagged')).toBe(200);
    pretendCpu.busy = false;
    expect(await eventually(async () => (await status(busy.url, '/recommendations')) === 200, 3_000, 20)).toBe(true);
    const metrics = await (await fetch(`${busy.url}/metrics`)).text();
    expect(metrics).toMatch(/keel_shed_requests_total\{[^}]*priority="tier-2"[^}]*signal="utilization"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/keel_shed_refused_share\{[^}]*priority="tier-2"[^}]*\} 0/);
  });
});
