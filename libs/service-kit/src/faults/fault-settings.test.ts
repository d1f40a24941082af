import { describe, expect, it } from 'vitest';
import { problem, ProblemException } from '../problem';
import { faultRefusing, faultUnavailable, type FaultProblems } from './fault-problems';
import { FaultSettings, parseFaults, type FaultMode } from './fault-settings';

const problems: FaultProblems = {
  fail: () => faultUnavailable(),
  refuse: () => faultRefusing(),
  decline: () => problem(422, 'thing-refused', 'Thing refused'),
};

const outcomeOf = async (settings: FaultSettings, { random = (): number => 0, exempt = [] as FaultMode[] } = {}) => {
  try {
    await settings.inject(exempt, random);
    return 'passed';
  } catch (error) {
    return (error as ProblemException).problem.status;
  }
};

describe('fault settings', () => {
  it('default the rate to 1 and refuse what they do not understand', () => {
    expect(parseFaults({ mode: 'fail' })).toEqual({ mode: 'fail', rate: 1 });
    for (const bad of [{ mode: 'explode' }, { mode: 'fail', rate: 2 }, { mode: 'slow' }, { mode: 'slow', delayMs: 1.5 }, { mode: 'none', extra: 1 }, null, 'fail']) {
      expect(() => parseFaults(bad), JSON.stringify(bad)).toThrow(ProblemException);
    }
  });

  it('answer each mode with the problem the app supplied', async () => {
    const settings = new FaultSettings(problems);
    expect(await outcomeOf(settings)).toBe('passed');
    settings.set({ mode: 'fail' });
    expect(await outcomeOf(settings)).toBe(503);
    settings.set({ mode: 'refuse' });
    expect(await outcomeOf(settings)).toBe(429);
    settings.set({ mode: 'decline' });
    expect(await outcomeOf(settings)).toBe(422);
  });

  it('generic fail and refuse look like a third party that is down or rate-limiting', () => {
    expect(faultUnavailable().problem).toMatchObject({ type: '/problems/unavailable', status: 503 });
    const refusing = faultRefusing();
    expect(refusing.problem).toMatchObject({ type: '/problems/too-many-requests', status: 429 });
    expect(refusing.headers).toEqual({ 'retry-after': '1' });
  });

  it('hit only the share of requests the rate asks for', async () => {
    const settings = new FaultSettings(problems);
    settings.set({ mode: 'fail', rate: 0.25 });
    expect(await outcomeOf(settings, { random: () => 0.2 })).toBe(503);
    expect(await outcomeOf(settings, { random: () => 0.25 })).toBe('passed');
    settings.set({ mode: 'fail', rate: 0 });
    expect(await outcomeOf(settings, { random: () => 0 })).toBe('passed');
  });

  it('leave routes alone in the modes they are exempt from, and only those', async () => {
    const settings = new FaultSettings(problems);
    settings.set({ mode: 'decline' });
    expect(await outcomeOf(settings, { exempt: ['decline'] })).toBe('passed');
    settings.set({ mode: 'fail' });
    expect(await outcomeOf(settings, { exempt: ['decline'] })).toBe(503);
  });

  it('delay slow requests and then let them through', async () => {
    const settings = new FaultSettings(problems);
    settings.set({ mode: 'slow', delayMs: 60 });
    const started = performance.now();
    expect(await outcomeOf(settings)).toBe('passed');
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });
});
