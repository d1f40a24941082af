import { describe, expect, it } from 'vitest';
import { classifyFailure, isDependencyFailure, retryAfterOf } from './classify';
import { DeadlineExceededError } from '../deadline/deadline';
import { BrokenCircuitError, BulkheadRejectedError, DependencyTimeoutError } from './errors';
import { parseRetryAfter } from './retry-after';

/** Shaped like service-kit's DependencyError: status when answered, the client's error as cause. */
const dependencyError = (status?: number, cause?: unknown) => Object.assign(new Error('dependency failed', { cause }), { status });

describe('classifyFailure', () => {
  it.each([
    ['our timeout', new DependencyTimeoutError('catalog', 100), 'timeout'],
    ['a 504 the client produced on its own timeout', dependencyError(504), 'timeout'],
    ['undici headers timeout', Object.assign(new Error('x'), { code: 'UND_ERR_HEADERS_TIMEOUT' }), 'timeout'],
    ['a reset under a wrapper', dependencyError(undefined, Object.assign(new Error('x'), { code: 'ECONNRESET' })), 'connection'],
    ['undici socket closed', Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }), 'connection'],
    ['refused', Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), 'connection'],
    ['a 500', dependencyError(500), 'server'],
    ['a 503 as statusCode', Object.assign(new Error('x'), { statusCode: 503 }), 'server'],
    ['a 429', dependencyError(429), 'throttled'],
    ['a 400', dependencyError(400), 'client'],
    ['a 404', dependencyError(404), 'client'],
    ['an open circuit', new BrokenCircuitError('catalog', 'open'), 'rejected'],
    ['a full bulkhead', new BulkheadRejectedError('catalog', 'full'), 'rejected'],
    ['a passed deadline', new DeadlineExceededError('catalog'), 'rejected'],
    ['a passed deadline a client wrapped as 504', dependencyError(504, new DeadlineExceededError('catalog')), 'rejected'],
    ['a bug', new TypeError('undefined is not a function'), 'other'],
    ['a string', 'nope', 'other'],
  ])('%s → %s', (_name, error, kind) => {
    expect(classifyFailure(error)).toBe(kind);
  });

  it('counts timeouts, connection errors, 5xx and 429 as the dependency failing, nothing else', () => {
    const failing = (['timeout', 'connection', 'server', 'throttled', 'client', 'rejected', 'other'] as const).filter(isDependencyFailure);
    expect(failing).toEqual(['timeout', 'connection', 'server', 'throttled']);
  });

  it('survives a cause cycle', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    a.cause = a;
    expect(classifyFailure(a)).toBe('other');
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2026-11-30T12:00:00Z');
  it('parses delay-seconds and HTTP-dates into milliseconds from now', () => {
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter(['0'], now)).toBe(0);
    expect(parseRetryAfter('Mon, 30 Nov 2026 12:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Mon, 30 Nov 2026 11:00:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot parse', () => {
    for (const garbage of [undefined, '', 'soon', '-1', '1.5']) expect(parseRetryAfter(garbage, now)).toBeUndefined();
  });

  it('reads retryAfterMs from the error or its cause', () => {
    expect(retryAfterOf(Object.assign(new Error('x'), { retryAfterMs: 1_500 }))).toBe(1_500);
    expect(retryAfterOf(new Error('x', { cause: { retryAfterMs: 200 } }))).toBe(200);
    expect(retryAfterOf(Object.assign(new Error('x'), { retryAfterMs: Number.NaN }))).toBeUndefined();
  });
});
