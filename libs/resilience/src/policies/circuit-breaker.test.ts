import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type StateChangeEvent } from './circuit-breaker';
import { classifyFailure } from './classify';
import { POLICY_DEFAULTS, type BreakerOptions } from './defaults';
import { BrokenCircuitError } from './errors';
import { ManualClock, settle } from './testing/manual-clock';

const status = (code: number) => Object.assign(new Error(`status ${code}`), { status: code });
const call = { idempotent: true };

function setup(options: Partial<BreakerOptions> = {}) {
  const clock = new ManualClock();
  const breaker = new CircuitBreaker('catalog', { ...POLICY_DEFAULTS.breaker, ...options }, classifyFailure, clock);
  const changes: StateChangeEvent[] = [];
  breaker.onStateChange((event) => changes.push(event));
  const calls = { count: 0 };
  const fail = (code = 503) =>
    breaker
      .execute(async () => {
        calls.count++;
        throw status(code);
      }, call)
      .catch((e: unknown) => e);
  const succeed = () => breaker.execute(async () => ++calls.count, call);
  return { clock, breaker, changes, calls, fail, succeed };
}

/** An operation that stays in flight until released, so probes can be held open. */
function held() {
  let release: (value: string) => void = () => undefined;
  const promise = new Promise<string>((resolve) => (release = resolve));
  return { op: () => promise, release: () => release('ok') };
}

describe('CircuitBreaker', () => {
  it('opens after 5 failures in a row and then fails fast without calling the dependency', async () => {
    const { breaker, changes, calls, fail, succeed } = setup();
    for (let i = 0; i < 4; i++) await fail();
    await succeed(); // a success resets the run
    for (let i = 0; i < 5; i++) await fail();
    expect(breaker.state).toBe('open');
    expect(changes).toEqual([{ dependency: 'catalog', from: 'closed', to: 'open', reason: 'consecutive-failures' }]);
    const before = calls.count;
    const error = await succeed().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokenCircuitError);
    expect(calls.count).toBe(before);
  });

  it('never counts a 4xx, a 429 aside, nor a bug in the operation', async () => {
    const { breaker, fail } = setup();
    for (let i = 0; i < 50; i++) await fail(404);
    for (let i = 0; i < 50; i++) await breaker.execute(() => Promise.reject(new TypeError('bug')), call).catch(() => undefined);
    expect(breaker.state).toBe('closed');
    for (let i = 0; i < 5; i++) await fail(429);
    expect(breaker.state).toBe('open');
  });

  it('opens on the failure rate over the window once it holds the minimum volume', async () => {
    const { breaker, changes, fail, succeed } = setup({ consecutiveFailures: 100, failureRate: 0.5, minimumVolume: 20 });
    for (let i = 0; i < 9; i++) await Promise.all([fail(), succeed()]);
    expect(breaker.state).toBe('closed'); // 18 calls: below the minimum volume
    await succeed();
    await fail();
    expect(changes).toMatchObject([{ to: 'open', reason: 'failure-rate' }]);
  });

  it('forgets failures from before a quiet spell', async () => {
    const { clock, breaker, fail, succeed } = setup({ consecutiveFailures: 100, minimumVolume: 20 });
    for (let i = 0; i < 19; i++) await fail();
    await clock.advance(60_000);
    await fail();
    expect(breaker.state).toBe('closed');
    await succeed();
  });

  it('half-open admits exactly the probes allowed and fails everyone else at once', async () => {
    const { clock, breaker, changes, fail } = setup({ consecutiveFailures: 1, openMs: 5_000, halfOpenProbes: 2 });
    await fail();
    await clock.advance(4_999);
    await expect(breaker.execute(async () => 'early', call)).rejects.toMatchObject({ state: 'open' });
    await clock.advance(1);
    const probe = held();
    let started = 0;
    const op = () => {
      started++;
      return probe.op();
    };
    const results = Array.from({ length: 5 }, () => breaker.execute(op, call).catch((e: unknown) => e));
    const refused = await Promise.all(results.slice(2));
    expect(started).toBe(2);
    expect(refused.every((e) => e instanceof BrokenCircuitError && e.state === 'half-open')).toBe(true);
    probe.release();
    expect(await Promise.all(results.slice(0, 2))).toEqual(['ok', 'ok']);
    expect(changes.map((c) => c.to)).toEqual(['open', 'half-open', 'closed']);
  });

  it('reopens when a probe fails, for another full open period', async () => {
    const { clock, breaker, changes, fail } = setup({ consecutiveFailures: 1, openMs: 1_000 });
    await fail();
    await clock.advance(1_000);
    await fail();
    expect(changes.map((c) => `${c.to}:${c.reason}`)).toEqual(['open:consecutive-failures', 'half-open:open-elapsed', 'open:probe-failed']);
    await clock.advance(999);
    expect(breaker.refusing).toBe(true);
    await clock.advance(1);
    expect(breaker.refusing).toBe(false);
  });

  it('gives an aborted probe’s place to the next caller', async () => {
    const { clock, breaker, fail } = setup({ consecutiveFailures: 1, openMs: 1_000 });
    await fail();
    await clock.advance(1_000);
    const caller = new AbortController();
    const aborted = breaker.execute(() => Promise.reject(new Error('aborted')), { idempotent: true, signal: caller.signal });
    caller.abort();
    await expect(aborted).rejects.toThrow('aborted');
    await expect(breaker.execute(async () => 'probe', call)).resolves.toBe('probe');
    expect(breaker.state).toBe('closed');
  });

  it('ignores late results of calls that started before the circuit opened', async () => {
    const { breaker, changes, fail } = setup({ consecutiveFailures: 1 });
    const slow = held();
    const inFlight = breaker.execute(slow.op, call);
    await fail();
    slow.release();
    await inFlight;
    await settle();
    expect(breaker.state).toBe('open');
    expect(changes).toHaveLength(1);
  });
});
