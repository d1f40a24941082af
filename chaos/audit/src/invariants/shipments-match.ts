import type { Shipment } from '@keel/contracts';
import { isInFlight, ordersById, type AuditRules, type AuditSnapshot, type InvariantResult } from '../model';

/**
 * Invariant 5: goods leave for paid orders only. Every confirmed order has exactly one live
 * (scheduled) shipment, the one it names; an order that ended otherwise has none (its shipment was
 * cancelled by the saga's compensation); and no live shipment belongs to no order. Orders still in
 * flight may hold a shipment not yet confirmed or not yet cancelled: they are left out.
 */
export function checkShipmentsMatch(snapshot: AuditSnapshot, rules: AuditRules): InvariantResult {
  const result: InvariantResult = {
    name: 'shipments-match',
    description: 'one live shipment per confirmed order, none otherwise',
    checked: 0,
    violations: [],
    figures: { liveShipments: 0, cancelledShipments: 0 },
  };
  const flag = (subject: string, message: string) => result.violations.push({ invariant: 'shipments-match', subject, message });
  const live = new Map<string, Shipment[]>();
  for (const shipment of snapshot.shipments) {
    result.figures[shipment.status === 'scheduled' ? 'liveShipments' : 'cancelledShipments']++;
    if (shipment.status === 'scheduled') live.set(shipment.reference, [...(live.get(shipment.reference) ?? []), shipment]);
  }
  const orders = ordersById(snapshot);
  for (const order of orders.values()) {
    if (isInFlight(order, snapshot.takenAt, rules)) continue;
    result.checked++;
    const shipments = live.get(order.id) ?? [];
    if (order.status === 'confirmed') {
      if (shipments.length === 0) flag(order.id, `order ${order.id} is confirmed but has no live shipment`);
      else if (shipments.length > 1) flag(order.id, `order ${order.id} has ${shipments.length} live shipments: ${shipments.map((s) => s.id).join(', ')}`);
      else if (order.shipment && order.shipment.shipmentId !== shipments[0].id) flag(order.id, `order ${order.id} names shipment ${order.shipment.shipmentId} but ${shipments[0].id} is the live one`);
    } else if (shipments.length > 0) {
      flag(order.id, `order ${order.id} is ${order.status} but shipment ${shipments.map((s) => s.id).join(', ')} is still scheduled`);
    }
  }
  for (const [reference, shipments] of live) {
    if (orders.has(reference)) continue;
    result.checked++;
    flag(reference, `shipment ${shipments.map((s) => s.id).join(', ')} is scheduled for ${reference}, which is no order in either region`);
  }
  return result;
}
