import { checkMoneyConserved } from './invariants/money-conserved';
import { checkOrdersSettled } from './invariants/orders-settled';
import { checkShipmentsMatch } from './invariants/shipments-match';
import { checkSingleCapture } from './invariants/single-capture';
import { checkStockConserved } from './invariants/stock-conserved';
import type { AuditReport, AuditRules, AuditSnapshot } from './model';

/** Checks every invariant against one snapshot. Pure: the same snapshot always gives the same report. */
export function auditSnapshot(snapshot: AuditSnapshot, rules: AuditRules): AuditReport {
  const invariants = [
    checkOrdersSettled(snapshot, rules),
    checkSingleCapture(snapshot),
    checkMoneyConserved(snapshot, rules),
    checkStockConserved(snapshot),
    checkShipmentsMatch(snapshot, rules),
  ];
  const violations = invariants.flatMap((invariant) => invariant.violations);
  return {
    ok: violations.length === 0,
    takenAt: new Date(snapshot.takenAt).toISOString(),
    inFlightMs: rules.inFlightMs,
    regions: snapshot.regions.map((region) => region.region),
    providers: snapshot.providers.map((ledger) => ledger.provider),
    invariants,
    violations,
  };
}
