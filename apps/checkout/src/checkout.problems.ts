import { problem, ProblemException, type ProblemDetails } from '@keel/service-kit';

/** Checkout's problem types (RFC 9457); clients branch on `type`, never on `detail`. */

/** Seconds a client should wait before retrying when a dependency is down (a breaker rarely heals in one). */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

export function idempotencyKeyRequired(): ProblemException {
  return problem(400, 'idempotency-key-required', 'Idempotency-Key header required', 'send a unique Idempotency-Key (1..200 characters) with every checkout');
}

export function idempotencyKeyReused(key: string): ProblemException {
  return problem(422, 'idempotency-key-reused', 'Idempotency-Key reused with a different request', `key ${key} was first used with another cart`);
}

export function requestInProgress(orderId: string): ProblemException {
  return new ProblemException(
    { type: '/problems/request-in-progress', title: 'The first request with this Idempotency-Key is still running', status: 409, detail: `order ${orderId} is being placed`, orderId },
    { 'retry-after': '1' },
  );
}

export function productNotFound(productIds: string[]): ProblemException {
  return problem(404, 'product-not-found', 'Product not found', `no product with id ${productIds.join(', ')}`, { productIds });
}

export function catalogUnavailable(detail: string): ProblemException {
  return withRetryAfter({ type: '/problems/dependency-unavailable', title: 'catalog is unavailable', status: 503, detail, dependency: 'catalog' });
}

export function orderNotFound(orderId: string): ProblemException {
  return problem(404, 'order-not-found', 'Order not found', `no order with id ${orderId}`, { orderId });
}

export function invalidOrderId(orderId: string): ProblemException {
  return problem(400, 'invalid-order-id', 'Not an order id', `${orderId.slice(0, 80)} is not an order id (ord_<region>_<uuid>)`);
}

/** The stored answer of a failed order, as it is sent; 503s say when to come back. */
export function failureAnswer(details: ProblemDetails): ProblemException {
  return details.status === 503 ? withRetryAfter(details) : new ProblemException(details);
}

function withRetryAfter(details: ProblemDetails): ProblemException {
  return new ProblemException(details, { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS) });
}
