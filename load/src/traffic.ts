import autocannon from 'autocannon';
import type { RawResult } from './autocannon-results';
import { connectionsFor, weightedPicker } from './mix';
import { isDegraded, isErrorStatus, ROUTES, type RouteDef, type RouteName } from './routes';

export interface TrafficOptions {
  /** Base URL of the public API. */
  target: string;
  /** Total requests per second, a whole number ≥ 1. */
  rate: number;
  /** Seconds per round; each round ends with one summary log line. Default 30. */
  roundS?: number;
  /** Seconds to wait after a round that found the target unreachable. Default 5. */
  retryS?: number;
  /** Where summaries and warnings go. */
  log: (level: 'info' | 'warn', msg: string, fields?: Record<string, unknown>) => void;
}

export interface TrafficTotals {
  rounds: number;
  requests: number;
  errors: number;
  degraded: number;
  byRoute: Record<RouteName, number>;
}

/** Connection errors in one round after which the target counts as unreachable (autocannon's bailout). */
const UNREACHABLE_AFTER = 20;

/**
 * Gentle background traffic with the shopper mix, until stopped: rounds of one autocannon run
 * each, where every request picks its route at random by weight, so a few requests a second
 * still mix all four routes. A round that finds the target gone ends early (bailout), and the
 * next waits a few seconds: no tight reconnect loop while the stack is down.
 */
export class TrafficGenerator {
  readonly totals: TrafficTotals = { rounds: 0, requests: 0, errors: 0, degraded: 0, byRoute: { browse: 0, product: 0, recommendations: 0, checkout: 0 } };
  private current?: autocannon.Instance;
  private stopped = false;
  private wake?: () => void;
  private loop?: Promise<void>;

  constructor(private readonly options: TrafficOptions) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops the current round at once; resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.current?.stop();
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { roundS = 30, retryS = 5, log } = this.options;
    while (!this.stopped) {
      const round = await this.round(roundS);
      this.totals.rounds += 1;
      log('info', 'traffic round', round);
      if (round.unreachable && !this.stopped) {
        log('warn', `target ${this.options.target} unreachable; retrying in ${retryS} s`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, retryS * 1000);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  private round(durationS: number): Promise<{ requests: number; errors: number; degraded: number; byRoute: Partial<Record<RouteName, number>>; unreachable: boolean }> {
    const pickRoute = weightedPicker(ROUTES);
    const byRoute: Partial<Record<RouteName, number>> = {};
    let statusErrors = 0;
    let degraded = 0;
    return new Promise((resolve, reject) => {
      this.current = autocannon(
        {
          url: this.options.target,
          connections: connectionsFor(this.options.rate),
          overallRate: this.options.rate,
          duration: durationS,
          bailout: UNREACHABLE_AFTER,
          ignoreCoordinatedOmission: true,
          skipAggregateResult: true,
          requests: [
            {
              // The context lives as long as one request: it carries the route to onResponse.
              setupRequest: (request, context) => {
                const route = pickRoute();
                (context as { route?: RouteDef }).route = route;
                return { ...request, ...route.next() };
              },
              onResponse: (status, _body, context, headers) => {
                const route = (context as { route?: RouteDef }).route;
                if (!route) return;
                byRoute[route.name] = (byRoute[route.name] ?? 0) + 1;
                this.totals.byRoute[route.name] += 1;
                if (isErrorStatus(route, status)) statusErrors += 1;
                if (isDegraded(headers as Record<string, unknown>)) degraded += 1;
              },
            },
          ],
        },
        (error, result) => {
          this.current = undefined;
          if (error) return reject(error instanceof Error ? error : new Error(String(error)));
          const raw = result as unknown as RawResult;
          const errors = statusErrors + raw.errors;
          this.totals.requests += raw.totalCompletedRequests;
          this.totals.errors += errors;
          this.totals.degraded += degraded;
          resolve({ requests: raw.totalCompletedRequests, errors, degraded, byRoute, unreachable: raw.errors >= UNREACHABLE_AFTER });
        },
      );
      if (this.stopped) this.current.stop();
    });
  }
}
