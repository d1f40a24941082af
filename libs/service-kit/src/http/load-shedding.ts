import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LoadShedder, LoadSignals, observeLoad, SHEDDING_DEFAULTS, type CriticalityTier, type LoadShedderOptions, type LoadSignalsOptions } from '@keel/resilience';
import { SHED_TIER_HEADER } from '@keel/contracts';
import { problemDetails, replyWithProblem } from '../problem';
import { featureOf, routeTier } from './serves-feature';
import { UNTOUCHABLE_PATHS } from './untouchable-paths';

export interface LoadSheddingOptions extends LoadShedderOptions, LoadSignalsOptions {
  /** Tier of routes not tagged with `@ServesFeature` (default SHEDDING_DEFAULTS.untaggedTier, 2). */
  untaggedTier?: CriticalityTier;
}

/**
 * Load shedding as the first thing a request meets: an `onRequest` hook that asks the shedder
 * (a few comparisons) and refuses with 503 + Retry-After before body parsing, tracing or any
 * queueing: a refusal must cost far less than the work it saves. Admitted requests are counted in flight until their response closes, and their wait
 * from arrival to handler is the queue-time signal. Probes and /metrics are never shed.
 */
export function installLoadShedding(fastify: FastifyInstance, options: LoadSheddingOptions = {}): LoadSignals {
  const signals = new LoadSignals(options).start();
  const shedder = new LoadShedder(signals, options);
  signals.onSample(() => shedder.adjust());
  const stopObserving = observeLoad(signals, shedder);
  const untagged = options.untaggedTier ?? SHEDDING_DEFAULTS.untaggedTier;
  const arrivals = new WeakMap<FastifyRequest, number>();
  const finished = () => signals.requestFinished();

  fastify.addHook('onRequest', (request, reply, done) => {
    if (UNTOUCHABLE_PATHS.test(request.url)) return done();
    // Only declared tiers are shed in proportion to CPU: an untagged route may be a step of a Tier-1
    // flow (catalog's reservations, for checkout), and meets the hard limits only.
    const decision = shedder.decide(routeTier(request, untagged), featureOf(request) !== undefined);
    if (decision.shed) {
      const refusal = problemDetails(503, 'overloaded', 'Service overloaded', `shedding Tier ${decision.tier} work: ${decision.detail}`);
      reply.header('retry-after', String(decision.retryAfterSeconds)).header(SHED_TIER_HEADER, String(decision.tier));
      return replyWithProblem(reply, refusal, request.url);
    }
    signals.requestStarted();
    reply.raw.once('close', finished);
    arrivals.set(request, performance.now());
    done();
  });

  fastify.addHook('preHandler', (request, _reply, done) => {
    const arrived = arrivals.get(request);
    if (arrived !== undefined) signals.recordQueueTime(performance.now() - arrived);
    done();
  });

  fastify.addHook('onClose', (_instance, done) => {
    signals.stop();
    stopObserving();
    done();
  });
  return signals;
}
