import { faultRefusing, faultUnavailable, problem, type ProblemException } from '@keel/service-kit';

/** The carrier's problem types (RFC 9457); clients branch on `type`, never on `detail`. */

export function idempotencyKeyRequired(): ProblemException {
  return problem(400, 'idempotency-key-required', 'Idempotency-Key header required', 'send a unique Idempotency-Key (1..200 characters) with every shipment request');
}

export function idempotencyKeyReused(key: string): ProblemException {
  return problem(422, 'idempotency-key-reused', 'Idempotency-Key reused with a different request', `key ${key} was first used with another body`);
}

export function shipmentNotFound(shipmentId: string): ProblemException {
  return problem(404, 'shipment-not-found', 'Shipment not found', `no shipment with id ${shipmentId}`, { shipmentId });
}

export function referenceRequired(): ProblemException {
  return problem(400, 'reference-required', 'reference query parameter required', 'GET /shipments?reference=<what the shipment is for>');
}

/** Injected faults (FaultsModule): each looks like what a real carrier answers when it misbehaves. */
export function carrierUnavailable(): ProblemException {
  return faultUnavailable('Carrier unavailable');
}

export function carrierRefusing(): ProblemException {
  return faultRefusing('Carrier is refusing requests');
}

/** mode `decline`: the carrier will not take this shipment (no capacity, an address it does not serve). */
export function shipmentRefused(): ProblemException {
  return problem(422, 'shipment-refused', 'Shipment refused', 'the carrier cannot take this shipment');
}
