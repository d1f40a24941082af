import { Inject, Injectable } from '@nestjs/common';
import type { LineItem, OrderLine, Product } from '@keel/contracts';
import { CatalogClient } from '../dependencies/catalog.client';
import { catalogUnavailable, productNotFound } from '../checkout.problems';

export interface PricedCart {
  lines: OrderLine[];
  totalCents: number;
}

/** Prices a cart at catalog's current prices, before anything is written. */
@Injectable()
export class CartPricing {
  constructor(@Inject(CatalogClient) private readonly catalog: CatalogClient) {}

  /** Throws 404 naming every unknown product, or 503 when catalog cannot answer. */
  async price(items: readonly LineItem[]): Promise<PricedCart> {
    const ids = [...new Set(items.map((item) => item.productId))];
    let products: (Product | undefined)[];
    try {
      products = await Promise.all(ids.map((id) => this.catalog.product(id)));
    } catch (error) {
      throw catalogUnavailable((error as Error).message);
    }
    const priceOf = new Map<string, number>();
    for (const [i, id] of ids.entries()) {
      const product = products[i];
      if (product) priceOf.set(id, product.priceCents);
    }
    const unknown = ids.filter((id) => !priceOf.has(id));
    if (unknown.length > 0) throw productNotFound(unknown);
    const lines = items.map(({ productId, quantity }) => ({ productId, quantity, unitPriceCents: priceOf.get(productId) as number }));
    return { lines, totalCents: lines.reduce((sum, line) => sum + line.unitPriceCents * line.quantity, 0) };
  }
}
