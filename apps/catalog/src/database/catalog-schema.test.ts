import { describe, expect, it } from 'vitest';
import { openDatabase } from '@keel/service-kit';
import { PRODUCT_SEED } from '../products/product-seed';
import { migrateCatalog, seedProductsIfEmpty } from './catalog-schema';

describe('catalog schema', () => {
  it('migrates idempotently and seeds only an empty table', () => {
    const db = openDatabase(':memory:');
    migrateCatalog(db);
    migrateCatalog(db);
    expect(seedProductsIfEmpty(db)).toBe(true);
    db.exec("UPDATE products SET stock = 3 WHERE id = 'p-001'");
    expect(seedProductsIfEmpty(db)).toBe(false);
    const rows = db.prepare('SELECT id, stock FROM products ORDER BY id').all() as { id: string; stock: number }[];
    expect(rows).toHaveLength(PRODUCT_SEED.length);
    expect(rows[0]).toMatchObject({ id: 'p-001', stock: 3 });
    db.close();
  });

  it('refuses negative stock even if application code tried', () => {
    const db = openDatabase(':memory:');
    migrateCatalog(db);
    seedProductsIfEmpty(db);
    expect(() => db.exec("UPDATE products SET stock = -1 WHERE id = 'p-002'")).toThrow(/CHECK/);
    db.close();
  });
});
