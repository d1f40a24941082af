import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEADLINE_BAGGAGE } from '@keel/resilience';
import { startFixtureServer, type FixtureServer } from '@keel/testing';
import { bootstrapService, type RunningService } from '../bootstrap';
import type { BaseEnv } from '../env';
import { DeadlineProbeModule, type HopReport } from '../testing/deadline-probe';
import { startProbeProcess, type ProbeProcess } from '../testing/probe-process';

/**
 * Deadlines across real processes whose clocks disagree. A gateway (trust boundary, 1 s read
 * deadline) calls a downstream service, which works for a while and then calls a last hop. One of
 * the two keel processes has its clock 3 s ahead or behind (KEEL_CLOCK_SKEW_MS); the deadline must
 * neither expire early (work refused that had time) nor stretch (work started after the caller
 * gave up).
 */
const SKEW_MS = 3_000;
const READ_MS = 1_000;

let lastHop: FixtureServer;
const inProcess: RunningService<BaseEnv>[] = [];
const processes: ProbeProcess[] = [];
const urls: Record<'gateway' | 'gatewayAhead' | 'gatewayBehind' | 'downstream' | 'downstreamAhead' | 'downstreamBehind', string> = {} as never;

const environment = (service: string) => ({ KEEL_SERVICE: service, KEEL_REGION: 'test', PORT: '0', KEEL_LOG_LEVEL: 'silent' });

beforeAll(async () => {
  lastHop = await startFixtureServer((_request, res) => res.end('{}'));
  const [gateway, downstream, ...spawned] = await Promise.all([
    bootstrapService({ module: DeadlineProbeModule, trustBoundary: { deadlines: { readMs: READ_MS } }, environment: environment('gateway') }),
    bootstrapService({ module: DeadlineProbeModule, environment: environment('downstream') }),
    startProbeProcess({ PROBE_READ_MS: String(READ_MS), KEEL_CLOCK_SKEW_MS: String(SKEW_MS) }),
    startProbeProcess({ PROBE_READ_MS: String(READ_MS), KEEL_CLOCK_SKEW_MS: String(-SKEW_MS) }),
    startProbeProcess({ KEEL_CLOCK_SKEW_MS: String(SKEW_MS) }),
    startProbeProcess({ KEEL_CLOCK_SKEW_MS: String(-SKEW_MS) }),
  ]);
  inProcess.push(gateway, downstream);
  processes.push(...spawned);
  Object.assign(urls, {
    gateway: gateway.url,
    downstream: downstream.url,
    gatewayAhead: spawned[0].url,
    gatewayBehind: spawned[1].url,
    downstreamAhead: spawned[2].url,
    downstreamBehind: spawned[3].url,
  });
}, 90_000);

afterAll(async () => {
  await Promise.all([...processes.map((p) => p.stop()), ...inProcess.map((s) => s.app.close()), lastHop?.stop()]);
});

let requestCounter = 0;

/** Test → gateway → downstream (sleeps `sleepMs`) → last hop; what the gateway reported. */
async function chain(gateway: string, downstream: string, sleepMs: number): Promise<{ report: HopReport; lastHopId: string }> {
  const lastHopId = `req-${++requestCounter}`;
  const downstreamHop = `${downstream}/hop?sleep=${sleepMs}&next=${encodeURIComponent(`${lastHop.url}/last?id=${lastHopId}`)}`;
  const response = await fetch(`${gateway}/hop?next=${encodeURIComponent(downstreamHop)}`);
  expect(response.status).toBe(200);
  return { report: (await response.json()) as HopReport, lastHopId };
}

/** A W3C baggage header as name → value (our values need no decoding). */
const baggageEntries = (header: string | string[] | undefined) => new URLSearchParams([header ?? ''].flat().join(',').replaceAll(',', '&'));
const lastHopRequest = (id: string) => lastHop.requests.find((r) => r.url === `/last?id=${id}`);

describe.each([
  { name: 'no skew', gateway: 'gateway', downstream: 'downstream', downstreamSkew: 0 },
  { name: 'downstream clock 3 s ahead', gateway: 'gateway', downstream: 'downstreamAhead', downstreamSkew: SKEW_MS },
  { name: 'downstream clock 3 s behind', gateway: 'gateway', downstream: 'downstreamBehind', downstreamSkew: -SKEW_MS },
  { name: 'gateway clock 3 s ahead', gateway: 'gatewayAhead', downstream: 'downstream', downstreamSkew: 0 },
  { name: 'gateway clock 3 s behind', gateway: 'gatewayBehind', downstream: 'downstream', downstreamSkew: 0 },
] as const)('deadline across hops, $name', ({ gateway, downstream, downstreamSkew }) => {
  it('gives the downstream hop 90% of the gateway deadline: not expired, not stretched', async () => {
    const { report } = await chain(urls[gateway], urls[downstream], 0);
    const seen = (report.next as HopReport).remainingAtStart;
    expect(report.remainingAtStart).toBeGreaterThan(READ_MS - 100);
    expect(seen).toBeLessThanOrEqual(READ_MS * 0.9);
    expect(seen).toBeGreaterThan(READ_MS * 0.9 - 200);
  });

  it('still lets the downstream call on while time is left, passing on what is left', async () => {
    const { report, lastHopId } = await chain(urls[gateway], urls[downstream], 400);
    expect((report.next as HopReport).next).toEqual({});
    const request = lastHopRequest(lastHopId);
    const baggage = baggageEntries(request?.headers.baggage);
    const budget = Number(baggage.get(DEADLINE_BAGGAGE.budget));
    const at = Number(baggage.get(DEADLINE_BAGGAGE.at));
    // ~(900 − 400) × 0.9 left when the downstream called on.
    expect(budget).toBeGreaterThan(250);
    expect(budget).toBeLessThanOrEqual(460);
    // The absolute deadline is stamped on the sender's own (skewed) clock: the seam is real.
    expect(Math.abs(at - Date.now() - downstreamSkew - budget)).toBeLessThan(300);
  });

  it('does not start the downstream call once the deadline has passed', async () => {
    const { report, lastHopId } = await chain(urls[gateway], urls[downstream], 1_100);
    // The gateway stopped waiting at its call budget (~900 ms) ...
    expect(report.next).toMatchObject({ status: 504 });
    // ... and the downstream, waking at 1.1 s, must not call on: wait until it would have.
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(lastHopRequest(lastHopId)).toBeUndefined();
  });
});

describe('baggage between real, instrumented processes', () => {
  const lastHopBaggage = async (url: string, baggage: string) => {
    const id = `bag-${++requestCounter}`;
    const response = await fetch(`${url}/hop?next=${encodeURIComponent(`${lastHop.url}/last?id=${id}`)}`, { headers: { baggage } });
    expect(response.status).toBe(200);
    return [lastHopRequest(id)?.headers.baggage ?? ''].flat().join(',');
  };

  it('flows from a keel caller through a service to the next hop', async () => {
    expect(await lastHopBaggage(urls.downstreamAhead, 'tenant=acme')).toContain('tenant=acme');
  });

  it('keeps the deadline current through body parsing in an instrumented process', async () => {
    const response = await fetch(`${urls.downstreamBehind}/hop`, { method: 'POST', headers: { 'content-type': 'application/json', baggage: `${DEADLINE_BAGGAGE.budget}=700` }, body: '{"x":1}' });
    const { remainingAtStart } = (await response.json()) as HopReport;
    expect(remainingAtStart).toBeGreaterThan(500);
    expect(remainingAtStart).toBeLessThanOrEqual(700);
  });

  it('is dropped at the trust boundary when it comes from outside', async () => {
    const seen = await lastHopBaggage(urls.gatewayAhead, `tenant=evil,${DEADLINE_BAGGAGE.budget}=0`);
    expect(seen).not.toContain('tenant');
    expect(seen).toContain(DEADLINE_BAGGAGE.budget);
  });
});
