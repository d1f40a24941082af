import type { Charge } from '@keel/contracts';
import { allCharges, type AuditSnapshot, type InvariantResult } from '../model';

type HeldCharge = Charge & { provider: string };

const describe = (charges: HeldCharge[]) => charges.map((c) => `${c.provider} ${c.id} (${c.idempotencyKey})`).join(', ');

function groupBy(charges: HeldCharge[], key: (charge: HeldCharge) => string): Map<string, HeldCharge[]> {
  const groups = new Map<string, HeldCharge[]>();
  for (const charge of charges) groups.set(key(charge), [...(groups.get(key(charge)) ?? []), charge]);
  return groups;
}

/**
 * Invariant 2: at most one capture per idempotency key across both providers (each provider
 * enforces it for itself; only the audit sees both), and at most one capture per order whatever
 * the key: an order captured at provider-a and again at provider-b charged its customer twice,
 * even if a refund later put the money back.
 */
export function checkSingleCapture(snapshot: AuditSnapshot): InvariantResult {
  const charges = allCharges(snapshot);
  const byKey = groupBy(charges, (c) => c.idempotencyKey);
  const byReference = groupBy(charges, (c) => c.reference);
  const result: InvariantResult = {
    name: 'single-capture',
    description: 'at most one capture per idempotency key and per order',
    checked: byKey.size,
    violations: [],
    figures: { charges: charges.length, keys: byKey.size },
  };
  for (const [key, held] of byKey) {
    if (held.length > 1) {
      result.violations.push({ invariant: 'single-capture', subject: key, message: `idempotency key ${key} captured ${held.length} times: ${describe(held)}` });
    }
  }
  for (const [reference, held] of byReference) {
    // Captures under one key were reported above; this catches the same order under different keys.
    if (new Set(held.map((c) => c.idempotencyKey)).size > 1) {
      result.violations.push({ invariant: 'single-capture', subject: reference, message: `${reference} captured ${held.length} times: ${describe(held)}` });
    }
  }
  return result;
}
