import { describe, expect, it } from 'vitest';
import { openDatabase } from '@keel/service-kit';
import { PRODUCT_SEED } from '../products/product-seed';
import { migrateCatalog, SEED_STAMP, seedProductsIfEmpty } from './catalog-schema';

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

describe('catalog schema on a database made before replication', () => {
  it('adds the version columns with the seed stamp and keeps the rows', () => {
    const db = openDatabase(':memory:');
    db.exec(`CREATE TABLE products (id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL, category TEXT NOT NULL,
             price_cents INTEGER NOT NULL, currency TEXT NOT NULL, stock INTEGER NOT NULL CHECK (stock >= 0))`);
    db.exec("INSERT INTO products VALUES ('p-001', 'Old', 'An old row from before replication', 'audio', 100, 'USD', 7)");
    migrateCatalog(db);
    migrateCatalog(db);
    expect(db.prepare('SELECT stock, version, updated_at AS updatedAt, updated_by AS updatedBy FROM products').get()).toEqual({ stock: 7, version: 0, updatedAt: SEED_STAMP.updatedAt, updatedBy: '' });
    db.close();
  });
});
