import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Product, ProductList } from '@keel/contracts';
import { HttpDependency, SERVICE_ENV } from '@keel/service-kit';
import type { RecommendationsEnv } from '../recommendations.env';

/** Catalog's own maximum page size. */
export const CATALOG_PAGE_SIZE = 100;
/** Bounds the paging loop (10,000 products) should a catalog keep answering full pages. */
const MAX_PAGES = 100;

function isProductList(body: unknown): body is ProductList {
  const list = body as ProductList | undefined;
  return (
    Array.isArray(list?.items) &&
    typeof list.total === 'number' &&
    list.items.every((p) => typeof p?.id === 'string' && typeof p.category === 'string' && typeof p.name === 'string' && typeof p.priceCents === 'number')
  );
}

/** Reads every product from this region's catalog, page by page. */
@Injectable()
export class CatalogClient implements OnApplicationShutdown {
  private readonly catalog: HttpDependency;

  constructor(@Inject(SERVICE_ENV) env: RecommendationsEnv) {
    this.catalog = new HttpDependency('catalog', env.KEEL_CATALOG_URL, { timeoutMs: 2_000, connections: 2 });
  }

  /** All products in catalog order; rejects (DependencyError or a shape error) unless every page arrived. */
  async fetchAllProducts(signal?: AbortSignal, pageSize = CATALOG_PAGE_SIZE): Promise<Product[]> {
    const products = new Map<string, Product>();
    for (let page = 0; page < MAX_PAGES; page++) {
      const offset = page * pageSize;
      const body = await this.catalog.get<unknown>(`/products?limit=${pageSize}&offset=${offset}`, { signal });
      if (!isProductList(body)) throw new Error(`catalog answered /products with an unexpected body at offset ${offset}`);
      // Stock changes while we page, but ids do not move: ordering by id keeps pages disjoint.
      for (const product of body.items) products.set(product.id, product);
      if (body.items.length < pageSize || offset + pageSize >= body.total) break;
    }
    return [...products.values()];
  }

  onApplicationShutdown(): Promise<void> {
    return this.catalog.close();
  }
}
