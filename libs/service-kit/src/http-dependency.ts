import { context, trace } from '@opentelemetry/api';
import { clientTarget, startClientSpan, type ClientTarget } from '@keel/telemetry';
import { Logger } from '@nestjs/common';
import { Pool, type Dispatcher } from 'undici';
import {
  BrokenCircuitError,
  budgetFor,
  BulkheadRejectedError,
  countDeadlineExpired,
  currentDeadline,
  DeadlineExceededError,
  deadlineForCall,
  dependencyPolicy,
  DependencyTimeoutError,
  logPolicyEvents,
  parseRetryAfter,
  withDeadline,
  type DependencyPolicy,
  type DependencyPolicyOptions,
} from '@keel/resilience';
import { problem, type ProblemDetails, type ProblemException } from './problem';

export interface CallOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /**
   * Per-call timeout for the whole exchange; defaults to the dependency's. Either way it is cut
   * to 90% of what is left of the request's deadline, when the request has one.
   */
  timeoutMs?: number;
  /**
   * Safe to send twice, so the policy may retry it. Default: GET/HEAD, or the request carries an
   * Idempotency-Key. Set it for calls idempotent by their own ids (a reservation id, say).
   */
  idempotent?: boolean;
  /** `false` skips the policy: a readiness probe's 503 is an answer, not a failure to count. */
  policy?: false;
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
    options?: { cause?: unknown; response?: DependencyResponse<unknown>; retryAfterMs?: number },
  ) {
    super(message, options);
    this.response = options?.response;
    this.retryAfterMs = options?.retryAfterMs;
  }

  /** The answer itself, when the dependency answered (a 5xx or 429 the policy counted as failure). */
  readonly response?: DependencyResponse<unknown>;
  /** From the answer's Retry-After: the retry policy waits this long (if the deadline allows). */
  readonly retryAfterMs?: number;

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

  /**
   * True when the request certainly never reached the dependency: connection refused, deadline
   * already past, circuit open, bulkhead full. Callers may then try elsewhere without risk.
   */
  get neverSent(): boolean {
    const cause = this.cause;
    const code = (cause as { code?: string } | undefined)?.code;
    return code === 'ECONNREFUSED' || cause instanceof DeadlineExceededError || cause instanceof BrokenCircuitError || cause instanceof BulkheadRejectedError;
  }
}

export interface HttpDependencyOptions {
  /** Whole-exchange timeout per call, in ms (default 2000). */
  timeoutMs?: number;
  /** Keep-alive connections to the dependency (default 32). */
  connections?: number;
  /**
   * The dependency's resilience policy (libs/resilience: bulkhead, breaker, retry with budget,
   * timeout per attempt), defaults in `libs/resilience/src/policies/defaults.ts`; `false` for none.
   */
  policy?: DependencyPolicyOptions | false;
}

const IDEMPOTENCY_KEY = 'idempotency-key';

function isIdempotent(method: string, options: CallOptions): boolean {
  if (options.idempotent !== undefined) return options.idempotent;
  if (method === 'GET' || method === 'HEAD') return true;
  return Object.keys(options.headers ?? {}).some((name) => name.toLowerCase() === IDEMPOTENCY_KEY);
}

/** Answers that say the dependency is unwell: counted by the breaker, retried if idempotent. */
const failedAnswer = (status: number) => status >= 500 || status === 429;

/**
 * A keep-alive HTTP/1.1 connection pool to one dependency that speaks JSON and problem JSON.
 * The resilience policies (libs/resilience) wrap calls made through this.
 */
export class HttpDependency {
  private readonly pool: Pool;
  private readonly target: ClientTarget;
  private readonly timeoutMs: number;
  /** Every call to this dependency goes through it, so all callers share one breaker and bulkhead. */
  readonly policy?: DependencyPolicy;

  constructor(
    readonly name: string,
    readonly baseUrl: string,
    options: HttpDependencyOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 2_000;
    const connections = options.connections ?? 32;
    this.pool = new Pool(baseUrl, { connections, pipelining: 1 });
    this.target = clientTarget(baseUrl, name);
    if (options.policy !== false) {
      const policy = options.policy ?? {};
      // The bulkhead admits as many calls as there are connections: beyond that undici would queue
      // them unbounded, which is the very wait a bulkhead exists to bound.
      const bulkhead = policy.bulkhead === false ? false : { maxConcurrent: connections, ...policy.bulkhead };
      this.policy = dependencyPolicy(name, { ...policy, bulkhead, timeout: { timeoutMs: this.timeoutMs, ...policy.timeout } });
      const logger = new Logger(`dependency:${name}`);
      logPolicyEvents(this.policy, { info: (fields, message) => logger.log(fields, message), warn: (fields, message) => logger.warn(fields, message) });
    }
  }

  /**
   * A call made now would be refused without being sent (circuit open, bulkhead full): a caller
   * can skip work that only matters if this call succeeds.
   */
  get refusingNow(): boolean {
    return this.policy?.refusingNow ?? false;
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
    const policy = options.policy === false ? undefined : this.policy;
    if (!policy) {
      const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
      return this.exchange<T>(method, path, body, options, signal, timeoutMs, () => signal.aborted && !options.signal?.aborted);
    }
    // The policy times each attempt out (its signal aborts), so no second timer is set here.
    let attempts = 0;
    // An attempt that may have reached the dependency and taken effect (no answer, or cut off).
    let uncertain: Error | undefined;
    const attempt = async (signal: AbortSignal) => {
      attempts++;
      let response: DependencyResponse<T>;
      try {
        response = await this.exchange<T>(method, path, body, options, signal, timeoutMs, () => false);
      } catch (error) {
        if (error instanceof DependencyError && !error.neverSent) uncertain ??= error;
        throw error;
      }
      if (!failedAnswer(response.status)) return response;
      const retryAfter = response.headers['retry-after'];
      throw new DependencyError(this.name, `${this.name} answered ${response.status}`, response.status, problemOf(response.body), {
        response,
        retryAfterMs: typeof retryAfter === 'string' ? parseRetryAfter(retryAfter) : undefined,
      });
    };
    try {
      return await policy.execute(attempt, { idempotent: isIdempotent(method, options), signal: options.signal, deadline });
    } catch (error) {
      // The last answer, even a 5xx, is still the dependency's answer: callers read it as before.
      if (error instanceof DependencyError && error.response) return error.response as DependencyResponse<T>;
      const last = this.asDependencyError(error);
      // A retry that was refused says nothing about the attempt before it, which may have taken
      // effect: the call as a whole has an unknown outcome, never "never sent" (which would let a
      // caller, or edge, repeat a keyed POST in another region).
      if (uncertain && last.neverSent) {
        throw new DependencyError(this.name, `${this.name}: an earlier attempt may have taken effect (${uncertain.message}); the retry failed: ${last.message}`, undefined, undefined, { cause: uncertain });
      }
      throw last;
    } finally {
      this.annotateSpan(policy, attempts);
    }
  }

  /**
   * The request's span says when the policy did something for this dependency: retried, refused
   * (no attempt), or found the breaker not closed. A plain one-attempt call adds nothing: the
   * metrics count those, and per-call attributes on every span cost ~3% of a gateway request.
   */
  private annotateSpan(policy: DependencyPolicy, attempts: number): void {
    const breaker = policy.breakerState;
    if (attempts === 1 && (breaker === undefined || breaker === 'closed')) return;
    const span = trace.getActiveSpan();
    if (!span?.isRecording()) return;
    const { bulkhead } = policy.state;
    const prefix = `keel.dependency.${this.name}`;
    span.setAttributes({
      [`${prefix}.attempts`]: attempts,
      ...(breaker && { [`${prefix}.breaker`]: breaker }),
      ...(bulkhead && { [`${prefix}.bulkhead.in_use`]: bulkhead.inUse, [`${prefix}.bulkhead.queued`]: bulkhead.queued }),
    });
  }

  /** A policy's refusal or timeout, in the one error type callers handle. */
  private asDependencyError(error: unknown): DependencyError {
    if (error instanceof DependencyError) return error;
    if (error instanceof DependencyTimeoutError) return new DependencyError(this.name, `${this.name} did not answer in time`, 504, undefined, { cause: error });
    const why = error instanceof BrokenCircuitError ? 'circuit open' : error instanceof BulkheadRejectedError ? 'too many calls in flight' : (error as Error).message;
    return new DependencyError(this.name, `${this.name} not called: ${why}`, undefined, undefined, { cause: error });
  }

  /** One exchange in its own CLIENT span, stamped with the call's deadline so the callee inherits it. */
  private async exchange<T>(
    method: Dispatcher.HttpMethod,
    path: string,
    body: unknown,
    options: CallOptions,
    signal: AbortSignal,
    timeoutMs: number,
    timedOut: () => boolean,
  ): Promise<DependencyResponse<T>> {
    const deadline = currentDeadline();
    const active = context.active();
    const span = startClientSpan(this.target, method, path, deadline ? withDeadline(active, deadlineForCall(timeoutMs, deadline)) : active);
    let response: Dispatcher.ResponseData;
    try {
      response = await this.pool.request({
        method,
        path,
        signal,
        headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers, ...span.headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      const late = timedOut();
      span.end({ error: late ? 'timeout' : ((error as { code?: string }).code ?? 'error') });
      throw new DependencyError(this.name, late ? `${this.name} did not answer in time` : `${this.name} unreachable: ${(error as Error).message}`, late ? 504 : undefined, undefined, { cause: error });
    }
    span.end({ status: response.statusCode });
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
    const details = problemOf(response.body);
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

function problemOf(body: unknown): ProblemDetails | undefined {
  return typeof body === 'object' && body !== null ? (body as ProblemDetails) : undefined;
}
