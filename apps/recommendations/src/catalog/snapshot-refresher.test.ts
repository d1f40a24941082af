import { Logger } from '@nestjs/common';
import type { Product } from '@keel/contracts';
import { Readiness } from '@keel/service-kit';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RecommendationsEnv } from '../recommendations.env';
import { until } from '../testing/until';
import type { CatalogClient } from './catalog-client';
import { CatalogSnapshot } from './catalog-snapshot';
import { SnapshotRefresher } from './snapshot-refresher';

const product = (id: string): Product => ({ id, name: id, description: '', category: 'c', priceCents: 1, currency: 'USD', stock: 1 });
const env = { KEEL_RECOMMENDATIONS_REFRESH_MS: 60, KEEL_RECOMMENDATIONS_RETRY_MAX_MS: 20 } as RecommendationsEnv;
const refreshers: SnapshotRefresher[] = [];

/** A catalog whose answers are scripted: an Error entry fails that call; past the script, the last entry repeats. */
function scriptedCatalog(script: (Product[] | Error)[]) {
  let calls = 0;
  const client = {
    async fetchAllProducts() {
      const answer = script[Math.min(calls++, script.length - 1)];
      if (answer instanceof Error) throw answer;
      return answer;
    },
  } as unknown as CatalogClient;
  return { client, calls: () => calls };
}

function start(client: CatalogClient) {
  const snapshot = new CatalogSnapshot();
  const readiness = new Readiness();
  const refresher = new SnapshotRefresher(client, snapshot, readiness, env);
  refreshers.push(refresher);
  const ready = async () => {
    try {
      for (const [, check] of readiness.entries()) await check();
      return true;
    } catch {
      return false;
    }
  };
  refresher.onApplicationBootstrap();
  return { snapshot, ready };
}

beforeAll(() => {
  // The failures below are scripted; their warnings would only be noise in the test output.
  Logger.overrideLogger(false);
});

afterEach(() => {
  for (const refresher of refreshers.splice(0)) refresher.onModuleDestroy();
});

describe('the snapshot refresher', () => {
  it('stays unready while the catalog fails, retries, and becomes ready on the first success', async () => {
    const catalog = scriptedCatalog([new Error('down'), new Error('down'), new Error('down'), [product('p-1')]]);
    const { snapshot, ready } = start(catalog.client);
    expect(await ready()).toBe(false);
    await until(() => snapshot.loaded);
    expect(catalog.calls()).toBeGreaterThanOrEqual(4);
    expect(await ready()).toBe(true);
  });

  it('refreshes periodically and keeps the last good snapshot through failures', async () => {
    const catalog = scriptedCatalog([[product('p-1')], new Error('blip'), [product('p-1'), product('p-2')], new Error('down for good')]);
    const { snapshot, ready } = start(catalog.client);
    await until(() => snapshot.loaded);
    await until(() => snapshot.all().length === 2);
    await until(() => catalog.calls() >= 6);
    expect(snapshot.all().map((p) => p.id)).toEqual(['p-1', 'p-2']);
    expect(await ready()).toBe(true);
  });

  it('stops calling the catalog once destroyed', async () => {
    const catalog = scriptedCatalog([new Error('down')]);
    start(catalog.client);
    await until(() => catalog.calls() >= 2);
    refreshers[0].onModuleDestroy();
    const calls = catalog.calls();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(catalog.calls()).toBe(calls);
  });
});
