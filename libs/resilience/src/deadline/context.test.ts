import { ROOT_CONTEXT, defaultTextMapGetter, defaultTextMapSetter, propagation } from '@opentelemetry/api';
import { W3CBaggagePropagator } from '@opentelemetry/core';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../types';
import { DEADLINE_BAGGAGE, deadlineFromBaggage } from './baggage-codec';
import { budgetFor, currentDeadline, deadlineForCall, withDeadline, withoutDeadline } from './context';
import { ExpiringDeadline } from './deadline';

function manualClock(start = 50_000): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms) => void (now += ms), setTimeout: () => 0, clearTimeout: () => undefined };
}

describe('deadlines in OpenTelemetry context', () => {
  it('makes the deadline current and puts it in baggage, stamped when set', () => {
    const clock = manualClock();
    const deadline = ExpiringDeadline.after(2_000, clock);
    clock.advance(500);
    const ctx = withDeadline(ROOT_CONTEXT, deadline);
    expect(currentDeadline(ctx)).toBe(deadline);
    const baggage = propagation.getBaggage(ctx);
    expect(baggage?.getEntry(DEADLINE_BAGGAGE.budget)?.value).toBe('1500');
    expect(baggage?.getEntry(DEADLINE_BAGGAGE.at)?.value).toBe('52000');
  });

  it('keeps other baggage entries and survives a W3C baggage header round trip', () => {
    const clock = manualClock();
    const withUser = propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage({ tenant: { value: 'acme' } }));
    const ctx = withDeadline(withUser, ExpiringDeadline.after(800, clock));
    const headers: Record<string, string> = {};
    const w3c = new W3CBaggagePropagator();
    w3c.inject(ctx, headers, defaultTextMapSetter);
    expect(headers.baggage).toContain('tenant=acme');
    const received = propagation.getBaggage(w3c.extract(ROOT_CONTEXT, headers, defaultTextMapGetter));
    const entries = Object.fromEntries((received?.getAllEntries() ?? []).map(([k, v]) => [k, v.value]));
    expect(deadlineFromBaggage(entries, clock)?.remainingMs()).toBe(800);
  });

  it('removes the deadline for work that must outlive the request', () => {
    const ctx = withoutDeadline(withDeadline(ROOT_CONTEXT, ExpiringDeadline.after(100, manualClock())));
    expect(currentDeadline(ctx)).toBeUndefined();
    expect(propagation.getBaggage(ctx)?.getEntry(DEADLINE_BAGGAGE.at)).toBeUndefined();
  });
});

describe('budgetFor', () => {
  const clock = manualClock();

  it('is the dependency default when there is no deadline', () => {
    expect(budgetFor(300, undefined)).toBe(300);
  });

  it('is 90% of what is left when that is less than the default', () => {
    expect(budgetFor(5_000, ExpiringDeadline.after(2_000, clock))).toBe(1_800);
  });

  it('is the default when the deadline is far away', () => {
    expect(budgetFor(300, ExpiringDeadline.after(2_000, clock))).toBe(300);
  });

  it('is zero once the deadline has passed: do not start', () => {
    expect(budgetFor(300, ExpiringDeadline.after(-1, clock))).toBe(0);
  });

  it('gives the callee the call budget as its deadline, on the same clock', () => {
    const parent = ExpiringDeadline.after(2_000, clock);
    const call = deadlineForCall(budgetFor(5_000, parent), parent);
    expect(call.remainingMs()).toBe(1_800);
    expect(call.clock).toBe(clock);
  });
});
