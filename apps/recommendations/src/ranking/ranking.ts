import type { Product, RecommendedProduct } from '@keel/contracts';
import type { Popularity } from '../popularity/popularity.repository';

/**
 * Most units ordered first; ties keep the order the products were given in (catalog order), so
 * the same data always gives the same list. `score` is the units ordered.
 */
export function rankByPopularity(products: readonly Product[], popularity: Popularity): RecommendedProduct[] {
  return products
    .map((p, position) => ({ product: p, units: popularity.get(p.id) ?? 0, position }))
    .sort((a, b) => b.units - a.units || a.position - b.position)
    .map(({ product, units }) => ({ id: product.id, name: product.name, category: product.category, priceCents: product.priceCents, score: units }));
}

/** Other products of the same category, most popular first. */
export function recommendFor(product: Product, sameCategory: readonly Product[], popularity: Popularity, limit: number): RecommendedProduct[] {
  return rankByPopularity(
    sameCategory.filter((p) => p.id !== product.id && p.category === product.category),
    popularity,
  ).slice(0, limit);
}

/** Most popular across every category; with no orders yet, simply the first products in catalog order. */
export function trending(products: readonly Product[], popularity: Popularity, limit: number): RecommendedProduct[] {
  return rankByPopularity(products, popularity).slice(0, limit);
}
