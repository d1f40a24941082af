import { describe, expect, it } from 'vitest';
import { Bulkhead, type BulkheadRejectedEvent } from './bulkhead';
import { DeadlineExceededError } from '../deadline/deadline';
import { BulkheadRejectedError } from './errors';
import { ManualClock, settle } from './testing/manual-clock';

function setup(maxConcurrent = 2, maxQueued = 2, queueTimeoutMs = 200) {
  const clock = new ManualClock();
  const bulkhead = new Bulkhead('catalog', { maxConcurrent, maxQueued, queueTimeoutMs }, clock);
  const rejections: BulkheadRejectedEvent[] = [];
  bulkhead.onRejected((event) => rejections.push(event));
  const started: string[] = [];
  const releases = new Map<string, () => void>();
  /** A call that stays in its slot until `finish(name)`. */
  const hold = (name: string, call: Parameters<Bulkhead['execute']>[1] = { idempotent: true }) =>
    bulkhead.execute(
      () =>
        new Promise<string>((resolve) => {
          started.push(name);
          releases.set(name, () => resolve(name));
        }),
      call,
    );
  const finish = async (name: string) => {
    releases.get(name)?.();
    await settle();
  };
  return { clock, bulkhead, rejections, started, hold, finish };
}

describe('Bulkhead', () => {
  it('runs up to the limit, queues the next, and rejects beyond the queue at once', async () => {
    const { bulkhead, rejections, started, hold } = setup(2, 2);
    for (const name of ['a', 'b', 'c']) void hold(name);
    await settle();
    expect(bulkhead.full).toBe(false);
    void hold('d');
    await settle();
    expect(started).toEqual(['a', 'b']);
    expect([bulkhead.inUse, bulkhead.queued]).toEqual([2, 2]);
    expect(bulkhead.full).toBe(true);
    const error = await hold('e').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BulkheadRejectedError);
    expect((error as BulkheadRejectedError).reason).toBe('full');
    expect(rejections).toEqual([{ dependency: 'catalog', reason: 'full' }]);
  });

  it('hands freed slots to waiters first come, first served, and frees a slot on failure', async () => {
    const { bulkhead, started, hold, finish } = setup(1, 3);
    const failing = bulkhead.execute(() => Promise.reject(new Error('boom')), { idempotent: true });
    const queued = ['b', 'c'].map((name) => hold(name));
    await expect(failing).rejects.toThrow('boom');
    await settle();
    expect(started).toEqual(['b']);
    await finish('b');
    expect(started).toEqual(['b', 'c']);
    await finish('c');
    expect(await Promise.all(queued)).toEqual(['b', 'c']);
    expect([bulkhead.inUse, bulkhead.queued]).toEqual([0, 0]);
  });

  it('rejects a waiter after the queue timeout', async () => {
    const { clock, bulkhead, hold } = setup(1, 1, 200);
    void hold('a');
    const waiting = hold('b').catch((e: unknown) => e);
    await clock.advance(199);
    expect(bulkhead.queued).toBe(1);
    await clock.advance(1);
    expect(await waiting).toMatchObject({ reason: 'queue-timeout' });
    expect(bulkhead.queued).toBe(0);
  });

  it("stops waiting at the caller's deadline when it comes before the queue timeout", async () => {
    const { clock, rejections, hold } = setup(1, 1, 200);
    void hold('a');
    const waiting = hold('b', { idempotent: true, deadline: { remainingMs: () => 50 } }).catch((e: unknown) => e);
    await clock.advance(50);
    expect(await waiting).toBeInstanceOf(DeadlineExceededError);
    expect(rejections).toEqual([{ dependency: 'catalog', reason: 'deadline' }]);
  });

  it('gives an aborted waiter’s queue place back at once', async () => {
    const { clock, bulkhead, started, hold, finish } = setup(1, 1);
    void hold('a');
    const caller = new AbortController();
    const aborted = hold('b', { idempotent: true, signal: caller.signal }).catch((e: unknown) => e);
    expect(bulkhead.queued).toBe(1);
    caller.abort(new Error('client left'));
    expect(bulkhead.queued).toBe(0);
    expect(await aborted).toMatchObject({ message: 'client left' });
    expect(clock.pending).toBe(0); // its queue timer went with it
    const next = hold('c'); // not "full": the place is free again
    expect(bulkhead.queued).toBe(1);
    await finish('a');
    await finish('c');
    await expect(next).resolves.toBe('c');
    expect(started).toEqual(['a', 'c']);
  });
});
