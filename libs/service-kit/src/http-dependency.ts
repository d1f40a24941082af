import { context } from '@opentelemetry/api';
import { Pool, type Dispatcher } from 'undici';
import { budgetFor, countDeadlineExpired, currentDeadline, DeadlineExceededError, deadlineForCall, withDeadline } from '@keel/resilience';
import { problem, type ProblemDetails, type ProblemException } from './problem';

export interface CallOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /**
   * Per-call timeout for the whole exchange; defaults to the dependency's. Either way it is cut
   * to 90% of what is left of the request's deadline, when the request has one.
   */
  timeoutMs?: number;
}

export interface DependencyResponse<T> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
}

/** A call to another keel service that did not produce the 2xx the caller wanted. */
export class DependencyError extends Error {
  constructor(
    readonly dependency: string,
    message: string,
    /** HTTP status the dependency answered, or undefined when it never answered. */
    readonly status?: number,
    readonly problem?: ProblemDetails,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Client errors pass through as they were; anything else is the dependency being unavailable. */
  toProblemException(): ProblemException {
    if (this.cause instanceof DeadlineExceededError) {
      return problem(504, 'deadline-exceeded', 'Deadline exceeded', `the request's deadline passed before ${this.dependency} was called`, { dependency: this.dependency });
    }
    if (this.status && this.status >= 400 && this.status < 500 && this.status !== 429 && this.problem) {
      const { status, type, title, detail, ...rest } = this.problem;
      return problem(status, String(type).replace(/^\/problems\//, ''), title, detail, rest);
    }
    if (this.status === undefined && !this.neverSent) {
      // The request may have reached the dependency and taken effect (a reset mid-exchange). A 503
      // here would invite a retry elsewhere (edge retries keyed POSTs in the other region), which
      // could repeat a charge; 504 says "outcome unknown: retry here with the same key".
      return problem(504, 'outcome-unknown', `${this.dependency} did not finish answering`, this.message, { dependency: this.dependency });
    }
    return problem(this.status === 504 ? 504 : 503, 'dependency-unavailable', `${this.dependency} is unavailable`, this.message, { dependency: this.dependency });
  }

  /** True when the request certainly never reached the dependency (connection refused, deadline already past). */
  get neverSent(): boolean {
    const code = (this.cause as { code?: string } | undefined)?.code;
    return code === 'ECONNREFUSED' || this.cause instanceof DeadlineExceededError;
  }
}

export interface HttpDependencyOptions {
  /** Whole-exchange timeout per call, in ms (default 2000). */
  timeoutMs?: number;
  /** Keep-alive connections to the dependency (default 32). */
  connections?: number;
}

/**
 * A keep-alive HTTP/1.1 connection pool to one dependency that speaks JSON and problem JSON.
 * The resilience policies (libs/resilience) wrap calls made through this.
 */
export class HttpDependency {
  private readonly pool: Pool;
  private readonly timeoutMs: number;

  constructor(
    readonly name: string,
    readonly baseUrl: string,
    options: HttpDependencyOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 2_000;
    this.pool = new Pool(baseUrl, { connections: options.connections ?? 32, pipelining: 1 });
  }

  /**
   * One exchange. Under a request deadline (`currentDeadline()`), the call gets
   * min(remaining × 0.9, its timeout), is not started at all once the deadline has passed, and
   * carries that call budget on as the callee's deadline (baggage, stamped as the call starts).
   */
  async request<T>(method: Dispatcher.HttpMethod, path: string, body?: unknown, options: CallOptions = {}): Promise<DependencyResponse<T>> {
    const deadline = currentDeadline();
    const timeoutMs = budgetFor(options.timeoutMs ?? this.timeoutMs, deadline);
    if (deadline && timeoutMs <= 0) {
      countDeadlineExpired({ stage: 'outbound', dependency: this.name });
      const cause = new DeadlineExceededError(`calling ${this.name}`);
      throw new DependencyError(this.name, cause.message, 504, undefined, { cause });
    }
    const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
    const send = () =>
      this.pool.request({
        method,
        path,
        signal,
        headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    let response: Dispatcher.ResponseData;
    try {
      response = await (deadline ? context.with(withDeadline(context.active(), deadlineForCall(timeoutMs, deadline)), send) : send());
    } catch (error) {
      const timedOut = signal.aborted && !options.signal?.aborted;
      throw new DependencyError(this.name, timedOut ? `${this.name} did not answer in time` : `${this.name} unreachable: ${(error as Error).message}`, timedOut ? 504 : undefined, undefined, { cause: error });
    }
    const text = await response.body.text();
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: response.statusCode, headers: response.headers, body: parsed as T };
  }

  /** The body of a 2xx answer, or a DependencyError carrying the status and problem. */
  async json<T>(method: Dispatcher.HttpMethod, path: string, body?: unknown, options?: CallOptions): Promise<T> {
    const response = await this.request<T>(method, path, body, options);
    if (response.status >= 200 && response.status < 300) return response.body;
    const details = typeof response.body === 'object' && response.body !== null ? (response.body as unknown as ProblemDetails) : undefined;
    throw new DependencyError(this.name, `${this.name} answered ${response.status}${details?.detail ? `: ${details.detail}` : ''}`, response.status, details);
  }

  get<T>(path: string, options?: CallOptions): Promise<T> {
    return this.json<T>('GET', path, undefined, options);
  }

  post<T>(path: string, body: unknown, options?: CallOptions): Promise<T> {
    return this.json<T>('POST', path, body, options);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
