import { afterEach, describe, expect, it } from 'vitest';
import { DeadlineExceededError } from '../deadline/deadline';
import { DependencyTimeoutError } from './errors';
import { NEVER_ABORTED } from './operation';
import { ManualClock, settle } from './testing/manual-clock';
import { TimeoutPolicy, type TimeoutEvent } from './timeout';

const options = { timeoutMs: 2_000, deadlineShare: 0.9 };
const deadlineIn = (ms: number) => ({ remainingMs: () => ms });
const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

function setup() {
  const clock = new ManualClock();
  const policy = new TimeoutPolicy('catalog', options, clock);
  const events: TimeoutEvent[] = [];
  policy.onTimeout((event) => events.push(event));
  return { clock, policy, events };
}

describe('TimeoutPolicy', () => {
  const RealAbortController = globalThis.AbortController;
  afterEach(() => {
    globalThis.AbortController = RealAbortController;
  });

  it('passes the result through and leaves no timer behind', async () => {
    const { clock, policy } = setup();
    await expect(policy.execute(async () => 'ok', { idempotent: true })).resolves.toBe('ok');
    expect(clock.pending).toBe(0);
  });

  it("times out at the dependency's default, aborting the operation's signal with the error", async () => {
    const { clock, policy, events } = setup();
    let seen: AbortSignal | undefined;
    const result = policy.execute((signal) => ((seen = signal), never()), { idempotent: true });
    const outcome = result.catch((error: unknown) => error);
    await clock.advance(1_999);
    expect(seen?.aborted).toBe(false);
    await clock.advance(1);
    const error = await outcome;
    expect(error).toBeInstanceOf(DependencyTimeoutError);
    expect((error as DependencyTimeoutError).timeoutMs).toBe(2_000);
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBe(error);
    expect(events).toEqual([{ dependency: 'catalog', timeoutMs: 2_000, cause: 'timeout' }]);
  });

  it('cuts the timeout to 90% of the time left before the deadline, never above the default', async () => {
    const { clock, policy } = setup();
    void policy.execute(never, { idempotent: true, deadline: deadlineIn(1_000) }).catch(() => undefined);
    void policy.execute(never, { idempotent: true, deadline: deadlineIn(60_000) }).catch(() => undefined);
    expect(clock.pendingDelays).toEqual([900, 2_000]);
    await clock.advance(2_000);
  });

  it('rounds deadline-derived timeouts down to 10 ms steps so calls share timer lists, short ones exactly', async () => {
    const { clock, policy } = setup();
    void policy.execute(never, { idempotent: true, deadline: deadlineIn(1_234) }).catch(() => undefined);
    void policy.execute(never, { idempotent: true, deadline: deadlineIn(50) }).catch(() => undefined);
    expect(clock.pendingDelays).toEqual([45, 1_110]);
    await clock.advance(2_000);
  });

  it('does not start work whose deadline has passed', async () => {
    const { policy, events } = setup();
    let called = false;
    const call = { idempotent: true, deadline: deadlineIn(0) };
    await expect(policy.execute(async () => (called = true), call)).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(called).toBe(false);
    expect(events).toEqual([{ dependency: 'catalog', timeoutMs: 0, cause: 'deadline' }]);
  });

  it('creates no AbortController for an operation that takes no signal, and aborts none on return', async () => {
    let created = 0;
    const aborted: AbortController[] = [];
    globalThis.AbortController = class extends RealAbortController {
      constructor() {
        super();
        created++;
        this.signal.addEventListener('abort', () => aborted.push(this));
      }
    };
    const { policy } = setup();
    let received: unknown;
    await policy.execute(function (this: unknown) {
      // eslint-disable-next-line prefer-rest-params -- an operation that reads a signal it did not declare
      received = arguments[0];
      return Promise.resolve(1);
    }, { idempotent: true });
    expect(created).toBe(0);
    expect(received).toBe(NEVER_ABORTED);
    let signal: AbortSignal | undefined;
    await policy.execute(async (s) => (signal = s), { idempotent: true });
    expect(created).toBe(1);
    expect(signal?.aborted).toBe(false);
    expect(aborted).toEqual([]);
  });

  it("gives up at once when the caller aborts, passing the caller's reason on", async () => {
    const { clock, policy } = setup();
    const caller = new AbortController();
    let seen: AbortSignal | undefined;
    const outcome = policy.execute((signal) => ((seen = signal), never()), { idempotent: true, signal: caller.signal }).catch((e: unknown) => e);
    const reason = new Error('client went away');
    caller.abort(reason);
    expect(await outcome).toBe(reason);
    expect(seen?.reason).toBe(reason);
    expect(clock.pending).toBe(0);
  });

  it('does not call the operation when the caller has already aborted', async () => {
    const { policy } = setup();
    let called = false;
    const signal = AbortSignal.abort(new Error('gone'));
    await expect(policy.execute(async () => (called = true), { idempotent: true, signal })).rejects.toThrow('gone');
    expect(called).toBe(false);
  });

  it('turns a synchronous throw into a rejection and clears its timer', async () => {
    const { clock, policy } = setup();
    const op = (): Promise<number> => {
      throw new Error('bug');
    };
    await expect(policy.execute(op, { idempotent: true })).rejects.toThrow('bug');
    expect(clock.pending).toBe(0);
  });

  it('drops a late failure after the timeout without an unhandled rejection', async () => {
    const { clock, policy } = setup();
    let fail: (error: Error) => void = () => undefined;
    const outcome = policy.execute(() => new Promise((_, reject) => (fail = reject)), { idempotent: true }).catch((e: unknown) => e);
    await clock.advance(2_000);
    expect(await outcome).toBeInstanceOf(DependencyTimeoutError);
    fail(new Error('too late'));
    await settle();
  });
});
