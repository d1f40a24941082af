import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { Inject, Injectable } from '@nestjs/common';
import { TOPICS, type EventData, type EventEnvelope, type Product } from '@keel/contracts';
import { enqueueEvent, newEvent, UnprocessableEventError, type HandlerContext } from '@keel/messaging';
import { SERVICE_ENV, transaction } from '@keel/service-kit';
import type { CatalogEnv } from '../catalog.env';
import { productNotFound } from '../catalog.problems';
import { CatalogDatabase } from '../database/catalog-database';
import { SEED_STAMP } from '../database/catalog-schema';
import { ProductRepository } from '../products/product.repository';
import { isNewer, isoOf, nextStamp, stampOf, type ProductStamp } from './product-stamp';

export type ProductChanges = EventData<'product.updated'>['changes'];
type ChangedField = keyof ProductChanges;

/** The column each replicated field lives in; stock is deliberately absent. */
const COLUMN: Record<ChangedField, string> = { priceCents: 'price_cents', name: 'name', description: 'description' };

const SEEDED = stampOf(SEED_STAMP.updatedAt, SEED_STAMP.region);

export interface ProductVersion {
  version: number;
  updatedAt: string;
  updatedBy: string;
}

export type ApplyOutcome = 'applied' | 'stale' | 'duplicate' | 'not-for-us';

/**
 * Product changes, made here (`update`, from the admin port) or in the other region (`apply`,
 * from its `product.updated` events), resolved last-writer-wins by (updatedAt, region).
 *
 * The winner is decided per field, not per product: each field keeps the stamp of the change
 * that set it (`product_field_stamps`), and a change sets only the fields where it is newer. So
 * when us-east changes a price while eu-west changes the name, both survive in both regions, an
 * older change never overwrites a newer one, and the regions converge whatever order the events
 * arrive in. The product row keeps its newest stamp (`updated_at`, `updated_by`) and a `version`:
 * a Lamport counter (the greater of both sides' versions, plus one per local change).
 */
@Injectable()
export class ProductUpdates {
  private readonly db: DatabaseSync;
  private readonly region: string;
  private readonly versionOf: StatementSync;
  private readonly fieldStamp: StatementSync;
  private readonly setStamp: StatementSync;
  private readonly setVersion: StatementSync;
  private readonly setField: Record<ChangedField, StatementSync>;

  constructor(
    @Inject(CatalogDatabase) database: CatalogDatabase,
    @Inject(ProductRepository) private readonly products: ProductRepository,
    @Inject(SERVICE_ENV) env: Pick<CatalogEnv, 'KEEL_REGION'>,
  ) {
    const db = (this.db = database.db);
    this.region = env.KEEL_REGION;
    this.versionOf = db.prepare('SELECT version, updated_at AS updatedAt, updated_by AS updatedBy FROM products WHERE id = ?');
    this.fieldStamp = db.prepare('SELECT updated_at AS updatedAt, updated_by AS updatedBy FROM product_field_stamps WHERE product_id = ? AND field = ?');
    this.setStamp = db.prepare(
      `INSERT INTO product_field_stamps (product_id, field, updated_at, updated_by) VALUES ($productId, $field, $updatedAt, $updatedBy)
       ON CONFLICT (product_id, field) DO UPDATE SET updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    );
    this.setVersion = db.prepare('UPDATE products SET version = $version, updated_at = $updatedAt, updated_by = $updatedBy WHERE id = $productId');
    const set = (field: ChangedField) => db.prepare(`UPDATE products SET ${COLUMN[field]} = $value WHERE id = $productId`);
    this.setField = { priceCents: set('priceCents'), name: set('name'), description: set('description') };
  }

  /** Changes a product here and writes `product.updated` for the other region in the same transaction. Throws 404 for an unknown product. */
  update(productId: string, changes: ProductChanges, now = Date.now()): Product & ProductVersion {
    return transaction(this.db, () => {
      const current = this.version(productId);
      if (!current) throw productNotFound([productId]);
      const stamp = nextStamp(this.region, stampOf(current.updatedAt, current.updatedBy), now);
      const version = current.version + 1;
      for (const field of fieldsOf(changes)) this.write(productId, field, changes[field], stamp);
      const written = { version, updatedAt: isoOf(stamp), updatedBy: this.region };
      this.setVersion.run({ productId, ...written });
      const data = { productId, changes, version, updatedAt: written.updatedAt, region: this.region };
      enqueueEvent(this.db, TOPICS.catalog.name, newEvent('product.updated', { key: productId, origin: this.region, data }));
      return { ...(this.products.find(productId) as Product), ...written };
    });
  }

  /** Applies the other region's change to the fields where it is the newer writer. */
  apply(event: EventEnvelope<'product.updated'>, ctx: Pick<HandlerContext, 'markProcessed'>): ApplyOutcome {
    const { productId, changes, version, updatedAt, region } = event.data;
    if (event.origin === this.region || region === this.region) return 'not-for-us';
    return transaction(this.db, () => {
      if (!ctx.markProcessed()) return 'duplicate';
      const current = this.version(productId);
      // Both regions start from one seed and products are never created: this is a bug to look at.
      if (!current) throw new UnprocessableEventError(`product.updated for ${productId}: no such product in ${this.region}`);
      const incoming = stampOf(updatedAt, region);
      let applied = 0;
      for (const field of fieldsOf(changes)) {
        const row = this.fieldStamp.get(productId, field) as { updatedAt: string; updatedBy: string } | undefined;
        // A field without a stamp has not changed since the seed.
        if (!isNewer(incoming, row ? stampOf(row.updatedAt, row.updatedBy) : SEEDED)) continue;
        this.write(productId, field, changes[field], incoming);
        applied++;
      }
      const newest = isNewer(incoming, stampOf(current.updatedAt, current.updatedBy)) ? { updatedAt: isoOf(incoming), updatedBy: region } : current;
      this.setVersion.run({ productId, version: Math.max(current.version, version), updatedAt: newest.updatedAt, updatedBy: newest.updatedBy });
      return applied > 0 ? 'applied' : 'stale';
    });
  }

  version(productId: string): ProductVersion | undefined {
    return this.versionOf.get(productId) as ProductVersion | undefined;
  }

  private write(productId: string, field: ChangedField, value: ProductChanges[ChangedField], stamp: ProductStamp): void {
    this.setField[field].run({ productId, value: value as string | number });
    this.setStamp.run({ productId, field, updatedAt: isoOf(stamp), updatedBy: stamp.region });
  }
}

function fieldsOf(changes: ProductChanges): ChangedField[] {
  return (Object.keys(COLUMN) as ChangedField[]).filter((field) => changes[field] !== undefined);
}
