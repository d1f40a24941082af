import { isInFlight, TERMINAL_STATUSES, type AuditRules, type AuditSnapshot, type InvariantResult } from '../model';

/**
 * Invariant 1: every order checkout accepted has ended (`confirmed` or `failed`) or is still
 * legitimately in flight. An order pending for longer than the threshold is lost work: nothing
 * is going to finish it, and its customer is waiting on an answer that will not come.
 */
export function checkOrdersSettled(snapshot: AuditSnapshot, rules: AuditRules): InvariantResult {
  const result: InvariantResult = {
    name: 'orders-settled',
    description: 'every accepted order is terminal or in flight',
    checked: 0,
    violations: [],
    figures: { confirmed: 0, failed: 0, inFlight: 0 },
  };
  for (const region of snapshot.regions) {
    for (const order of region.orders) {
      result.checked++;
      if (TERMINAL_STATUSES.has(order.status)) {
        result.figures[order.status]++;
      } else if (isInFlight(order, snapshot.takenAt, rules)) {
        result.figures.inFlight++;
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
