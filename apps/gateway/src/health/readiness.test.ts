import { eventually } from '@keel/testing';
import { describe, expect, it } from 'vitest';
import { useGatewayHarness } from '../testing/gateway-harness';

const h = useGatewayHarness();
const readyStatus = async () => (await fetch(`${h.gateway.url}/health/ready`)).status;

describe('gateway readiness', () => {
  it('is ready while catalog and checkout are', async () => {
    expect(await readyStatus()).toBe(200);
  });

  it('probes its dependencies at most once a second however often it is asked', async () => {
    const probes = () => h.catalog.requests.filter((r) => r.url === '/health/ready').length;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const before = probes();
    for (let i = 0; i < 20; i++) await readyStatus();
    expect(probes() - before).toBeLessThanOrEqual(1);
  });

  it('does not depend on recommendations (Tier 2)', async () => {
    h.recommendations.ready = false;
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await readyStatus()).toBe(200);
    h.recommendations.ready = true;
  });

  it('turns unready when catalog dies and ready again when it returns', async () => {
    await h.catalog.stop();
    expect(await eventually(async () => (await readyStatus()) === 503, 4_000)).toBe(true);
    const body = (await (await fetch(`${h.gateway.url}/health/ready`)).json()) as { error: Record<string, unknown> };
    expect(Object.keys(body.error)).toContain('catalog');
    await h.catalog.restart();
    expect(await eventually(async () => (await readyStatus()) === 200, 4_000)).toBe(true);
  });

  it('turns unready when checkout says it is not ready', async () => {
    h.checkout.ready = false;
    expect(await eventually(async () => (await readyStatus()) === 503, 4_000)).toBe(true);
    h.checkout.ready = true;
    expect(await eventually(async () => (await readyStatus()) === 200, 4_000)).toBe(true);
  });
});
