import type { IDisposable } from 'cockatiel';
import type { DependencyPolicy } from './dependency-policy';

/** The slice of a pino logger this needs, so the library does not depend on pino. */
export interface PolicyLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/**
 * Logs a dependency's circuit transitions: rare by design (at most one per open period) and what
 * an operator needs to see in the logs. Retries, rejections and budget exhaustion can come by the
 * thousand during an outage, so they are left to the metrics.
 */
export function logPolicyEvents(policy: DependencyPolicy, logger: PolicyLogger): IDisposable {
  return policy.events.onBreakerStateChange((change) => {
    const fields = { dependency: change.dependency, from: change.from, to: change.to, reason: change.reason };
    const message = `circuit to ${change.dependency} ${change.to === 'closed' ? 'closed' : `is ${change.to}`} (${change.reason})`;
    if (change.to === 'open') logger.warn(fields, message);
    else logger.info(fields, message);
  });
}
