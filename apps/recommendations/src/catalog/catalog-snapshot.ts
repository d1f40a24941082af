import { Injectable } from '@nestjs/common';
import type { Product } from '@keel/contracts';

interface SnapshotState {
  /** In catalog order: the stable tie-break for every ranking. */
  products: readonly Product[];
  byId: ReadonlyMap<string, Product>;
  byCategory: ReadonlyMap<string, readonly Product[]>;
  loadedAt: Date;
}

/**
 * This instance's local copy of the catalog's products. Recommendations are answered from it, so
 * a slow or unreachable catalog costs freshness, never latency. Replaced whole, never patched, so
 * a reader sees one complete load or the previous one.
 */
@Injectable()
export class CatalogSnapshot {
  private state?: SnapshotState;

  get loaded(): boolean {
    return this.state !== undefined;
  }

  get loadedAt(): Date | undefined {
    return this.state?.loadedAt;
  }

  replace(products: readonly Product[], now = new Date()): void {
    const byCategory = new Map<string, Product[]>();
    for (const product of products) {
      const list = byCategory.get(product.category);
      if (list) list.push(product);
      else byCategory.set(product.category, [product]);
    }
    this.state = { products: [...products], byId: new Map(products.map((p) => [p.id, p])), byCategory, loadedAt: now };
  }

  all(): readonly Product[] {
    return this.state?.products ?? [];
  }

  find(id: string): Product | undefined {
    return this.state?.byId.get(id);
  }

  inCategory(category: string): readonly Product[] {
    return this.state?.byCategory.get(category) ?? [];
  }
}
