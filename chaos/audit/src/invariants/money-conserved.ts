import { allCharges, formatCents, isInFlight, ordersById, type AuditRules, type AuditSnapshot, type InvariantResult } from '../model';

/** Net money each reference (an order id) holds across both providers: captures minus refunds. */
function netByReference(snapshot: AuditSnapshot): { net: Map<string, number>; captured: number; refunded: number } {
  const refundedByCharge = new Map<string, number>();
  for (const ledger of snapshot.providers) {
    for (const refund of ledger.refunds) {
      const id = `${ledger.provider}/${refund.chargeId}`;
      refundedByCharge.set(id, (refundedByCharge.get(id) ?? 0) + refund.amountCents);
    }
  }
  const net = new Map<string, number>();
  let captured = 0;
  let refunded = 0;
  for (const charge of allCharges(snapshot)) {
    const back = refundedByCharge.get(`${charge.provider}/${charge.id}`) ?? 0;
    captured += charge.amountCents;
    refunded += back;
    net.set(charge.reference, (net.get(charge.reference) ?? 0) + charge.amountCents - back);
  }
  return { net, captured, refunded };
}

/**
 * Invariant 3: captures − refunds (both providers) equal the value of confirmed orders (both
 * regions), order by order, so a mismatch names the order: captured but not confirmed (money
 * taken for nothing), confirmed but not captured (goods given away), or captured for no order
 * at all. Orders still in flight may hold a capture not yet confirmed: they are left out.
 */
export function checkMoneyConserved(snapshot: AuditSnapshot, rules: AuditRules): InvariantResult {
  const { net, captured, refunded } = netByReference(snapshot);
  const orders = ordersById(snapshot);
  const result: InvariantResult = {
    name: 'money-conserved',
    description: 'captures − refunds = value of confirmed orders',
    checked: 0,
    violations: [],
    figures: { capturedCents: captured, refundedCents: refunded, confirmedCents: 0, inFlightCents: 0 },
  };
  const flag = (subject: string, message: string) => result.violations.push({ invariant: 'money-conserved', subject, message });
  for (const order of orders.values()) {
    result.checked++;
    const held = net.get(order.id) ?? 0;
    if (isInFlight(order, snapshot.takenAt, rules)) {
      result.figures.inFlightCents += held;
      continue;
    }
    const expected = order.status === 'confirmed' ? order.totalCents : 0;
    if (order.status === 'confirmed') result.figures.confirmedCents += order.totalCents;
    if (held === expected) continue;
    if (order.status === 'confirmed' && held === 0) flag(order.id, `order ${order.id} is confirmed (${formatCents(expected)}) but not captured`);
    else if (order.status !== 'confirmed') flag(order.id, `order ${order.id} is ${order.status} but ${formatCents(held)} is captured for it`);
    else flag(order.id, `order ${order.id} is confirmed for ${formatCents(expected)} but ${formatCents(held)} is captured for it`);
  }
  for (const [reference, held] of net) {
    if (orders.has(reference)) continue;
    result.checked++;
    if (held !== 0) flag(reference, `${formatCents(held)} is captured for ${reference}, which is no order in either region`);
  }
  return result;
}
