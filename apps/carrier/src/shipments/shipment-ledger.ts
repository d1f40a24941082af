import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { Inject, Injectable } from '@nestjs/common';
import type { Shipment, ShipmentItem } from '@keel/contracts';
import { SERVICE_ENV } from '@keel/service-kit';
import type { CarrierEnv } from '../carrier.env';
import { CarrierDatabase } from '../database/carrier-database';

/** A shipment as written, with the fingerprint of the request that created it. */
export interface ShipmentRecord {
  shipment: Shipment;
  requestHash: string;
}

interface ShipmentRow {
  id: string;
  idempotency_key: string;
  request_hash: string;
  reference: string;
  items_json: string;
  status: Shipment['status'];
  created_at: string;
  cancelled_at: string | null;
}

/**
 * The carrier's book of shipments. Plain reads and writes only; the rules (and the transactions
 * around them) live in `Shipments`.
 */
@Injectable()
export class ShipmentLedger {
  readonly db: DatabaseSync;
  private readonly carrier: string;
  private readonly statements: Record<string, StatementSync>;

  constructor(@Inject(CarrierDatabase) database: CarrierDatabase, @Inject(SERVICE_ENV) env: CarrierEnv) {
    this.db = database.db;
    this.carrier = env.KEEL_INSTANCE;
    const sql = (text: string) => this.db.prepare(text);
    this.statements = {
      byId: sql('SELECT * FROM shipments WHERE id = ?'),
      byKey: sql('SELECT * FROM shipments WHERE idempotency_key = ?'),
      byReference: sql('SELECT * FROM shipments WHERE reference = ? ORDER BY created_at, id'),
      all: sql('SELECT * FROM shipments ORDER BY created_at, id'),
      insert: sql(
        "INSERT INTO shipments (id, idempotency_key, request_hash, reference, items_json, status, created_at) VALUES ($id, $idempotencyKey, $requestHash, $reference, $itemsJson, 'scheduled', $createdAt)",
      ),
      cancel: sql("UPDATE shipments SET status = 'cancelled', cancelled_at = ? WHERE id = ? AND status = 'scheduled'"),
    };
  }

  shipment(id: string): Shipment | undefined {
    const row = this.statements.byId.get(id) as ShipmentRow | undefined;
    return row && this.toShipment(row);
  }

  byKey(key: string): ShipmentRecord | undefined {
    const row = this.statements.byKey.get(key) as ShipmentRow | undefined;
    return row && { shipment: this.toShipment(row), requestHash: row.request_hash };
  }

  shipmentsFor(reference: string): Shipment[] {
    return (this.statements.byReference.all(reference) as unknown as ShipmentRow[]).map((row) => this.toShipment(row));
  }

  allShipments(): Shipment[] {
    return (this.statements.all.all() as unknown as ShipmentRow[]).map((row) => this.toShipment(row));
  }

  /** Writes a new, scheduled shipment. */
  insert({ shipment, requestHash }: ShipmentRecord): void {
    const { id, idempotencyKey, reference, items, createdAt } = shipment;
    this.statements.insert.run({ id, idempotencyKey, requestHash, reference, itemsJson: JSON.stringify(items), createdAt });
  }

  /** Marks a scheduled shipment cancelled; a cancelled one keeps its first `cancelledAt`. */
  cancel(id: string, at: string): void {
    this.statements.cancel.run(at, id);
  }

  private toShipment(row: ShipmentRow): Shipment {
    return {
      id: row.id,
      carrier: this.carrier,
      idempotencyKey: row.idempotency_key,
      reference: row.reference,
      items: JSON.parse(row.items_json) as ShipmentItem[],
      status: row.status,
      createdAt: row.created_at,
      ...(row.cancelled_at ? { cancelledAt: row.cancelled_at } : {}),
    };
  }
}
