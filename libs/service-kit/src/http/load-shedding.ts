import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LoadShedder, LoadSignals, observeLoad, SHEDDING_DEFAULTS, tierOf, type CriticalityTier, type LoadShedderOptions, type LoadSignalsOptions } from '@keel/resilience';
import { SHED_TIER_HEADER } from '@keel/contracts';
import { problemDetails, replyWithProblem } from '../problem';
import { addRouteHooks } from './route-hooks';

export interface LoadSheddingOptions extends LoadShedderOptions, LoadSignalsOptions {
  /** Tier of routes not tagged with `@ServesFeature` (default SHEDDING_DEFAULTS.untaggedTier, 2). */
  untaggedTier?: CriticalityTier;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** When an admitted request arrived (performance.now()); null once it has finished, or if it was refused. */
    keelAdmittedAt: number | null;
  }
}

/**
 * Load shedding as the first thing a routed request meets: an `onRequest` hook that asks the
 * shedder (a few comparisons) and refuses with 503 + Retry-After before body parsing, tracing or
 * any queueing: a refusal must cost far less than the work it saves. Admitted requests are counted
 * in flight until they are answered or aborted, and their wait from arrival to handler is the
 * queue-time signal. Probes and /metrics are never shed (route-hooks.ts).
 */
export function installLoadShedding(fastify: FastifyInstance, options: LoadSheddingOptions = {}): LoadSignals {
  const signals = new LoadSignals(options).start();
  const shedder = new LoadShedder(signals, options);
  signals.onSample(() => shedder.adjust());
  const stopObserving = observeLoad(signals, shedder);
  const untagged = options.untaggedTier ?? SHEDDING_DEFAULTS.untaggedTier;
  const finished = (request: FastifyRequest) => {
    if (request.keelAdmittedAt === null) return;
    request.keelAdmittedAt = null;
    signals.requestFinished();
  };

  fastify.decorateRequest('keelAdmittedAt', null);
  addRouteHooks(fastify, ({ feature }) => {
    const tier = feature ? tierOf(feature) : untagged;
    // Only declared tiers are shed in proportion to CPU: an untagged route may be a step of a Tier-1
    // flow (catalog's reservations, for checkout), and meets the hard limits only.
    const proportional = feature !== undefined;
    return {
      onRequest(request, reply, done) {
        const decision = shedder.decide(tier, proportional);
        if (decision.shed) {
          const refusal = problemDetails(503, 'overloaded', 'Service overloaded', `shedding Tier ${decision.tier} work: ${decision.detail}`);
          reply.header('retry-after', String(decision.retryAfterSeconds)).header(SHED_TIER_HEADER, String(decision.tier));
          return replyWithProblem(reply, refusal, request.url);
        }
        signals.requestStarted();
        request.keelAdmittedAt = performance.now();
        done();
      },
      preHandler(request, _reply, done) {
        if (request.keelAdmittedAt !== null) signals.recordQueueTime(performance.now() - request.keelAdmittedAt);
        done();
      },
      onResponse(request, _reply, done) {
        finished(request);
        done();
      },
      onRequestAbort(request, done) {
        finished(request);
        done();
      },
    };
  });

  fastify.addHook('onClose', (_instance, done) => {
    signals.stop();
    stopObserving();
    done();
  });
  return signals;
}
