import { describe, expect, it } from 'vitest';
import { newOrderId, type EventEnvelope, type KeelEvent } from '@keel/contracts';
import { newEvent } from '@keel/messaging';
import { openDatabase } from '@keel/service-kit';
import type { CheckoutDatabase } from '../database/checkout-database';
import { ReplicatedOrders } from './replicated-orders';

const orderId = newOrderId('eu-west', '00000000-0000-4000-8000-0000000000e1');
const fields = { key: orderId, origin: 'eu-west' };
const created = newEvent('order.created', { ...fields, data: { orderId, region: 'eu-west', items: [{ productId: 'p-1', quantity: 1, unitPriceCents: 500 }], totalCents: 500, currency: 'USD', customer: { email: 'a@example.com' } } });
const shipped = newEvent('shipment.scheduled', { ...fields, data: { orderId, carrier: 'carrier', shipmentId: 'shp_1', items: [{ productId: 'p-1', quantity: 1 }] } });
const confirmed = newEvent('order.confirmed', { ...fields, data: { orderId, totalCents: 500, payment: { provider: 'provider-a', chargeId: 'ch_1' } } });
const pending = newEvent('order.payment-pending', { ...fields, data: { orderId, totalCents: 500, reason: 'late' } });

function replicaAfter(events: KeelEvent[]): ReplicatedOrders {
  const replica = new ReplicatedOrders({ db: openDatabase(':memory:') } as CheckoutDatabase);
  for (const event of events) replica.apply(event as EventEnvelope);
  return replica;
}

describe('the replica of the other region’s orders', () => {
  it('builds the order from its events, whichever topic delivered first', () => {
    const inOrder = replicaAfter([created, shipped, confirmed]).find(orderId);
    // The shipment outran its order.created (another topic): it is kept aside, then applied.
    const shipmentFirst = replicaAfter([shipped, created, confirmed]).find(orderId);
    expect(inOrder).toMatchObject({ id: orderId, region: 'eu-west', status: 'confirmed', payment: { chargeId: 'ch_1' }, shipment: { shipmentId: 'shp_1' } });
    expect(shipmentFirst).toEqual(inOrder);
  });

  it('only moves an order forward: a late payment-pending does not undo its confirmation', () => {
    expect(replicaAfter([created, confirmed, pending]).find(orderId)?.status).toBe('confirmed');
    expect(replicaAfter([created, pending]).find(orderId)?.status).toBe('payment-pending');
  });

  it('knows nothing of an order whose order.created has not arrived', () => {
    expect(replicaAfter([shipped, confirmed]).find(orderId)).toBeUndefined();
  });
});
