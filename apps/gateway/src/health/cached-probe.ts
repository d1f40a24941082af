/**
 * Runs a health probe at most once per `maxAgeMs`, however often it is asked, and shares one
 * in-flight probe among concurrent askers. Edge, the stack and orchestrators all poll the gateway's
 * readiness; without this each of their polls would become a poll of every dependency.
 */
export class CachedProbe {
  private last?: { at: number; failure?: Error };
  private inFlight?: Promise<void>;

  constructor(
    private readonly probe: () => Promise<void>,
    private readonly maxAgeMs = 1_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Resolves when the dependency was (recently) ready; rejects with why not. */
  async check(): Promise<void> {
    if (!this.last || this.now() - this.last.at >= this.maxAgeMs) {
      this.inFlight ??= this.refresh().finally(() => (this.inFlight = undefined));
      await this.inFlight;
    }
    if (this.last?.failure) throw this.last.failure;
  }

  private async refresh(): Promise<void> {
    try {
      await this.probe();
      this.last = { at: this.now() };
    } catch (error) {
      this.last = { at: this.now(), failure: error instanceof Error ? error : new Error(String(error)) };
    }
  }
}
