import { z } from 'zod';
import { regionOfOrder } from './orders';

/*
 * The events keel services exchange through Kafka. An event states a fact that has happened
 * (past tense); its payload is small and self-contained, so a consumer never has to call back the
 * producer to act on it. Money is in integer cents, as everywhere in keel.
 */

const orderId = z.string().refine((id) => regionOfOrder(id) !== undefined, 'not an order id (ord_<region>_<uuid>)');
const text = z.string().min(1).max(200);
const reason = z.string().min(1).max(500);
const cents = z.number().int().nonnegative();
const lineItem = z.object({ productId: text, quantity: z.number().int().positive() });
const orderLine = lineItem.extend({ unitPriceCents: cents });
const currency = z.literal('USD');
const transferId = z.uuid();
const units = z.number().int().positive().max(10_000);
/** A product change as `PUT /admin/products/:id` takes it: at least one field. Stock is never in it. */
const productChanges = z
  .strictObject({ priceCents: cents.optional(), name: text.optional(), description: z.string().min(1).max(2_000).optional() })
  .refine((changes) => Object.keys(changes).length > 0, 'changes must name at least one field');

/** The payload schema of every event type keel knows, at its current version. */
export const EVENT_DATA = {
  'order.created': z.object({ orderId, region: text, items: z.array(orderLine).min(1), totalCents: cents, currency, customer: z.object({ email: z.email() }) }),
  'order.confirmed': z.object({ orderId, totalCents: cents, payment: z.object({ provider: text, chargeId: text }) }),
  'order.cancelled': z.object({ orderId, reason }),
  /** Accepted with no provider able to charge it: it will be charged from the queue on recovery. */
  'order.payment-pending': z.object({ orderId, totalCents: cents, reason }),
  /** A compensation kept failing: the saga stopped and a human must finish it (also sent to the orders DLQ). */
  'order.needs-attention': z.object({ orderId, step: text, reason, attempts: z.number().int().nonnegative(), remaining: z.array(text) }),
  /** `reservationId` is the order id (catalog reservations are idempotent on it). */
  'stock.reserved': z.object({ reservationId: text, orderId, region: text, items: z.array(lineItem).min(1) }),
  'stock.released': z.object({ reservationId: text, orderId, region: text, items: z.array(lineItem).min(1), reason }),
  /**
   * Stock rebalancing between regions (each region sells only units it owns). `to` ran low and
   * asks `from` for `quantity` units; `from` answers with `stock.transferred` (the units left its
   * stock and are in transit until `to` adds them) or `stock.transfer-declined`.
   */
  'stock.transfer-requested': z.object({ transferId, productId: text, quantity: units, from: text, to: text }),
  'stock.transferred': z.object({ transferId, productId: text, quantity: units, from: text, to: text }),
  'stock.transfer-declined': z.object({ transferId, productId: text, from: text, to: text, reason }),
  /**
   * A product's descriptive fields changed in `region` (never its stock). Regions apply each
   * other's updates last-writer-wins by (`updatedAt`, `region`); `version` counts the changes the
   * writer had seen (a Lamport counter), for humans and logs.
   */
  'product.updated': z.object({ productId: text, changes: productChanges, version: z.number().int().positive(), updatedAt: z.iso.datetime(), region: text }),
  'payment.captured': z.object({ orderId, provider: text, chargeId: text, idempotencyKey: text, amountCents: cents, currency }),
  'payment.refunded': z.object({ orderId, provider: text, chargeId: text, refundId: text, amountCents: cents, currency }),
  'shipment.scheduled': z.object({ orderId, carrier: text, shipmentId: text, items: z.array(lineItem).min(1) }),
  'shipment.cancelled': z.object({ orderId, shipmentId: text, reason }),
  'notification.requested': z.object({
    orderId,
    channel: z.literal('email'),
    to: z.email(),
    template: z.enum(['order-confirmed', 'order-cancelled', 'order-payment-pending']),
  }),
} as const;

export type EventType = keyof typeof EVENT_DATA;
export type EventData<T extends EventType> = z.infer<(typeof EVENT_DATA)[T]>;

/**
 * The version each event type is produced at. A consumer refuses other versions rather than
 * guess: a breaking change gets a new version and a schema beside the old one.
 */
export const EVENT_VERSION = 1;

export const EVENT_TYPES = Object.keys(EVENT_DATA) as EventType[];

/** What every event carries around its payload. */
export const eventEnvelopeSchema = z.object({
  /** Unique per event; consumers deduplicate on it (delivery is at least once). */
  id: z.uuid(),
  type: z.string().min(1).max(100),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime({ offset: true }),
  /** The region where the event happened; replication uses it to avoid loops. */
  origin: text,
  /** The partition key (an order id for order events): per-key order is kept. */
  key: text,
  data: z.unknown(),
});

export interface EventEnvelope<T extends EventType = EventType> {
  id: string;
  type: T;
  version: number;
  occurredAt: string;
  origin: string;
  key: string;
  data: EventData<T>;
}

/** Any one event, discriminated on `type`: `switch (event.type)` narrows `data`. */
export type KeelEvent = { [T in EventType]: EventEnvelope<T> }[EventType];

/** Why an input is not a usable event; these slugs are also the dead-letter reasons. */
export type EventRejection = 'invalid-envelope' | 'unknown-event-type' | 'unsupported-version' | 'invalid-data';

export type EventParseResult = { ok: true; event: KeelEvent } | { ok: false; reason: EventRejection; detail: string };

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_DATA, type);
}

/** Validates an untrusted value (a decoded message) as a keel event, saying why when it is not. */
export function parseEvent(input: unknown): EventParseResult {
  const envelope = eventEnvelopeSchema.safeParse(input);
  if (!envelope.success) return { ok: false, reason: 'invalid-envelope', detail: z.prettifyError(envelope.error) };
  const { type, version, data } = envelope.data;
  if (!isEventType(type)) return { ok: false, reason: 'unknown-event-type', detail: `unknown event type "${type}"` };
  if (version !== EVENT_VERSION) return { ok: false, reason: 'unsupported-version', detail: `${type} version ${version} (this build reads ${EVENT_VERSION})` };
  const payload = EVENT_DATA[type].safeParse(data);
  if (!payload.success) return { ok: false, reason: 'invalid-data', detail: `${type}: ${z.prettifyError(payload.error)}` };
  return { ok: true, event: { ...envelope.data, type, data: payload.data } as KeelEvent };
}
