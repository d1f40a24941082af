import { Agent, request } from 'undici';
import { parseRetryAfter } from '../retry-after';
import type { Operation } from '../operation';

/** Shaped like service-kit's DependencyError: the status, and Retry-After as `retryAfterMs`. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs: number | undefined,
  ) {
    super(`answered ${status}`);
  }
}

/** A keep-alive client for one test file; `get(url)` is one attempt, cancelled by its signal. */
export function httpClient() {
  const agent = new Agent({ connections: 16 });
  const get =
    (url: string): Operation<string> =>
    async (signal) => {
      const response = await request(url, { signal, dispatcher: agent });
      const text = await response.body.text();
      if (response.statusCode >= 400) throw new HttpStatusError(response.statusCode, parseRetryAfter(response.headers['retry-after']));
      return text;
    };
  return { get, close: () => agent.close() };
}

/** Polls until `predicate` holds, for at most `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs = 2_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
