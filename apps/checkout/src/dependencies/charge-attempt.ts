import type { Charge } from '@keel/contracts';
import type { DependencyResponse, ProblemDetails } from '@keel/service-kit';
import { classifyCallError } from './call-outcome';

/**
 * How one charge attempt at one provider ended. The line that matters is between `unavailable`
 * (the provider certainly did not capture: safe to try the other one) and `unknown` (it may have
 * captured: trying another provider could charge the customer twice).
 */
export type ChargeAttempt =
  | { kind: 'captured'; charge: Charge }
  | { kind: 'declined'; problem: ProblemDetails }
  | { kind: 'unavailable'; reason: string }
  | { kind: 'unknown'; reason: string }
  | { kind: 'rejected'; problem: ProblemDetails };

/** An answer from the provider. 503 and 429 are refusals before any work (the provider contract). */
export function classifyChargeAnswer(response: DependencyResponse<unknown>): ChargeAttempt {
  const { status, body } = response;
  if (status === 200 || status === 201) return { kind: 'captured', charge: body as Charge };
  if (status === 503 || status === 429) return { kind: 'unavailable', reason: `answered ${status}` };
  const problem = asProblem(status, body);
  if (status === 402) return { kind: 'declined', problem };
  // A 5xx other than 503 (a crash mid-request, a proxy's 502/504) may have come after the capture.
  if (status >= 500) return { kind: 'unknown', reason: `answered ${status}` };
  return { kind: 'rejected', problem };
}

/** A charge that got no answer: only a connection that was never made proves nothing was captured. */
export function classifyChargeError(error: unknown): ChargeAttempt {
  return classifyCallError(error);
}

function asProblem(status: number, body: unknown): ProblemDetails {
  if (typeof body === 'object' && body !== null && typeof (body as ProblemDetails).type === 'string') return { ...(body as ProblemDetails), status };
  return { type: '/problems/error', title: `Provider answered ${status}`, status };
}
