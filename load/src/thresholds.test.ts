import { describe, expect, it } from 'vitest';
import type { RouteRun } from './engine';
import { routeStats } from './route-stats';
import { routeByName, type RouteName } from './routes';
import { evaluate } from './thresholds';
import { answers, rawResult } from './testing/raw-result';
import type { RawResult } from './autocannon-results';

const run = (name: RouteName, raw: RawResult): RouteRun => ({ route: routeByName(name), plannedRate: 1, stageS: 10, connections: 1, raw, degraded: 0, bailedOut: false });
const stats = (name: RouteName, raw: RawResult) => routeStats('http://127.0.0.1:1', [run(name, raw)], 10);
const SLO = [
  { metric: 'p99' as const, tier: 1 as const, below: 1000 },
  { metric: 'errorRate' as const, below: 0.01 },
];

describe('threshold evaluation', () => {
  it('counts 409 out-of-stock and 202 accepted as answers, not errors', () => {
    const checkout = stats('checkout', rawResult([...answers(50, 201, 20), ...answers(30, 202, 20), ...answers(20, 409, 10)]));
    expect(checkout.errors.total).toBe(0);
    expect(checkout.business).toEqual({ 409: 20 });
    expect(evaluate(SLO, [checkout]).map((c) => c.pass)).toEqual([true, true]);
  });

  it('fails the error rate on 5xx, unexpected 4xx and connection errors, and says how much', () => {
    const browse = stats('browse', rawResult([...answers(95, 200, 5), ...answers(3, 503, 5), ...answers(1, 404, 5)], { connection: 1, timeouts: 0 }));
    expect(browse.errors).toEqual({ total: 5, byStatus: { 503: 3, 404: 1 }, connection: 1, timeouts: 0 });
    const [latency, errorRate] = evaluate(SLO, [browse]);
    expect(latency).toMatchObject({ name: 'Tier-1 p99 < 1000 ms', pass: true });
    expect(errorRate).toMatchObject({ name: 'error rate < 1%', value: 0.05, pass: false });
  });

  it('fails latency on the slowest route in scope, and ignores routes of another tier', () => {
    const slow = stats('checkout', rawResult([...answers(98, 201, 100), ...answers(2, 201, 2500)]));
    const fast = stats('browse', rawResult(answers(100, 200, 10)));
    const tier2 = stats('recommendations', rawResult(answers(100, 200, 5000)));
    const [latency] = evaluate(SLO, [fast, slow, tier2]);
    expect(latency).toMatchObject({ pass: false, route: 'checkout' });
    expect(latency.value).toBeGreaterThanOrEqual(2500);
    expect(evaluate([{ metric: 'p99', tier: 1, below: 3000 }], [fast, slow, tier2])[0].pass).toBe(true);
  });

  it('fails a route in scope that got no answer at all: silence is not fast', () => {
    const silent = stats('product', rawResult([], { connection: 5, timeouts: 5 }));
    expect(silent.latencyMs).toBeNull();
    expect(evaluate(SLO, [silent])).toMatchObject([
      { pass: false, value: null },
      { pass: false, value: 1 },
    ]);
  });
});
