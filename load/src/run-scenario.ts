import { type EngineOptions, runStage, type StageRun } from './engine';
import { splitRate } from './mix';
import { type ProgressLine, progressText } from './progress';
import { buildReport, type LoadReport } from './report';
import { ROUTES } from './routes';
import { applyOverrides, type Overrides, type Scenario, totalDuration } from './scenario';

export interface RunOptions extends Overrides {
  /** Base URL of the public API: edge (http://127.0.0.1:8080) or one region's gateway. */
  target: string;
  /** Request timeout and bail-out limits; see EngineOptions for defaults. */
  engine?: Pick<EngineOptions, 'timeoutS' | 'bailoutErrors'>;
  /** Aborting ends the run after the current second; the report covers what ran. */
  signal?: AbortSignal;
  progress?: ProgressLine;
}

/** Runs a scenario's stages one after the other and judges them. */
export async function runScenario(scenario: Scenario, options: RunOptions): Promise<LoadReport> {
  const { target, signal, progress, rate, durationS } = options;
  const planned = applyOverrides(scenario, { rate, durationS });
  const totalS = totalDuration(planned);
  const runs: StageRun[] = [];
  let elapsedBefore = 0;
  const before = { errors: 0, degraded: 0 };
  for (const [index, stage] of planned.stages.entries()) {
    if (signal?.aborted) break;
    const label = { index: index + 1, count: planned.stages.length, name: stage.name };
    const run = await runStage(target, stage, splitRate(stage.rate, ROUTES), {
      ...options.engine,
      signal,
      onTick: (tick) =>
        progress?.update(
          progressText(label, Math.min(totalS, elapsedBefore + tick.elapsedS), totalS, {
            perSecond: tick.perSecond,
            errors: before.errors + tick.errors,
            degraded: before.degraded + tick.degraded,
          }),
        ),
    });
    runs.push(run);
    elapsedBefore += stage.durationS;
    before.errors += run.counted.errors;
    before.degraded += run.counted.degraded;
  }
  progress?.done();
  return buildReport(planned, target, runs, { rate, durationS }, signal?.aborted ?? false);
}
