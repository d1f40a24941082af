import { describe, expect, it } from 'vitest';
import { RetryBudget, type BudgetExhaustedEvent } from './retry-budget';
import { RollingCounter } from './rolling-counter';
import { ManualClock } from './testing/manual-clock';

function budget(ratio: number, minRetriesPerSecond: number) {
  const clock = new ManualClock();
  const events: BudgetExhaustedEvent[] = [];
  const subject = new RetryBudget('catalog', { ratio, minRetriesPerSecond, windowMs: 10_000, bucketMs: 1_000 }, clock);
  subject.onExhausted((event) => events.push(event));
  return { clock, subject, events };
}

function withdrawAll(subject: RetryBudget, limit = 10_000): number {
  let taken = 0;
  while (taken < limit && subject.tryWithdraw()) taken++;
  return taken;
}

describe('RetryBudget', () => {
  it('allows retries for 10% of requests, then refuses with an event', () => {
    const { subject, events } = budget(0.1, 0);
    for (let i = 0; i < 100; i++) subject.deposit();
    expect(subject.available).toBe(10);
    expect(withdrawAll(subject)).toBe(10);
    expect(events).toEqual([{ dependency: 'catalog', requests: 100, retries: 10 }]);
  });

  it('keeps a floor of retries per second for a quiet dependency', () => {
    const { subject } = budget(0.1, 3);
    expect(withdrawAll(subject)).toBe(30); // 3/s over a 10 s window, with no traffic at all
  });

  it('forgets requests and retries once they leave the window', async () => {
    const { clock, subject } = budget(0.1, 0);
    for (let i = 0; i < 100; i++) subject.deposit();
    expect(withdrawAll(subject)).toBe(10);
    await clock.advance(5_000);
    for (let i = 0; i < 100; i++) subject.deposit();
    expect(withdrawAll(subject)).toBe(10); // 200 requests, 10 retries already in the window
    await clock.advance(5_000);
    expect(subject.available).toBe(0); // the first 100 and their 10 retries are gone
    await clock.advance(5_000);
    expect(withdrawAll(subject)).toBe(0);
  });
});

describe('RollingCounter', () => {
  it('sums the window and ignores buckets that fell out of it, however long the gap', () => {
    const counter = new RollingCounter(10_000, 1_000);
    for (let second = 0; second < 9; second++) counter.add(second * 1_000 + 500);
    expect(counter.sum(9_000)).toBe(9);
    expect(counter.sum(12_000)).toBe(6);
    const anHourLater = 3_600_000;
    counter.add(anHourLater);
    expect(counter.sum(anHourLater)).toBe(1);
  });
});
