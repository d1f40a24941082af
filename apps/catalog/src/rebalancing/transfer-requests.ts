import { randomUUID } from 'node:crypto';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { Inject, Injectable } from '@nestjs/common';
import { TOPICS } from '@keel/contracts';
import { enqueueEvent, newEvent } from '@keel/messaging';
import { CatalogDatabase } from '../database/catalog-database';
import { RebalanceSettings } from './rebalance-settings';

export type RequestStatus = 'open' | 'received' | 'declined' | 'expired';

export interface TransferRequest {
  transferId: string;
  productId: string;
  quantity: number;
  fromRegion: string;
  status: RequestStatus;
  requestedAt: number;
}

/**
 * The asking side of rebalancing: when a reservation leaves a product below the low-water mark,
 * ask the peer for a batch, at most one open request per product (a burst of orders asks once).
 * A request is open until its units arrive, the peer declines, or it is older than the TTL (the
 * peer may be down; a late transfer is still added when it arrives, see StockTransfers).
 * Every method runs inside the caller's write transaction, so a request is recorded and its
 * event written together with the reservation that caused it, or not at all.
 */
@Injectable()
export class TransferRequests {
  private readonly db: DatabaseSync;
  private readonly stockOf: StatementSync;
  private readonly expireStale: StatementSync;
  private readonly openFor: StatementSync;
  private readonly insert: StatementSync;
  private readonly closeOpen: StatementSync;
  private readonly byId: StatementSync;

  constructor(
    @Inject(CatalogDatabase) database: CatalogDatabase,
    @Inject(RebalanceSettings) private readonly settings: RebalanceSettings,
  ) {
    const db = (this.db = database.db);
    this.stockOf = db.prepare('SELECT stock FROM products WHERE id = ?');
    this.expireStale = db.prepare("UPDATE transfer_requests SET status = 'expired', closed_at = $now WHERE product_id = $productId AND status = 'open' AND requested_at <= $cutoff");
    this.openFor = db.prepare("SELECT transfer_id FROM transfer_requests WHERE product_id = ? AND status = 'open'");
    this.insert = db.prepare(
      "INSERT INTO transfer_requests (transfer_id, product_id, quantity, from_region, status, requested_at) VALUES ($transferId, $productId, $quantity, $from, 'open', $now)",
    );
    // An expired request is closed too when its answer comes late: the answer is what happened.
    this.closeOpen = db.prepare("UPDATE transfer_requests SET status = $status, closed_at = $now WHERE transfer_id = $transferId AND status IN ('open', 'expired')");
    this.byId = db.prepare('SELECT transfer_id AS transferId, product_id AS productId, quantity, from_region AS fromRegion, status, requested_at AS requestedAt FROM transfer_requests WHERE transfer_id = ?');
  }

  /** Asks the peer for a batch of `productId` if it is below the mark and nothing is asked yet; returns the new transfer id. */
  requestIfLow(productId: string, now = Date.now()): string | undefined {
    const { peer, region, lowWater, batch, requestTtlMs } = this.settings;
    if (!this.settings.asksForStock || peer === undefined) return undefined;
    const row = this.stockOf.get(productId) as { stock: number } | undefined;
    if (!row || row.stock >= lowWater) return undefined;
    this.expireStale.run({ productId, now, cutoff: now - requestTtlMs });
    if (this.openFor.get(productId)) return undefined;
    const transferId = randomUUID();
    this.insert.run({ transferId, productId, quantity: batch, from: peer, now });
    const data = { transferId, productId, quantity: batch, from: peer, to: region };
    enqueueEvent(this.db, TOPICS.stock.name, newEvent('stock.transfer-requested', { key: productId, origin: region, data }));
    return transferId;
  }

  /** Closes the request `transferId` (units received, or declined); false when it was not open here. */
  close(transferId: string, status: 'received' | 'declined', now = Date.now()): boolean {
    return this.closeOpen.run({ transferId, status, now }).changes === 1;
  }

  find(transferId: string): TransferRequest | undefined {
    return this.byId.get(transferId) as TransferRequest | undefined;
  }
}
