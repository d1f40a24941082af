import { describe, expect, it } from 'vitest';
import { applyOverrides, totalDuration } from './scenario';
import { SCENARIOS } from './scenarios';

describe('scenarios', () => {
  it('are bounded, with rates a laptop stack can take at the bottom and thresholds to judge', () => {
    for (const scenario of Object.values(SCENARIOS)) {
      expect(totalDuration(scenario), scenario.name).toBeLessThanOrEqual(600);
      expect(scenario.stages[0].rate, scenario.name).toBeLessThanOrEqual(50);
      expect(scenario.thresholds.length, scenario.name).toBeGreaterThan(0);
    }
    expect(SCENARIOS.stress.stages.map((s) => s.rate)).toEqual([25, 50, 100, 200, 400]);
    expect(SCENARIOS.spike.stages.map((s) => s.rate)).toEqual([20, 200, 20]);
  });

  it('--duration keeps each stage its share (at least 1 s), --rate scales every stage from the first', () => {
    const short = applyOverrides(SCENARIOS.spike, { durationS: 10 });
    expect(short.stages.map((s) => s.durationS)).toEqual([4, 2, 4]);
    expect(applyOverrides(SCENARIOS.spike, { durationS: 3 }).stages.map((s) => s.durationS)).toEqual([1, 1, 1]);
    expect(applyOverrides(SCENARIOS.stress, { rate: 10 }).stages.map((s) => s.rate)).toEqual([10, 20, 40, 80, 160]);
    expect(applyOverrides(SCENARIOS.smoke, {})).toEqual(SCENARIOS.smoke);
  });
});
