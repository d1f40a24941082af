import { faultRefusing, faultUnavailable, problem, ProblemException } from '@keel/service-kit';

/** The provider's problem types (RFC 9457); clients branch on `type`, never on `detail`. */

export function idempotencyKeyRequired(): ProblemException {
  return problem(400, 'idempotency-key-required', 'Idempotency-Key header required', 'send a unique Idempotency-Key (1..255 characters) with every payment write');
}

export function idempotencyKeyReused(key: string): ProblemException {
  return problem(422, 'idempotency-key-reused', 'Idempotency-Key reused with a different request', `key ${key} was first used with another body or route`);
}

export function chargeNotFound(chargeId: string): ProblemException {
  return problem(404, 'charge-not-found', 'Charge not found', `no charge with id ${chargeId}`, { chargeId });
}

export function refundExceedsCharge(chargeId: string, requestedCents: number, refundableCents: number): ProblemException {
  return problem(409, 'refund-exceeds-charge', 'Refund exceeds what is left of the charge', `requested ${requestedCents}, refundable ${refundableCents}`, {
    chargeId,
    refundableCents,
  });
}

/** Injected faults (FaultsModule): each looks like what a real provider answers when it misbehaves. */
export function providerUnavailable(): ProblemException {
  return faultUnavailable('Payment provider unavailable', 'provider-unavailable');
}

export function providerRefusing(): ProblemException {
  return faultRefusing('Payment provider is refusing requests');
}

export function paymentDeclined(): ProblemException {
  return problem(402, 'payment-declined', 'Payment declined', 'the card issuer declined the payment');
}
