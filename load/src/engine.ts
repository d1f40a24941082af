import autocannon from 'autocannon';
import type { RawResult } from './autocannon-results';
import { connectionsFor, type RoutePlan } from './mix';
import { isDegraded, isErrorStatus, type RouteDef } from './routes';
import type { Stage } from './scenario';

export interface EngineOptions {
  /** Seconds before a request counts as timed out (and its connection is reset). Default 10. */
  timeoutS?: number;
  /**
   * Connection errors (timeouts included) after which one route's stage gives up; autocannon's
   * `bailout`. A target that goes away mid-run otherwise has autocannon reconnect in a tight
   * loop, burning a core and counting thousands of "requests". Default 1000.
   */
  bailoutErrors?: number;
  /** Aborting stops the stage now; what was measured so far is kept. */
  signal?: AbortSignal;
  /** Called about once a second with the stage's counts so far. */
  onTick?: (tick: Tick) => void;
}

export interface Tick {
  elapsedS: number;
  responses: number;
  /** Responses in the last second. */
  perSecond: number;
  /** Error statuses plus connection errors and timeouts, so far. */
  errors: number;
  degraded: number;
}

export interface RouteRun {
  route: RouteDef;
  plannedRate: number;
  /** The stage's planned seconds, to weigh planned rates across stages. */
  stageS: number;
  connections: number;
  raw: RawResult;
  /** Answers carrying `x-degraded`. */
  degraded: number;
  /** Stopped early after `bailoutErrors` connection errors. */
  bailedOut: boolean;
}

export interface StageRun {
  stage: Stage;
  startedAt: string;
  /** Seconds, measured: autocannon stops on its next 1 s tick, so up to a second over the plan. */
  durationS: number;
  /** Seconds the rates are computed over: the planned duration, or less when stopped early. */
  effectiveS: number;
  routes: RouteRun[];
  /** What the progress line counted: answers, errors (statuses and connection), degraded answers. */
  counted: { responses: number; errors: number; degraded: number };
}

const DEFAULTS = { timeoutS: 10, bailoutErrors: 1000 };

/**
 * Runs one stage: one autocannon instance per route, all at once, each at its share of the
 * stage's rate, so every route gets a latency histogram of its own. Each request is built
 * fresh (`setupRequest`): a random product or page, a new Idempotency-Key for each checkout.
 */
export async function runStage(target: string, stage: Stage, plans: RoutePlan[], options: EngineOptions = {}): Promise<StageRun> {
  const { timeoutS, bailoutErrors } = { ...DEFAULTS, ...options };
  const startedAt = new Date();
  const live = { responses: 0, errors: 0, degraded: 0 };
  const instances: autocannon.Instance[] = [];
  const runs = plans.map((plan) => {
    const { route, rate } = plan;
    let degraded = 0;
    const connections = connectionsFor(rate);
    const done = new Promise<RouteRun>((resolve, reject) => {
      const instance = autocannon(
        {
          url: target,
          connections,
          overallRate: rate,
          duration: stage.durationS,
          timeout: timeoutS,
          bailout: bailoutErrors,
          // With a rate set, autocannon "corrects" latencies for coordinated omission using an
          // expected interval of ceil(1 / rate) = 1 ms, which floods the histogram with made-up
          // values; we want the latency each response actually had.
          ignoreCoordinatedOmission: true,
          skipAggregateResult: true,
          requests: [
            {
              setupRequest: (request) => ({ ...request, ...route.next() }),
              onResponse: (_status, _body, _context, headers) => {
                if (isDegraded(headers as Record<string, unknown>)) {
                  degraded += 1;
                  live.degraded += 1;
                }
              },
            },
          ],
        },
        (error, result) => {
          if (error) return reject(error instanceof Error ? error : new Error(String(error)));
          const raw = result as unknown as RawResult;
          resolve({ route, plannedRate: rate, stageS: stage.durationS, connections, raw, degraded, bailedOut: raw.errors >= bailoutErrors });
        },
      );
      instance.on('response', (_client, status) => {
        live.responses += 1;
        if (isErrorStatus(route, status)) live.errors += 1;
      });
      instance.on('reqError', () => (live.errors += 1));
      instances.push(instance);
    });
    return done;
  });

  const stopAll = () => instances.forEach((i) => i.stop());
  options.signal?.addEventListener('abort', stopAll, { once: true });
  let last = 0;
  const ticker = setInterval(() => {
    options.onTick?.({ elapsedS: Math.round((Date.now() - startedAt.getTime()) / 1000), responses: live.responses, perSecond: live.responses - last, errors: live.errors, degraded: live.degraded });
    last = live.responses;
  }, 1000);
  try {
    if (options.signal?.aborted) stopAll();
    const routes = await Promise.all(runs);
    const durationS = (Date.now() - startedAt.getTime()) / 1000;
    return { stage, startedAt: startedAt.toISOString(), durationS, effectiveS: Math.min(durationS, stage.durationS), routes, counted: { ...live } };
  } finally {
    clearInterval(ticker);
    options.signal?.removeEventListener('abort', stopAll);
  }
}
