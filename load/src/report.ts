import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StageRun } from './engine';
import { routeStats, type RouteStats } from './route-stats';
import type { Overrides, Scenario } from './scenario';
import { type Check, evaluate } from './thresholds';

export interface StageReport {
  name: string;
  /** Total requests per second planned for the stage. */
  rate: number;
  /** Seconds planned. */
  plannedS: number;
  startedAt: string;
  /** Seconds, measured (autocannon stops on its next 1 s tick, so up to a second more). */
  durationS: number;
  routes: RouteStats[];
  /** The stage's own thresholds (the spike's recovery), if any. */
  checks: Check[];
  /** Stress: did this stage meet the SLO the knee is judged by? */
  metSlo?: boolean;
}

/** The JSON written to load/reports/<scenario>-<timestamp>.json, and printed by `--json`. */
export interface LoadReport {
  scenario: string;
  summary: string;
  target: string;
  overrides: Overrides;
  startedAt: string;
  finishedAt: string;
  durationS: number;
  /** PASS when every check passed. */
  verdict: 'PASS' | 'FAIL';
  /** Stopped early (Ctrl-C): the figures cover the stages that ran. */
  interrupted: boolean;
  /** Each route over the whole run. */
  routes: RouteStats[];
  stages: StageReport[];
  /** The scenario's thresholds, then each stage's, then the knee (stress). */
  checks: Check[];
  /** Stress: the last stage of the ramp (from the bottom, unbroken) that met the SLO; null if none did. */
  knee?: { stage: string; rate: number } | null;
}

/** Turns the measured stages into the report: per-route stats, checks, verdict, knee. */
export function buildReport(scenario: Scenario, target: string, runs: StageRun[], overrides: Overrides, interrupted = false): LoadReport {
  const stages: StageReport[] = runs.map((run) => {
    const routes = run.routes.map((r) => routeStats(target, [r], run.effectiveS));
    const checks = evaluate(run.stage.thresholds ?? [], routes, `${run.stage.name}: `);
    const metSlo = scenario.kneeSlo ? evaluate(scenario.kneeSlo, routes).every((c) => c.pass) : undefined;
    return { name: run.stage.name, rate: run.stage.rate, plannedS: run.stage.durationS, startedAt: run.startedAt, durationS: round(run.durationS), routes, checks, metSlo };
  });
  const durationS = runs.reduce((sum, r) => sum + r.durationS, 0);
  const effectiveS = runs.reduce((sum, r) => sum + r.effectiveS, 0);
  const names = runs[0]?.routes.map((r) => r.route.name) ?? [];
  const routes = names.map((name) => routeStats(target, runs.map((run) => run.routes.find((r) => r.route.name === name)).filter((r) => r !== undefined), effectiveS));
  const checks = [...evaluate(scenario.thresholds, routes), ...stages.flatMap((s) => s.checks)];

  let knee: LoadReport['knee'];
  if (scenario.kneeSlo) {
    const leading = stages.findIndex((s) => !s.metSlo);
    const last = leading === -1 ? stages.at(-1) : stages[leading - 1];
    knee = last ? { stage: last.name, rate: last.rate } : null;
    checks.push({ name: 'knee: at least the first stage met the SLO', value: knee?.rate ?? null, pass: knee !== null });
  }

  const startedAt = runs[0]?.startedAt ?? new Date().toISOString();
  return {
    scenario: scenario.name,
    summary: scenario.summary,
    target,
    overrides,
    startedAt,
    finishedAt: new Date().toISOString(),
    durationS: round(durationS),
    verdict: checks.length > 0 && checks.every((c) => c.pass) ? 'PASS' : 'FAIL',
    interrupted,
    routes,
    stages,
    checks,
    ...(scenario.kneeSlo ? { knee } : {}),
  };
}

/** Writes `<dir>/<scenario>-<timestamp>.json`; returns the path. */
export function writeReport(report: LoadReport, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const stamp = report.startedAt.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  const file = join(dir, `${report.scenario}-${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

const round = (n: number) => Math.round(n * 100) / 100;
