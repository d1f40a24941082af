import { DependencyError, ProblemException, type DependencyResponse, type HttpDependency, type ProblemDetails } from '@keel/service-kit';

/** A downstream answer the gateway relays with its own status code (201 new, 200 replay, 202 pending). */
export interface RelayedAnswer<T> {
  status: number;
  body: T;
}

/**
 * Calls a dependency and keeps its 2xx status; anything else becomes the problem a client should
 * see: 4xx passed through, the rest 503/504 (`DependencyError.toProblemException`). A Retry-After
 * the dependency sent with its refusal is kept, so clients back off as long as it asked.
 */
export async function relay<T>(dependency: HttpDependency, call: (d: HttpDependency) => Promise<DependencyResponse<T>>): Promise<RelayedAnswer<T>> {
  let response: DependencyResponse<T>;
  try {
    response = await call(dependency);
  } catch (error) {
    throw error instanceof DependencyError ? error.toProblemException() : error;
  }
  if (response.status >= 200 && response.status < 300) return { status: response.status, body: response.body };
  const details = typeof response.body === 'object' && response.body !== null ? (response.body as unknown as ProblemDetails) : undefined;
  const failure = new DependencyError(dependency.name, `${dependency.name} answered ${response.status}${details?.detail ? `: ${details.detail}` : ''}`, response.status, details);
  const exception = failure.toProblemException();
  const retryAfter = response.headers['retry-after'];
  throw typeof retryAfter === 'string' ? new ProblemException(exception.problem, { 'retry-after': retryAfter }) : exception;
}

/** `HttpDependency.json` with its failure turned into the problem a client should see. */
export async function fetchOrProblem<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw error instanceof DependencyError ? error.toProblemException() : error;
  }
}
