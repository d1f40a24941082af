/** One line of a shipment: what to pick and how many. */
export interface ShipmentItem {
  productId: string;
  quantity: number;
}

/** `POST /shipments` on the carrier; idempotent on the `Idempotency-Key` header. */
export interface ShipmentRequest {
  /** What the shipment is for (checkout sends the order id). */
  reference: string;
  /** 1..50 lines, quantity 1..100 each. */
  items: ShipmentItem[];
}

export type ShipmentStatus = 'scheduled' | 'cancelled';

export interface Shipment {
  /** `shp_<uuid>` */
  id: string;
  /** The carrier instance that took it (its KEEL_INSTANCE). */
  carrier: string;
  idempotencyKey: string;
  reference: string;
  items: ShipmentItem[];
  status: ShipmentStatus;
  createdAt: string;
  /** Set once, by the first cancel. */
  cancelledAt?: string;
}

/** `GET /shipments?reference=...`: every shipment for one reference (checkout: an order id), any status. */
export interface ShipmentList {
  items: Shipment[];
}

/** `GET /admin/shipments` on the carrier's admin port: every shipment it holds, for the audit. */
export interface CarrierLedger {
  carrier: string;
  shipments: Shipment[];
}
