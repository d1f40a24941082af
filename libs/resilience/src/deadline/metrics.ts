import { metrics, type Counter } from '@opentelemetry/api';

let expired: Counter | undefined;

/**
 * Counts work refused because its deadline had passed: `stage` inbound (a request arrived too
 * late, labelled by route) or outbound (a call not started, labelled by dependency). Created on
 * first use so the instrument comes from the meter provider telemetry registered, not a no-op.
 */
export function countDeadlineExpired(attributes: { stage: 'inbound'; route: string } | { stage: 'outbound'; dependency: string }): void {
  expired ??= metrics.getMeter('keel').createCounter('keel.deadline.expired', {
    description: 'Work not started because its deadline had passed',
  });
  expired.add(1, attributes);
}
