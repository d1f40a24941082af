/**
 * @keel audit: reconciles both regions and both payment providers of a running stack. Chaos
 * experiments call `runAudit()` after every fault; `npm run audit` is the same from a shell.
 */
export { runAudit, type AuditOptions } from './run-audit';
export { auditSnapshot } from './audit';
export { collectSnapshot } from './collect';
export { stackEndpoints, type AdminEndpoint, type AuditEndpoints } from './endpoints';
export { AuditError } from './audit-error';
export { formatReport } from './format';
export {
  DEFAULT_IN_FLIGHT_MS,
  type AuditedOrder,
  type AuditReport,
  type AuditRules,
  type AuditSnapshot,
  type InvariantName,
  type InvariantResult,
  type ProviderSnapshot,
  type RegionSnapshot,
  type Violation,
} from './model';
