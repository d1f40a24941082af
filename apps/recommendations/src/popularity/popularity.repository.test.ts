import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readiness } from '@keel/service-kit';
import { afterEach, describe, expect, it } from 'vitest';
import type { RecommendationsEnv } from '../recommendations.env';
import { PopularityRepository } from './popularity.repository';
import { RecommendationsDatabase } from './recommendations-database';

const dirs: string[] = [];
const open = (dir = mkdtempSync(join(tmpdir(), 'keel-recs-'))) => {
  dirs.push(dir);
  const database = new RecommendationsDatabase({ KEEL_DATA_DIR: dir } as RecommendationsEnv, new Readiness());
  return { dir, database, repository: new PopularityRepository(database) };
};

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('popularity', () => {
  it('sums units per product and counts each order id once', () => {
    const { database, repository } = open();
    expect(repository.record({ orderId: 'o-1', items: [{ productId: 'p-1', quantity: 2 }, { productId: 'p-2', quantity: 1 }] })).toBe(true);
    expect(repository.record({ orderId: 'o-2', items: [{ productId: 'p-1', quantity: 1 }, { productId: 'p-1', quantity: 1 }] })).toBe(true);
    expect(repository.record({ orderId: 'o-1', items: [{ productId: 'p-1', quantity: 50 }] })).toBe(false);
    expect(repository.snapshot()).toEqual(new Map([['p-1', 4], ['p-2', 1]]));
    database.onApplicationShutdown();
  });

  it('survives reopening the database', () => {
    const first = open();
    first.repository.record({ orderId: 'o-1', items: [{ productId: 'p-9', quantity: 3 }] });
    first.database.onApplicationShutdown();
    const second = open(first.dir);
    expect(second.repository.record({ orderId: 'o-1', items: [{ productId: 'p-9', quantity: 3 }] })).toBe(false);
    expect(second.repository.snapshot().get('p-9')).toBe(3);
    second.database.onApplicationShutdown();
  });
});
