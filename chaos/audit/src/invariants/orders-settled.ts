import { isInFlight, isSettled, NEEDS_ATTENTION, type AuditRules, type AuditSnapshot, type InvariantResult } from '../model';

/**
 * Invariant 1: every order checkout accepted has ended (`confirmed`, or `failed` with its
 * compensations done) or is still legitimately in flight. An order still working past its
 * threshold is lost work: nothing is going to finish it. An order that `needs-attention` has
 * ended, but a compensation gave up on it: it is named, with the runbook to finish it.
 */
export function checkOrdersSettled(snapshot: AuditSnapshot, rules: AuditRules): InvariantResult {
  const result: InvariantResult = {
    name: 'orders-settled',
    description: 'every accepted order is terminal or in flight',
    checked: 0,
    violations: [],
    figures: { confirmed: 0, failed: 0, inFlight: 0, paymentPending: 0, needsAttention: 0 },
  };
  for (const region of snapshot.regions) {
    for (const order of region.orders) {
      result.checked++;
      if (isSettled(order)) {
        result.figures[order.status]++;
      } else if (order.status === NEEDS_ATTENTION) {
        result.figures.needsAttention++;
        result.violations.push({
          invariant: 'orders-settled',
          subject: order.id,
          message: `order ${order.id} (${region.region}) needs attention: ${order.attention ?? order.failureReason ?? 'a compensation gave up'} (docs/runbooks/dead-letter-queue.md)`,
        });
      } else if (isInFlight(order, snapshot.takenAt, rules)) {
        result.figures[order.status === 'payment-pending' ? 'paymentPending' : 'inFlight']++;
      } else {
        const ageSeconds = Math.round((snapshot.takenAt - Date.parse(order.createdAt)) / 1000);
        const step = order.nextStep ? `, next step ${order.nextStep}` : '';
        result.violations.push({
          invariant: 'orders-settled',
          subject: order.id,
          message: `order ${order.id} (${region.region}) is still ${order.status} after ${ageSeconds} s${step}`,
        });
      }
    }
  }
  return result;
}
