import type { DatabaseSync } from 'node:sqlite';
import type { EventEnvelope, EventType, KeelEvent } from '@keel/contracts';
import { SqliteProcessedEvents, unsentEvents } from '@keel/messaging';
import { openDatabase } from '@keel/service-kit';
import type { CatalogEnv } from '../catalog.env';
import type { CatalogDatabase } from '../database/catalog-database';
import { migrateCatalog, seedProductsIfEmpty } from '../database/catalog-schema';
import { ProductRepository } from '../products/product.repository';
import { RebalanceSettings } from '../rebalancing/rebalance-settings';
import { StockTransfers } from '../rebalancing/stock-transfers';
import { TransferRequests } from '../rebalancing/transfer-requests';
import { ProductUpdates } from '../replication/product-updates';
import { StockReservations } from '../reservations/stock-reservations';

export type RegionEnv = Partial<Pick<CatalogEnv, 'KEEL_PEER_REGION' | 'KEEL_KAFKA_BROKERS' | 'KEEL_CATALOG_REBALANCE_LOW_WATER' | 'KEEL_CATALOG_REBALANCE_BATCH' | 'KEEL_CATALOG_REBALANCE_REQUEST_TTL_MINUTES'>>;

/**
 * One region's catalog providers over an in-memory database, without Nest or Kafka: for unit
 * tests of the rules. Rebalancing is on (a broker is named, nothing connects to it) unless the
 * overrides say otherwise.
 */
export function catalogParts(region: string, overrides: RegionEnv = {}) {
  const db = openDatabase(':memory:');
  migrateCatalog(db);
  seedProductsIfEmpty(db);
  const database = { db } as CatalogDatabase;
  const settings = new RebalanceSettings({
    KEEL_REGION: region,
    KEEL_PEER_REGION: region === 'us-east' ? 'eu-west' : 'us-east',
    KEEL_KAFKA_BROKERS: '127.0.0.1:9',
    KEEL_CATALOG_REBALANCE_LOW_WATER: 10,
    KEEL_CATALOG_REBALANCE_BATCH: 20,
    KEEL_CATALOG_REBALANCE_REQUEST_TTL_MINUTES: 5,
    ...overrides,
  });
  const requests = new TransferRequests(database, settings);
  const dedupe = new SqliteProcessedEvents(db);
  return {
    db,
    settings,
    requests,
    reservations: new StockReservations(database, { KEEL_REGION: region }, requests),
    transfers: new StockTransfers(database, settings, requests),
    updates: new ProductUpdates(database, new ProductRepository(database), { KEEL_REGION: region }),
    /** The handler context a consumer in group `catalog-<region>` would pass for `event`. */
    ctx: (event: { id: string }) => ({ markProcessed: () => dedupe.mark(`catalog-${region}`, event.id) }),
    stockOf: (productId: string) => (db.prepare('SELECT stock FROM products WHERE id = ?').get(productId) as { stock: number }).stock,
    /** Unsent outbox events, oldest first; `take` also marks them sent, as the relay would. */
    outbox: (take = false) => outboxOf(db, take),
  };
}

export type CatalogParts = ReturnType<typeof catalogParts>;

function outboxOf(db: DatabaseSync, take: boolean): KeelEvent[] {
  const rows = unsentEvents(db, 1_000);
  if (take) db.prepare('UPDATE outbox SET sent_at = 1 WHERE sent_at IS NULL').run();
  return rows.map((row) => row.event as KeelEvent);
}

/** The events of `type` among `events`, typed. */
export function eventsOfType<T extends EventType>(events: readonly KeelEvent[], type: T): EventEnvelope<T>[] {
  return events.filter((event) => event.type === type) as unknown as EventEnvelope<T>[];
}
