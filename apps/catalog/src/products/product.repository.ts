import type { StatementSync } from 'node:sqlite';
import { Injectable } from '@nestjs/common';
import type { Product, ProductList } from '@keel/contracts';
import { CatalogDatabase } from '../database/catalog-database';

interface ProductRow {
  id: string;
  name: string;
  description: string;
  category: string;
  price_cents: number;
  currency: 'USD';
  stock: number;
}

const COLUMNS = 'id, name, description, category, price_cents, currency, stock';

export function toProduct(row: ProductRow): Product {
  return { id: row.id, name: row.name, description: row.description, category: row.category, priceCents: row.price_cents, currency: row.currency, stock: row.stock };
}

export interface ProductQuery {
  category?: string;
  limit: number;
  offset: number;
}

/** Reads products. Ordered by id, which is stable, so paging never skips or repeats an item. */
@Injectable()
export class ProductRepository {
  private readonly page: StatementSync;
  private readonly count: StatementSync;
  private readonly byId: StatementSync;

  constructor(database: CatalogDatabase) {
    const { db } = database;
    this.page = db.prepare(`SELECT ${COLUMNS} FROM products WHERE ($category IS NULL OR category = $category) ORDER BY id LIMIT $limit OFFSET $offset`);
    this.count = db.prepare('SELECT COUNT(*) AS total FROM products WHERE ($category IS NULL OR category = $category)');
    this.byId = db.prepare(`SELECT ${COLUMNS} FROM products WHERE id = ?`);
  }

  list(query: ProductQuery): ProductList {
    const category = query.category ?? null;
    const rows = this.page.all({ category, limit: query.limit, offset: query.offset }) as unknown as ProductRow[];
    const { total } = this.count.get({ category }) as { total: number };
    return { items: rows.map(toProduct), total };
  }

  find(id: string): Product | undefined {
    const row = this.byId.get(id) as ProductRow | undefined;
    return row ? toProduct(row) : undefined;
  }
}
