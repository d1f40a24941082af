import { describe, expect, it } from 'vitest';
import type { CallOptions } from '../types';
import { dependencyPolicy } from './dependency-policy';
import type { DependencyPolicyOptions } from './defaults';
import { BrokenCircuitError } from './errors';
import { logPolicyEvents } from './log-events';
import { ManualClock, settle } from './testing/manual-clock';

const status = (code: number) => Object.assign(new Error(`status ${code}`), { status: code });
const call: CallOptions = { idempotent: true };

function setup(options: DependencyPolicyOptions = {}) {
  const clock = new ManualClock();
  const policy = dependencyPolicy('catalog', { meter: false, clock, ...options });
  const log: string[] = [];
  policy.events.onRetry((e) => log.push(`retry ${e.attempt}`));
  policy.events.onGiveUp((e) => log.push(`give up: ${e.reason}`));
  policy.events.onBreakerStateChange((e) => log.push(`circuit ${e.to}`));
  policy.events.onBulkheadRejected((e) => log.push(`bulkhead ${e.reason}`));
  policy.events.onTimeout((e) => log.push(`timeout ${e.cause}`));
  return { clock, policy, log };
}

/** Settles `promise` while moving the clock through backoff waits and timeouts. */
async function drive<T>(clock: ManualClock, promise: Promise<T>): Promise<T | unknown> {
  let outcome: { value?: T; error?: unknown } | undefined;
  promise.then((value) => (outcome = { value }), (error: unknown) => (outcome = { error }));
  for (let i = 0; i < 20 && !outcome; i++) await clock.advance(500);
  return outcome && ('error' in outcome ? outcome.error : outcome.value);
}

describe('dependencyPolicy', () => {
  it('retries a flaky idempotent call through the whole stack', async () => {
    const { clock, policy, log } = setup();
    let attempts = 0;
    const result = await drive(clock, policy.execute(async () => (++attempts < 3 ? Promise.reject(status(502)) : 'ok'), call));
    expect(result).toBe('ok');
    expect(log).toEqual(['retry 2', 'retry 3']);
    expect(policy.state).toEqual({ breaker: 'closed', bulkhead: { inUse: 0, queued: 0 }, retryBudget: { available: 28 } });
  });

  it('times out each attempt separately and retries the timeouts', async () => {
    const { clock, policy, log } = setup({ timeout: { timeoutMs: 100 } });
    let attempts = 0;
    const error = await drive(clock, policy.execute(() => ((attempts += 1), new Promise(() => undefined)), call));
    expect(error).toMatchObject({ name: 'DependencyTimeoutError' });
    expect(attempts).toBe(3);
    expect(log.filter((line) => line.startsWith('timeout'))).toHaveLength(3);
  });

  it('stops retrying the moment the circuit opens, and gives the caller the dependency’s error', async () => {
    const { clock, policy, log } = setup({ breaker: { consecutiveFailures: 2 } });
    let attempts = 0;
    const error = await drive(clock, policy.execute(() => ((attempts += 1), Promise.reject(status(503))), call));
    expect(attempts).toBe(2);
    expect(error).toMatchObject({ status: 503 });
    expect(log).toEqual(['retry 2', 'circuit open', 'give up: circuit-open']);
  });

  it('sends a half-open probe once: a failed probe is not retried', async () => {
    const { clock, policy } = setup({ breaker: { consecutiveFailures: 1, openMs: 1_000 } });
    await drive(clock, policy.execute(() => Promise.reject(status(503)), { idempotent: false }));
    await clock.advance(1_000);
    let attempts = 0;
    await drive(clock, policy.execute(() => ((attempts += 1), Promise.reject(status(503))), call));
    expect(attempts).toBe(1);
    expect(policy.state.breaker).toBe('open');
  });

  it('fails fast while open or half-open with its probe out, without touching a full bulkhead', async () => {
    const { clock, policy, log } = setup({ breaker: { consecutiveFailures: 1, openMs: 1_000 }, bulkhead: { maxConcurrent: 1, maxQueued: 1 } });
    expect(policy.refusingNow).toBe(false);
    await drive(clock, policy.execute(() => Promise.reject(status(503)), call));
    expect(policy.refusingNow).toBe(true);
    await expect(policy.execute(async () => 'never', call)).rejects.toMatchObject({ state: 'open' });
    await clock.advance(1_000);
    void policy.execute(() => new Promise(() => undefined), { idempotent: false }).catch(() => undefined); // the probe hangs
    await settle();
    expect(policy.state).toMatchObject({ breaker: 'half-open', bulkhead: { inUse: 1, queued: 0 } });
    const error = await policy.execute(async () => 'never', call).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokenCircuitError);
    expect(error).toMatchObject({ state: 'half-open' });
    expect(policy.state.bulkhead).toEqual({ inUse: 1, queued: 0 });
    expect(log).toEqual(['circuit open', 'give up: circuit-open', 'circuit half-open']);
    await clock.advance(2_000);
  });

  it('leaves out switched-off layers: a bare timeout', async () => {
    const { clock, policy } = setup({ retry: false, breaker: false, bulkhead: false });
    let attempts = 0;
    await drive(clock, policy.execute(() => ((attempts += 1), Promise.reject(status(503))), call));
    expect(attempts).toBe(1);
    expect(policy.state).toEqual({});
  });

  it('logs circuit transitions, opening as a warning', async () => {
    const { clock, policy } = setup({ retry: false, breaker: { consecutiveFailures: 1, openMs: 1_000 } });
    const lines: string[] = [];
    const subscription = logPolicyEvents(policy, {
      info: (fields, message) => lines.push(`info ${message} ${JSON.stringify(fields)}`),
      warn: (_fields, message) => lines.push(`warn ${message}`),
    });
    await drive(clock, policy.execute(() => Promise.reject(status(503)), call));
    await clock.advance(1_000);
    await policy.execute(async () => 'ok', call);
    subscription.dispose();
    expect(lines).toEqual([
      'warn circuit to catalog is open (consecutive-failures)',
      'info circuit to catalog is half-open (open-elapsed) {"dependency":"catalog","from":"open","to":"half-open","reason":"open-elapsed"}',
      'info circuit to catalog closed (probes-succeeded) {"dependency":"catalog","from":"half-open","to":"closed","reason":"probes-succeeded"}',
    ]);
  });

  it('refuses settings that would misbehave', () => {
    expect(() => dependencyPolicy('x', { meter: false, retry: { maxAttempts: 4 } })).toThrow(RangeError);
    expect(() => dependencyPolicy('x', { meter: false, timeout: { deadlineShare: 0 } })).toThrow(RangeError);
    expect(() => dependencyPolicy('x', { meter: false, timeout: { timeoutMs: Infinity } })).toThrow(RangeError); // Node would fire it at once
    expect(() => dependencyPolicy('x', { meter: false, retry: { maxRetryAfterMs: 2 ** 31 } })).toThrow(RangeError);
    expect(() => dependencyPolicy('x', { meter: false, breaker: { failureRate: 1.5 } })).toThrow(RangeError);
    expect(() => dependencyPolicy('x', { meter: false, bulkhead: { maxConcurrent: 0 } })).toThrow(RangeError);
  });
});
