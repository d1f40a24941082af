import { describe, expect, it } from 'vitest';
import { PRODUCT_SEED } from './product-seed';

describe('the product seed', () => {
  it('holds at least 50 products across at least 6 categories with stable, unique ids', () => {
    expect(PRODUCT_SEED.length).toBeGreaterThanOrEqual(50);
    expect(new Set(PRODUCT_SEED.map((p) => p.category)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(PRODUCT_SEED.map((p) => p.id)).size).toBe(PRODUCT_SEED.length);
    PRODUCT_SEED.forEach((p, i) => expect(p.id).toBe(`p-${String(i + 1).padStart(3, '0')}`));
  });

  it('has whole-cent USD prices, stock between 20 and 200, and real text', () => {
    for (const p of PRODUCT_SEED) {
      expect(Number.isInteger(p.priceCents) && p.priceCents > 0).toBe(true);
      expect(p.currency).toBe('USD');
      expect(p.stock).toBeGreaterThanOrEqual(20);
      expect(p.stock).toBeLessThanOrEqual(200);
      expect(p.name.length).toBeGreaterThan(3);
      expect(p.description.length).toBeGreaterThan(20);
    }
  });
});
