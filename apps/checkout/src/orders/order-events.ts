import { createHash } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { TOPICS, type OrderStatus } from '@keel/contracts';
import { enqueueEvent, newEvent } from '@keel/messaging';
import { chargeKeyOf } from '../dependencies/payment-providers';
import type { OrderRecord } from './order-record';

/**
 * Writes the events of an order's state change into the outbox. Call inside the transaction that
 * writes the change, with the status the order had before it (`undefined`: it was just created).
 * A save that does not change the status writes nothing. Event ids are derived from the order and
 * the event type, so even a change written twice yields one event per fact.
 */
export function enqueueOrderEvents(db: DatabaseSync, before: OrderStatus | undefined, order: OrderRecord): void {
  if (before === order.status) return;
  const fields = (type: string) => ({ key: order.id, origin: order.region, id: eventIdOf(order.id, type) });
  if (before === undefined) {
    const { id: orderId, region, items, totalCents, currency, customer } = order;
    enqueueEvent(db, TOPICS.orders.name, newEvent('order.created', { ...fields('order.created'), data: { orderId, region, items, totalCents, currency, customer } }));
  }
  if (order.status === 'confirmed') {
    if (!order.payment) throw new Error(`order ${order.id} confirmed without a payment`);
    const { provider, chargeId } = order.payment;
    const captured = { orderId: order.id, provider, chargeId, idempotencyKey: chargeKeyOf(order.id), amountCents: order.totalCents, currency: order.currency };
    enqueueEvent(db, TOPICS.payments.name, newEvent('payment.captured', { ...fields('payment.captured'), data: captured }));
    enqueueEvent(db, TOPICS.orders.name, newEvent('order.confirmed', { ...fields('order.confirmed'), data: { orderId: order.id, totalCents: order.totalCents, payment: order.payment } }));
  }
  if (order.status === 'failed') {
    const reason = order.failureReason || 'failed';
    enqueueEvent(db, TOPICS.orders.name, newEvent('order.cancelled', { ...fields('order.cancelled'), data: { orderId: order.id, reason } }));
  }
}

/** A name-based UUID (version 5 layout over SHA-256) of the order id and event type. */
function eventIdOf(orderId: string, type: string): string {
  const bytes = createHash('sha256').update(`${orderId}\n${type}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
