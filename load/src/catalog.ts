/**
 * What the load tool knows about the shop's data: the seeded product ids and categories
 * (apps/catalog/src/products/product-seed.ts). Copied, not imported: a tool may depend on libs
 * only, and a load test should not change shape when an app's internals do.
 */

/** p-001 … p-054: every seeded product. */
export const PRODUCT_IDS: readonly string[] = Array.from({ length: 54 }, (_, i) => `p-${String(i + 1).padStart(3, '0')}`);

export const CATEGORIES: readonly string[] = ['audio', 'computing', 'home', 'kitchen', 'outdoor', 'fitness'];

/**
 * Products seeded with at least 100 units per region. Checkouts buy these, one unit at a time,
 * so a run sells for a long while before stock runs out and 409s take over.
 */
export const WELL_STOCKED_IDS: readonly string[] = [
  'p-001', 'p-002', 'p-009', 'p-011', 'p-014', 'p-015', 'p-018', 'p-021', 'p-025', 'p-027',
  'p-029', 'p-034', 'p-035', 'p-036', 'p-040', 'p-041', 'p-047', 'p-048', 'p-049', 'p-050',
];

/** Browse pages a shopper looks at: offsets 0, 20 and 40 of a 20-item list. */
export const BROWSE_OFFSETS: readonly number[] = [0, 20, 40];

/** A uniformly random element of a non-empty list. */
export function pick<T>(items: readonly T[], random: () => number = Math.random): T {
  return items[Math.floor(random() * items.length)];
}
