import { describe, expect, it } from 'vitest';
import type { Clock } from '../types';
import { DEADLINE_BAGGAGE, deadlineFromBaggage, deadlineToBaggage, remainingFromBaggage } from './baggage-codec';
import { ExpiringDeadline } from './deadline';

function fixedClock(now: number): Clock {
  return { now: () => now, setTimeout: () => 0, clearTimeout: () => undefined };
}

/** What a sender at true time 10 000 with 2 000 ms left puts on the wire, its clock off by `skew`. */
function sentBy(skew: number, remaining = 2_000): Record<string, string> {
  const senderNow = 10_000 + skew;
  return deadlineToBaggage(ExpiringDeadline.after(remaining, fixedClock(senderNow)), senderNow);
}

describe('deadline baggage codec', () => {
  it('carries the absolute deadline and the budget left at send time', () => {
    expect(sentBy(0)).toEqual({ [DEADLINE_BAGGAGE.at]: '12000', [DEADLINE_BAGGAGE.budget]: '2000' });
  });

  it('sends an expired deadline as a zero budget, never a negative one', () => {
    expect(sentBy(0, -300)[DEADLINE_BAGGAGE.budget]).toBe('0');
  });

  it('with agreeing clocks, counts the time in transit', () => {
    // Received 30 ms later (true time 10 030).
    expect(remainingFromBaggage(sentBy(0), 10_030)).toBe(1_970);
  });

  it('with the receiver behind by seconds, does not extend the deadline', () => {
    expect(remainingFromBaggage(sentBy(0), 10_030 - 3_000)).toBe(2_000);
  });

  it('with the receiver ahead by seconds, does not expire it early', () => {
    expect(remainingFromBaggage(sentBy(0), 10_030 + 3_000)).toBe(2_000);
  });

  it('with the sender skewed either way, gives the receiver its budget', () => {
    expect(remainingFromBaggage(sentBy(+4_000), 10_030)).toBe(2_000);
    expect(remainingFromBaggage(sentBy(-4_000), 10_030)).toBe(2_000);
  });

  it('trusts the absolute deadline within the skew tolerance, the budget beyond it', () => {
    expect(remainingFromBaggage(sentBy(0), 10_900)).toBe(1_100);
    expect(remainingFromBaggage(sentBy(0), 10_900, { skewToleranceMs: 500 })).toBe(2_000);
  });

  it('uses whichever entry is there when the other is missing', () => {
    expect(remainingFromBaggage({ [DEADLINE_BAGGAGE.budget]: '750' }, 0)).toBe(750);
    expect(remainingFromBaggage({ [DEADLINE_BAGGAGE.at]: '12000' }, 11_000)).toBe(1_000);
    expect(remainingFromBaggage({}, 11_000)).toBeUndefined();
  });

  it('ignores entries that are not whole milliseconds', () => {
    expect(remainingFromBaggage({ [DEADLINE_BAGGAGE.budget]: '-5' }, 0)).toBeUndefined();
    expect(remainingFromBaggage({ [DEADLINE_BAGGAGE.budget]: '1e9' }, 0)).toBeUndefined();
    expect(remainingFromBaggage({ [DEADLINE_BAGGAGE.at]: 'soon', [DEADLINE_BAGGAGE.budget]: '40' }, 0)).toBe(40);
  });

  it('makes a deadline that counts down on the receiver clock from receipt', () => {
    let now = 10_030;
    const clock: Clock = { now: () => now, setTimeout: () => 0, clearTimeout: () => undefined };
    const deadline = deadlineFromBaggage(sentBy(0), clock);
    now += 1_000;
    expect(deadline?.remainingMs()).toBe(970);
    expect(deadlineFromBaggage({}, clock)).toBeUndefined();
  });
});
