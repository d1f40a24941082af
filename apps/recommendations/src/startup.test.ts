import type { RunningService } from '@keel/service-kit';
import { freePort, tempDir, type ServiceProcess } from '@keel/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { getJson, startCatalog, startRecommendations } from './testing/services-under-test';
import { until } from './testing/until';

const catalogData = tempDir('keel-recs-');
const recommendationsData = tempDir('keel-recs-');
let catalog: ServiceProcess | undefined;
let recommendations: RunningService<unknown> | undefined;

afterAll(async () => {
  await recommendations?.app.close();
  await catalog?.stop();
  catalogData.remove();
  recommendationsData.remove();
});

describe('recommendations starting before its catalog', () => {
  it('starts, stays unready while the catalog is unreachable, and becomes ready once it answers', async () => {
    const port = await freePort();
    recommendations = await startRecommendations(recommendationsData.dir, `http://127.0.0.1:${port}`);
    const url = recommendations.url;
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    // Long enough for several failed attempts at the test's 100 ms backoff ceiling.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const unready = await getJson<{ details: Record<string, { status: string }> }>(`${url}/health/ready`);
    expect(unready.status).toBe(503);
    expect(unready.body.details['catalog-snapshot'].status).toBe('down');
    const early = await fetch(`${url}/trending`);
    expect(early.status).toBe(503);
    expect(early.headers.get('retry-after')).toBe('1');

    catalog = await startCatalog(catalogData.dir, { PORT: String(port) });
    // The failed attempts opened the circuit to catalog: it lets a probe through after 5 s, and
    // readiness is cached for 1 s, so allow for both.
    await until(async () => (await fetch(`${url}/health/ready`)).status === 200, 10_000, 'ready after catalog came up');
    const trending = await getJson<{ items: unknown[] }>(`${url}/trending`);
    expect(trending.status).toBe(200);
    expect(trending.body.items).toHaveLength(8);
  });
});
