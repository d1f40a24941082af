import { auditSnapshot } from './audit';
import { collectSnapshot } from './collect';
import { stackEndpoints, type AuditEndpoints } from './endpoints';
import { DEFAULT_IN_FLIGHT_MS, DEFAULT_PAYMENT_PENDING_MS, type AuditReport } from './model';

export interface AuditOptions {
  /** Where to read from; default: the running local stack (its config and token). */
  endpoints?: AuditEndpoints;
  /** The stack's data dir when `endpoints` is not given; default `KEEL_STACK_DATA_DIR` or the config's. */
  dataDir?: string;
  /** A pending (or compensating) order younger than this is in flight, not stuck (default 3 min). */
  inFlightMs?: number;
  /** A payment-pending order younger than this is waiting for a provider, not stuck (default 18 min). */
  paymentPendingMs?: number;
  /** Per admin request (default 5 s). */
  timeoutMs?: number;
}

/**
 * Reconciles both regions and both payment providers. Resolves with the report whatever it
 * finds (check `report.ok`); rejects with `AuditError` only when it could not look.
 */
export async function runAudit(options: AuditOptions = {}): Promise<AuditReport> {
  const endpoints = options.endpoints ?? stackEndpoints(options.dataDir);
  const snapshot = await collectSnapshot(endpoints, options.timeoutMs ?? 5_000);
  return auditSnapshot(snapshot, { inFlightMs: options.inFlightMs ?? DEFAULT_IN_FLIGHT_MS, paymentPendingMs: options.paymentPendingMs ?? DEFAULT_PAYMENT_PENDING_MS });
}
