import type { LineItem } from '@keel/contracts';

/**
 * One line per product, quantities summed, sorted by product id: the canonical form a reservation
 * is stored in, so `[a×1, b×2, a×1]` and `[b×2, a×2]` are recognised as the same request.
 */
export function mergeLineItems(items: readonly LineItem[]): LineItem[] {
  const totals = new Map<string, number>();
  for (const { productId, quantity } of items) totals.set(productId, (totals.get(productId) ?? 0) + quantity);
  return [...totals.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([productId, quantity]) => ({ productId, quantity }));
}

/** Same products with the same quantities; both sides must already be canonical. */
export function sameLineItems(a: readonly LineItem[], b: readonly LineItem[]): boolean {
  return a.length === b.length && a.every((item, i) => item.productId === b[i].productId && item.quantity === b[i].quantity);
}
