import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CallOptions } from '../types';
import { classifyFailure } from './classify';
import { POLICY_DEFAULTS } from './defaults';
import { RetryPolicy, type GiveUpEvent, type RetryEvent } from './retry';
import { RetryBudget } from './retry-budget';
import { ManualClock, settle } from './testing/manual-clock';

const status = (code: number, retryAfterMs?: number) => Object.assign(new Error(`status ${code}`), { status: code, retryAfterMs });
/** An operation that always fails with `error`, counting its calls. */
function failingWith(error: unknown) {
  const op = Object.assign(
    async (): Promise<never> => {
      op.calls++;
      throw error;
    },
    { calls: 0 },
  );
  return op;
}
const reset = () => Object.assign(new Error('unreachable'), { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });

function setup(options: Partial<typeof POLICY_DEFAULTS.retry> = {}, budget?: (clock: ManualClock) => RetryBudget) {
  const clock = new ManualClock();
  const policy = new RetryPolicy('catalog', { ...POLICY_DEFAULTS.retry, ...options }, budget?.(clock), classifyFailure, clock);
  const retries: RetryEvent[] = [];
  const giveUps: GiveUpEvent[] = [];
  policy.onRetry((event) => retries.push(event));
  policy.onGiveUp((event) => giveUps.push(event));
  return { clock, policy, retries, giveUps };
}

/** Runs the call, moving the clock through every backoff wait; returns the error, or undefined. */
async function run(clock: ManualClock, promise: Promise<unknown>): Promise<unknown> {
  let outcome: { error?: unknown } | undefined;
  promise.then(() => (outcome = {}), (error: unknown) => (outcome = { error }));
  for (let i = 0; i < 10 && !outcome; i++) await clock.advance(POLICY_DEFAULTS.retry.maxDelayMs);
  return outcome?.error;
}

describe('RetryPolicy', () => {
  afterEach(() => vi.restoreAllMocks());
  const idempotent: CallOptions = { idempotent: true };

  it('stops after 3 attempts in total and rethrows the last error', async () => {
    const { clock, policy, retries, giveUps } = setup();
    const op = failingWith(status(503));
    const error = await run(clock, policy.execute(op, idempotent));
    expect(op.calls).toBe(3);
    expect(error).toMatchObject({ status: 503 });
    expect(retries.map((r) => r.attempt)).toEqual([2, 3]);
    expect(giveUps).toMatchObject([{ reason: 'attempts', attempts: 3 }]);
  });

  it.each([
    ['a 5xx', status(500), 3],
    ['a 429', status(429), 3],
    ['a 504 from the client', status(504), 3],
    ['a reset connection (code on the cause)', reset(), 3],
    ['a 400', status(400), 1],
    ['a 404', status(404), 1],
    ['a 409', status(409), 1],
    ['a bug in the operation', new TypeError('x is undefined'), 1],
  ])('after %s makes %i attempt(s)', async (_name, failure, expected) => {
    const { clock, policy } = setup();
    const op = failingWith(failure);
    await run(clock, policy.execute(op, idempotent));
    expect(op.calls).toBe(expected);
  });

  it('never retries a request that is not idempotent', async () => {
    const { clock, policy, giveUps } = setup();
    const op = failingWith(status(503));
    await run(clock, policy.execute(op, { idempotent: false }));
    expect(op.calls).toBe(1);
    expect(giveUps).toMatchObject([{ reason: 'not-idempotent' }]);
  });

  it('waits a decorrelated-jitter backoff, capped, before each retry', async () => {
    const { clock, policy, retries } = setup({ baseDelayMs: 50, maxDelayMs: 1_000 });
    let attempts = 0;
    const done = policy.execute(async () => (++attempts < 3 ? Promise.reject(status(503)) : 'ok'), idempotent);
    await settle();
    const [first] = clock.pendingDelays;
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(1_000);
    await clock.advance(first - 1);
    expect(attempts).toBe(1);
    await clock.advance(1);
    expect(attempts).toBe(2);
    await clock.advance(1_000);
    await expect(done).resolves.toBe('ok');
    expect(retries.map((r) => r.delayMs)).toEqual([first, expect.any(Number)]);
  });

  it("waits exactly the server's Retry-After instead of the backoff", async () => {
    const { clock, policy } = setup();
    let attempts = 0;
    const done = policy.execute(async () => (++attempts === 1 ? Promise.reject(status(429, 700)) : 'ok'), idempotent);
    await settle();
    expect(clock.pendingDelays).toEqual([700]);
    await clock.advance(699);
    expect(attempts).toBe(1);
    await clock.advance(1);
    await expect(done).resolves.toBe('ok');
  });

  it('gives up at once when Retry-After does not fit the deadline or the ceiling', async () => {
    const { clock, policy, giveUps } = setup({ maxRetryAfterMs: 2_000 });
    const deadline = { remainingMs: () => 500 };
    expect(await run(clock, policy.execute(() => Promise.reject(status(429, 700)), { idempotent: true, deadline }))).toMatchObject({ status: 429 });
    expect(await run(clock, policy.execute(() => Promise.reject(status(503, 3_000)), idempotent))).toMatchObject({ status: 503 });
    expect(giveUps.map((g) => [g.reason, g.attempts])).toEqual([
      ['retry-after', 1],
      ['retry-after', 1],
    ]);
  });

  it('does not sleep into a certain failure: a backoff longer than the deadline gives up at once', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.99); // first wait ≈ 68 ms with a 50 ms base
    const { clock, policy, giveUps } = setup();
    const deadline = { remainingMs: () => 20 };
    const op = failingWith(status(503));
    const outcome = policy.execute(op, { idempotent: true, deadline }).catch((e: unknown) => e);
    await settle();
    expect(clock.pending).toBe(0);
    expect(await outcome).toMatchObject({ status: 503 });
    expect(op.calls).toBe(1);
    expect(giveUps).toMatchObject([{ reason: 'deadline' }]);
  });

  it("ends the backoff wait at once when the caller aborts, with the caller's reason", async () => {
    const { clock, policy } = setup();
    const caller = new AbortController();
    const op = failingWith(status(503));
    const outcome = policy.execute(op, { idempotent: true, signal: caller.signal }).catch((e: unknown) => e);
    await settle();
    expect(clock.pending).toBe(1);
    caller.abort(new Error('client left'));
    expect(await outcome).toMatchObject({ message: 'client left' });
    expect(clock.pending).toBe(0);
    expect(op.calls).toBe(1);
  });

  it('gives up when the retry budget is spent', async () => {
    const budget = (clock: ManualClock) => new RetryBudget('catalog', { ratio: 0, minRetriesPerSecond: 0, windowMs: 10_000, bucketMs: 1_000 }, clock);
    const { clock, policy, giveUps } = setup({}, budget);
    const op = failingWith(status(503));
    await run(clock, policy.execute(op, idempotent));
    expect(op.calls).toBe(1);
    expect(giveUps).toMatchObject([{ reason: 'budget' }]);
  });
});
