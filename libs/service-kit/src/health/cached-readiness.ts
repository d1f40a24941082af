import type { ReadinessCheck } from './readiness';

/** How one readiness check came out; `failure` says why not. */
export interface CheckOutcome {
  name: string;
  failure?: string;
}

/** A check that has not answered in this long counts as failed, so one hung check cannot hang every probe. */
export const READINESS_CHECK_TIMEOUT_MS = 2_000;

/**
 * Runs the readiness checks at most once per `intervalMs`, however often `/health/ready` is asked,
 * and shares one run among concurrent probes. The edge, the stack and an orchestrator all poll
 * readiness; without this each poll would become a poll of every dependency behind it. The
 * interval counts from the end of a run, so runs never overlap or follow back to back.
 */
export class CachedReadiness {
  private last?: { at: number; outcomes: CheckOutcome[] };
  private running?: Promise<CheckOutcome[]>;

  constructor(
    private readonly checks: () => [string, ReadinessCheck][],
    private readonly intervalMs = 1_000,
    private readonly now: () => number = () => performance.now(),
    private readonly checkTimeoutMs = READINESS_CHECK_TIMEOUT_MS,
  ) {}

  outcomes(): Promise<CheckOutcome[]> {
    if (this.last && this.now() - this.last.at < this.intervalMs) return Promise.resolve(this.last.outcomes);
    this.running ??= this.runAll().finally(() => (this.running = undefined));
    return this.running;
  }

  private async runAll(): Promise<CheckOutcome[]> {
    const outcomes = await Promise.all(this.checks().map(([name, check]) => this.runOne(name, check)));
    this.last = { at: this.now(), outcomes };
    return outcomes;
  }

  private async runOne(name: string, check: ReadinessCheck): Promise<CheckOutcome> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.checkTimeoutMs} ms`)), this.checkTimeoutMs);
    });
    try {
      await Promise.race([Promise.resolve().then(check), timeout]);
      return { name };
    } catch (error) {
      return { name, failure: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}
