import { problem, type ProblemException } from '@keel/service-kit';

/** The catalog's own problem types (RFC 9457); clients branch on `type`, never on `detail`. */

export interface Shortage {
  productId: string;
  requested: number;
  available: number;
}

export function productNotFound(productIds: string[]): ProblemException {
  return problem(404, 'product-not-found', 'Product not found', `no product with id ${productIds.join(', ')}`, { productIds });
}

export function insufficientStock(shortages: Shortage[]): ProblemException {
  const detail = shortages.map((s) => `${s.productId}: requested ${s.requested}, available ${s.available}`).join('; ');
  return problem(409, 'insufficient-stock', 'Not enough stock', detail, { shortages });
}

export function reservationConflict(reservationId: string): ProblemException {
  return problem(409, 'reservation-conflict', 'Reservation id already used', `reservation ${reservationId} exists with different items`, { reservationId });
}

export function reservationNotFound(reservationId: string): ProblemException {
  return problem(404, 'reservation-not-found', 'Reservation not found', `no reservation with id ${reservationId}`, { reservationId });
}
