import { describe, expect, it } from 'vitest';
import { ProblemException } from '@keel/service-kit';
import { FaultSettings, parseFaults } from './fault-settings';

const statusOf = async (settings: FaultSettings, random = () => 0) => {
  try {
    await settings.inject(random);
    return 'passed';
  } catch (error) {
    return (error as ProblemException).problem.status;
  }
};

describe('fault settings', () => {
  it('default the rate to 1 and refuse what they do not understand', () => {
    expect(parseFaults({ mode: 'fail' })).toEqual({ mode: 'fail', rate: 1 });
    for (const bad of [{ mode: 'explode' }, { mode: 'fail', rate: 2 }, { mode: 'slow' }, { mode: 'none', extra: 1 }, null, 'fail']) {
      expect(() => parseFaults(bad), JSON.stringify(bad)).toThrow(ProblemException);
    }
  });

  it('answer each mode the way a misbehaving provider would', async () => {
    const settings = new FaultSettings();
    expect(await statusOf(settings)).toBe('passed');
    settings.set({ mode: 'fail' });
    expect(await statusOf(settings)).toBe(503);
    settings.set({ mode: 'refuse' });
    expect(await statusOf(settings)).toBe(429);
    settings.set({ mode: 'decline' });
    expect(await statusOf(settings)).toBe(402);
  });

  it('hit only the share of requests the rate asks for', async () => {
    const settings = new FaultSettings();
    settings.set({ mode: 'fail', rate: 0.25 });
    expect(await statusOf(settings, () => 0.2)).toBe(503);
    expect(await statusOf(settings, () => 0.25)).toBe('passed');
    settings.set({ mode: 'fail', rate: 0 });
    expect(await statusOf(settings, () => 0)).toBe('passed');
  });

  it('delay slow requests and then let them through', async () => {
    const settings = new FaultSettings();
    settings.set({ mode: 'slow', delayMs: 60 });
    const started = performance.now();
    expect(await statusOf(settings)).toBe('passed');
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });
});
