import { createHash } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { deadLetterTopic, TOPICS, type KeelEvent } from '@keel/contracts';
import { enqueueEvent, newEvent } from '@keel/messaging';
import { chargeKeyOf } from '../dependencies/payment-providers';
import type { OrderRecord } from './order-record';

type Template = 'order-confirmed' | 'order-cancelled' | 'order-payment-pending';

/**
 * Writes the events of one saved change of an order into the outbox: call inside the transaction
 * that writes the change, with the order as it was before (`undefined`: it was just created).
 * Each fact is found by comparing before and after, so a save that changes nothing writes
 * nothing, and event ids derive from the order and the fact: a change written twice is one event.
 *
 * Notifying the customer is the saga's last step and rides on the same transaction as the status
 * it announces: the relay delivers it at least once, on its own schedule, so a notification
 * that cannot go out yet never holds up or fails the order.
 */
export function enqueueOrderEvents(db: DatabaseSync, before: OrderRecord | undefined, order: OrderRecord): void {
  const emit = (topic: string, event: KeelEvent) => enqueueEvent(db, topic, event);
  const fields = (type: string) => ({ key: order.id, origin: order.region, id: eventIdOf(order.id, type) });
  const notify = (template: Template) =>
    emit(TOPICS.notifications.name, newEvent('notification.requested', { ...fields(`notification:${template}`), data: { orderId: order.id, channel: 'email', to: order.customer.email, template } }));
  const became = (status: OrderRecord['status']) => order.status === status && before?.status !== status;

  if (!before) {
    const { id: orderId, region, items, totalCents, currency, customer } = order;
    emit(TOPICS.orders.name, newEvent('order.created', { ...fields('order.created'), data: { orderId, region, items, totalCents, currency, customer } }));
  }
  if (order.payment && !before?.payment) {
    const { provider, chargeId } = order.payment;
    const data = { orderId: order.id, provider, chargeId, idempotencyKey: chargeKeyOf(order.id), amountCents: order.totalCents, currency: order.currency };
    emit(TOPICS.payments.name, newEvent('payment.captured', { ...fields('payment.captured'), data }));
  }
  if (order.shipment && !before?.shipment) {
    const items = order.items.map(({ productId, quantity }) => ({ productId, quantity }));
    emit(TOPICS.shipping.name, newEvent('shipment.scheduled', { ...fields('shipment.scheduled'), data: { orderId: order.id, carrier: order.shipment.carrier, shipmentId: order.shipment.shipmentId, items } }));
  }
  if (before?.nextStep === 'cancel-shipment' && order.nextStep !== 'cancel-shipment' && order.shipment) {
    const reason = order.failureReason ?? 'order failed';
    emit(TOPICS.shipping.name, newEvent('shipment.cancelled', { ...fields('shipment.cancelled'), data: { orderId: order.id, shipmentId: order.shipment.shipmentId, reason } }));
  }
  if (order.refundId && !before?.refundId && order.payment) {
    const { provider, chargeId } = order.payment;
    const data = { orderId: order.id, provider, chargeId, refundId: order.refundId, amountCents: order.totalCents, currency: order.currency };
    emit(TOPICS.payments.name, newEvent('payment.refunded', { ...fields('payment.refunded'), data }));
  }
  if (became('payment-pending')) {
    const reason = 'no payment provider could take the charge';
    emit(TOPICS.orders.name, newEvent('order.payment-pending', { ...fields('order.payment-pending'), data: { orderId: order.id, totalCents: order.totalCents, reason } }));
    notify('order-payment-pending');
  }
  if (became('confirmed')) {
    if (!order.payment) throw new Error(`order ${order.id} confirmed without a payment`);
    emit(TOPICS.orders.name, newEvent('order.confirmed', { ...fields('order.confirmed'), data: { orderId: order.id, totalCents: order.totalCents, payment: order.payment } }));
    notify('order-confirmed');
  }
  // Cancelled once the last compensation (cancel-order) has run, not when the failure was found.
  if (order.status === 'failed' && order.nextStep === null && before?.nextStep !== null) {
    emit(TOPICS.orders.name, newEvent('order.cancelled', { ...fields('order.cancelled'), data: { orderId: order.id, reason: order.failureReason || 'failed' } }));
    notify('order-cancelled');
  }
  if (became('needs-attention')) {
    const step = order.nextStep ?? 'unknown';
    const data = { orderId: order.id, step, reason: order.attention ?? 'compensation failed', attempts: order.stepAttempts, remaining: [step, ...order.compensations] };
    emit(TOPICS.orders.name, newEvent('order.needs-attention', { ...fields('order.needs-attention'), data }));
    // The saga itself goes to the dead-letter topic, where the runbook's tooling looks for stopped work.
    emit(deadLetterTopic(TOPICS.orders.name), newEvent('order.needs-attention', { ...fields('order.needs-attention:dlq'), data }));
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
