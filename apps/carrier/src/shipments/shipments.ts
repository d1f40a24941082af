import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Shipment, ShipmentRequest } from '@keel/contracts';
import { SERVICE_ENV, transaction } from '@keel/service-kit';
import type { CarrierEnv } from '../carrier.env';
import { idempotencyKeyReused, shipmentNotFound } from '../carrier.problems';
import { shipmentFingerprint } from './shipment-fingerprint';
import { ShipmentLedger } from './shipment-ledger';

/** What scheduling produced, and whether it happened now (201) or is a replay of an earlier one (200). */
export interface ScheduleOutcome {
  shipment: Shipment;
  created: boolean;
}

/**
 * Schedules shipments exactly once per idempotency key, and cancels them idempotently. The key
 * lookup and the write run in one `BEGIN IMMEDIATE` transaction, so two requests with the same
 * key (in this process or another one on the same file) cannot both see "new key"; the UNIQUE
 * key column backs that up. Keys decide, not references: a second key for the same order is a
 * second shipment, as it would be at a real carrier.
 */
@Injectable()
export class Shipments {
  constructor(
    @Inject(ShipmentLedger) private readonly ledger: ShipmentLedger,
    @Inject(SERVICE_ENV) private readonly env: CarrierEnv,
  ) {}

  schedule(key: string, request: ShipmentRequest): ScheduleOutcome {
    const requestHash = shipmentFingerprint(request);
    return transaction(this.ledger.db, () => {
      const seen = this.ledger.byKey(key);
      if (seen && seen.requestHash !== requestHash) throw idempotencyKeyReused(key);
      if (seen) return { shipment: seen.shipment, created: false };
      const shipment: Shipment = {
        id: `shp_${randomUUID()}`,
        carrier: this.env.KEEL_INSTANCE,
        idempotencyKey: key,
        reference: request.reference,
        items: request.items.map(({ productId, quantity }) => ({ productId, quantity })),
        status: 'scheduled',
        createdAt: new Date().toISOString(),
      };
      this.ledger.insert({ shipment, requestHash });
      return { shipment, created: true };
    });
  }

  /** Cancelling a cancelled shipment answers the same shipment, first `cancelledAt` kept. */
  cancel(shipmentId: string): Shipment {
    return transaction(this.ledger.db, () => {
      this.shipment(shipmentId);
      this.ledger.cancel(shipmentId, new Date().toISOString());
      return this.shipment(shipmentId);
    });
  }

  shipment(shipmentId: string): Shipment {
    const shipment = this.ledger.shipment(shipmentId);
    if (!shipment) throw shipmentNotFound(shipmentId);
    return shipment;
  }

  shipmentsFor(reference: string): Shipment[] {
    return this.ledger.shipmentsFor(reference);
  }
}
