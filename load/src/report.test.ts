import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { tempDir } from '@keel/testing';
import { describe, expect, it } from 'vitest';
import type { StageRun } from './engine';
import { buildReport, writeReport } from './report';
import { ROUTES } from './routes';
import type { Stage } from './scenario';
import { SCENARIOS } from './scenarios';
import { answers, rawResult } from './testing/raw-result';

/** A stage where every route answered `n` times at `ms`, with `failed` of browse's answers 503. */
function stageRun(stage: Stage, ms: number, failed = 0): StageRun {
  const n = stage.rate * stage.durationS;
  const routes = ROUTES.map((route) => ({
    route,
    plannedRate: stage.rate,
    stageS: stage.durationS,
    connections: 1,
    raw: rawResult(route.name === 'browse' ? [...answers(n - failed, 200, ms), ...answers(failed, 503, ms)] : answers(n, route.name === 'checkout' ? 201 : 200, ms), undefined, stage.durationS),
    degraded: route.name === 'product' ? 2 : 0,
    bailedOut: false,
  }));
  return { stage, startedAt: '2026-11-03T10:22:01.123Z', durationS: stage.durationS, effectiveS: stage.durationS, routes, counted: { responses: 0, errors: 0, degraded: 0 } };
}

describe('the report', () => {
  it('has per-route totals, per-stage figures, checks and a verdict', () => {
    const { stages } = SCENARIOS.spike;
    const report = buildReport(SCENARIOS.spike, 'http://edge', [stageRun(stages[0], 20), stageRun(stages[1], 900), stageRun(stages[2], 30)], { durationS: 50 });
    expect(report).toMatchObject({ scenario: 'spike', target: 'http://edge', overrides: { durationS: 50 }, verdict: 'PASS', interrupted: false, durationS: 50 });
    expect(report.routes.map((r) => r.route)).toEqual(['browse', 'product', 'recommendations', 'checkout']);
    const browse = report.routes[0];
    expect(browse).toMatchObject({ requests: 20 * 20 + 200 * 10 + 20 * 20, rate: 56, statuses: { 200: 2800 }, degraded: 0 });
    expect(browse.latencyMs?.max).toBeGreaterThanOrEqual(900);
    expect(report.routes[1].degraded).toBe(6);
    expect(report.stages.map((s) => [s.name, s.rate, s.routes.length])).toEqual([['base', 20, 4], ['spike', 200, 4], ['recovery', 20, 4]]);
    // The scenario's thresholds, then the recovery stage's own.
    expect(report.checks.map((c) => c.name)).toEqual(['Tier-1 p99 < 3000 ms', 'error rate < 10%', 'recovery: Tier-1 p99 < 1000 ms', 'recovery: Tier-2 p99 < 2000 ms', 'recovery: error rate < 1%']);
    expect(report.knee).toBeUndefined();
  });

  it('fails when a stage threshold fails, even if the whole run is within limits', () => {
    const { stages } = SCENARIOS.spike;
    const report = buildReport(SCENARIOS.spike, 'http://edge', [stageRun(stages[0], 20), stageRun(stages[1], 50), stageRun(stages[2], 30, 40)], {});
    expect(report.verdict).toBe('FAIL');
    expect(report.checks.filter((c) => !c.pass).map((c) => c.name)).toEqual(['recovery: error rate < 1%']);
  });

  it('finds the stress knee: the last stage of the unbroken run from the bottom that met the SLO', () => {
    const { stages } = SCENARIOS.stress;
    const runs = [stageRun(stages[0], 10), stageRun(stages[1], 20), stageRun(stages[2], 1500), stageRun(stages[3], 2500), stageRun(stages[4], 4000)];
    const report = buildReport(SCENARIOS.stress, 'http://edge', runs, {});
    expect(report.stages.map((s) => s.metSlo)).toEqual([true, true, false, false, false]);
    expect(report.knee).toEqual({ stage: 'ramp-50', rate: 50 });
    expect(report.checks.at(-1)).toMatchObject({ name: 'knee: at least the first stage met the SLO', pass: true, value: 50 });

    const broken = buildReport(SCENARIOS.stress, 'http://edge', [stageRun(stages[0], 1500)], {});
    expect(broken.knee).toBeNull();
    expect(broken.verdict).toBe('FAIL');
  });

  it('is written as <scenario>-<timestamp>.json, parseable', () => {
    const dir = tempDir('keel-load-');
    try {
      const report = buildReport(SCENARIOS.smoke, 'http://edge', [stageRun(SCENARIOS.smoke.stages[0], 10)], {});
      const file = writeReport(report, dir.dir);
      expect(basename(file)).toBe('smoke-2026-11-03T10-22-01Z.json');
      expect(existsSync(file)).toBe(true);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(JSON.parse(JSON.stringify(report)));
    } finally {
      dir.remove();
    }
  });
});
