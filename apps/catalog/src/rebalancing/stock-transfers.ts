import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { Inject, Injectable } from '@nestjs/common';
import { TOPICS, type EventEnvelope } from '@keel/contracts';
import { enqueueEvent, newEvent, UnprocessableEventError, type HandlerContext } from '@keel/messaging';
import { transaction } from '@keel/service-kit';
import { CatalogDatabase } from '../database/catalog-database';
import { RebalanceSettings } from './rebalance-settings';
import { TransferRequests } from './transfer-requests';

/** What handling one transfer event did, for logs and tests. */
export type TransferOutcome = 'sent' | 'declined' | 'received' | 'closed' | 'duplicate' | 'not-for-us';

type Dedupe = Pick<HandlerContext, 'markProcessed'>;

/**
 * The event side of rebalancing, one handler per transfer event. Each runs in one transaction
 * with its dedupe record (`markProcessed`), so an event redelivered any number of times acts once.
 *
 * A region acts only on events addressed to it, and never on its own: it sees those too (its
 * outbox publishes to the broker it consumes from), and in a test both regions share one broker.
 *
 * Units are never created or lost: the sender takes them from `stock` and records a
 * `transfers_out` row in the transaction that writes `stock.transferred`; the receiver adds them
 * and records a `transfers_in` row, keyed by transfer id so a second event for the same transfer
 * adds nothing. Between the two the units are in transit (out minus in, across regions).
 */
@Injectable()
export class StockTransfers {
  private readonly db: DatabaseSync;
  private readonly stockOf: StatementSync;
  private readonly take: StatementSync;
  private readonly add: StatementSync;
  private readonly recordOut: StatementSync;
  private readonly recordIn: StatementSync;

  constructor(
    @Inject(CatalogDatabase) database: CatalogDatabase,
    @Inject(RebalanceSettings) private readonly settings: RebalanceSettings,
    @Inject(TransferRequests) private readonly requests: TransferRequests,
  ) {
    const db = (this.db = database.db);
    this.stockOf = db.prepare('SELECT stock FROM products WHERE id = ?');
    this.take = db.prepare('UPDATE products SET stock = stock - $quantity WHERE id = $productId AND stock >= $quantity');
    this.add = db.prepare('UPDATE products SET stock = stock + $quantity WHERE id = $productId');
    this.recordOut = db.prepare(
      'INSERT INTO transfers_out (transfer_id, product_id, quantity, to_region, sent_at) VALUES ($transferId, $productId, $quantity, $to, $now) ON CONFLICT (transfer_id) DO NOTHING',
    );
    this.recordIn = db.prepare(
      'INSERT INTO transfers_in (transfer_id, product_id, quantity, from_region, received_at) VALUES ($transferId, $productId, $quantity, $from, $now) ON CONFLICT (transfer_id) DO NOTHING',
    );
  }

  /**
   * The peer asks this region for units. Sent only if this region keeps at least its own
   * low-water mark afterwards (so giving never makes the giver ask back), else declined.
   */
  onRequested(event: EventEnvelope<'stock.transfer-requested'>, ctx: Dedupe): TransferOutcome {
    const { region, lowWater } = this.settings;
    const { transferId, productId, quantity, from, to } = event.data;
    if (event.origin === region || from !== region || to === region) return 'not-for-us';
    return transaction(this.db, () => {
      if (!ctx.markProcessed()) return 'duplicate';
      const answer = { key: productId, origin: region };
      const row = this.stockOf.get(productId) as { stock: number } | undefined;
      const reason = !row
        ? `no product ${productId} in ${region}`
        : row.stock - quantity < lowWater
          ? `${region} has ${row.stock} of ${productId} available; sending ${quantity} would leave it below its low-water mark of ${lowWater}`
          : undefined;
      if (reason !== undefined) {
        enqueueEvent(this.db, TOPICS.stock.name, newEvent('stock.transfer-declined', { ...answer, data: { transferId, productId, from, to, reason } }));
        return 'declined';
      }
      // A second request event with the same transfer id (a different event id) sends nothing more.
      if (this.recordOut.run({ transferId, productId, quantity, to, now: new Date().toISOString() }).changes !== 1) return 'duplicate';
      if (this.take.run({ productId, quantity }).changes !== 1) throw new Error(`stock of ${productId} changed inside a write transaction`);
      enqueueEvent(this.db, TOPICS.stock.name, newEvent('stock.transferred', { ...answer, data: { transferId, productId, quantity, from, to } }));
      return 'sent';
    });
  }

  /** Units the peer sent this region: added once per transfer id, whether or not the request is still open. */
  onTransferred(event: EventEnvelope<'stock.transferred'>, ctx: Dedupe): TransferOutcome {
    const { region } = this.settings;
    const { transferId, productId, quantity, from, to } = event.data;
    if (event.origin === region || to !== region || from === region) return 'not-for-us';
    return transaction(this.db, () => {
      if (!ctx.markProcessed()) return 'duplicate';
      // The sender already took the units: dropping them would lose stock, so a human must look.
      if (!this.stockOf.get(productId)) throw new UnprocessableEventError(`transfer ${transferId} of ${quantity} × ${productId}: no such product in ${region}`);
      if (this.recordIn.run({ transferId, productId, quantity, from, now: new Date().toISOString() }).changes !== 1) return 'duplicate';
      this.add.run({ productId, quantity });
      this.requests.close(transferId, 'received');
      return 'received';
    });
  }

  /** The peer would not give: the request closes, and the next low reservation may ask again. */
  onDeclined(event: EventEnvelope<'stock.transfer-declined'>, ctx: Dedupe): TransferOutcome {
    const { region } = this.settings;
    const { transferId, from, to } = event.data;
    if (event.origin === region || to !== region || from === region) return 'not-for-us';
    return transaction(this.db, () => {
      if (!ctx.markProcessed()) return 'duplicate';
      this.requests.close(transferId, 'declined');
      return 'closed';
    });
  }
}
