import type { Product } from '@keel/contracts';
import { describe, expect, it } from 'vitest';
import { rankByPopularity, recommendFor, trending } from './ranking';

const product = (id: string, category: string): Product => ({ id, name: `name ${id}`, description: '', category, priceCents: 100, currency: 'USD', stock: 1 });
const catalog = [product('a1', 'a'), product('a2', 'a'), product('a3', 'a'), product('a4', 'a'), product('b1', 'b'), product('b2', 'b')];

describe('ranking', () => {
  it('orders by units ordered, then by catalog order', () => {
    const ranked = rankByPopularity(catalog, new Map([['a3', 5], ['b2', 5], ['a2', 9]]));
    expect(ranked.map((r) => `${r.id}:${r.score}`)).toEqual(['a2:9', 'a3:5', 'b2:5', 'a1:0', 'a4:0', 'b1:0']);
  });

  it('recommends other products of the same category only, up to the limit', () => {
    const sameCategory = catalog.filter((p) => p.category === 'a');
    const picks = recommendFor(catalog[0], sameCategory, new Map([['a4', 2], ['b1', 50], ['a1', 100]]), 2);
    expect(picks.map((p) => p.id)).toEqual(['a4', 'a2']);
  });

  it('trends across categories and falls back to catalog order without orders', () => {
    expect(trending(catalog, new Map(), 3).map((p) => p.id)).toEqual(['a1', 'a2', 'a3']);
    expect(trending(catalog, new Map([['b2', 1]]), 2).map((p) => p.id)).toEqual(['b2', 'a1']);
  });
});
