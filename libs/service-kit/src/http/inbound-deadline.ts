import { context, defaultTextMapGetter, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import { W3CBaggagePropagator } from '@opentelemetry/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { countDeadlineExpired, deadlineFromBaggage, withCurrentDeadline, type Clock, type Deadline } from '@keel/resilience';
import { problem, ProblemException, replyWithProblem } from '../problem';
import { declareRequestContext } from './request-context';
import { addRouteHooks, type RouteTraits } from './route-hooks';

/**
 * Where a route's requests get their deadline: given the route once, at declaration, it returns
 * the per-request reader. The reader may throw a ProblemException (a malformed header).
 */
export type DeadlineSource = (route: RouteTraits) => (request: FastifyRequest) => Deadline | undefined;

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's deadline, when it came with one or its route sets one. */
    keelDeadline: Deadline | null;
  }
}

const w3cBaggage = new W3CBaggagePropagator();

/**
 * Every service inside the platform: the deadline a keel peer sent as W3C baggage, counted on this
 * host's clock from receipt (skew-safe, see remainingFromBaggage). Read from the baggage the
 * request's span extracted, or parsed from the header where there is no span.
 */
export function baggageDeadline(clock: Clock): DeadlineSource {
  return () => (request) => {
    if (!request.headers.baggage) return undefined;
    const baggage = propagation.getBaggage(request.keelContext ?? w3cBaggage.extract(ROOT_CONTEXT, request.headers, defaultTextMapGetter));
    if (!baggage) return undefined;
    const entries: Record<string, string> = {};
    for (const [key, entry] of baggage.getAllEntries()) entries[key] = entry.value;
    return deadlineFromBaggage(entries, clock);
  };
}

/**
 * Gives every routed request its deadline. Work whose deadline has already passed is refused with
 * a 504 before any handler runs, so it makes no downstream call; otherwise the deadline becomes
 * the current one in the handler's context (request-context.ts): `currentDeadline()` sees it and
 * outgoing calls carry their share of it on. Install after request spans (the span notes the
 * budget it started with) and before `enterRequestContexts`.
 */
export function installDeadlineHooks(fastify: FastifyInstance, source: DeadlineSource): void {
  fastify.decorateRequest('keelDeadline', null);
  declareRequestContext(fastify);
  addRouteHooks(fastify, (route) => {
    const read = source(route);
    const refuse = (request: FastifyRequest, reply: FastifyReply) => {
      countDeadlineExpired({ stage: 'inbound', route: route.template });
      replyWithProblem(reply, problem(504, 'deadline-exceeded', 'Deadline exceeded', 'the deadline for this request passed before work on it began'), request.url);
    };
    return {
      onRequest(request, reply, done) {
        let deadline: Deadline | undefined;
        try {
          deadline = read(request);
        } catch (error) {
          if (error instanceof ProblemException) return replyWithProblem(reply, error, request.url);
          return done(error as Error);
        }
        if (!deadline) return done();
        const remaining = deadline.remainingMs();
        request.keelSpan?.span.setAttribute('keel.deadline.remaining_ms', Math.round(remaining));
        if (remaining <= 0) return refuse(request, reply);
        request.keelDeadline = deadline;
        request.keelContext = withCurrentDeadline(request.keelContext ?? context.active(), deadline);
        done();
      },
      // The body may have taken the rest of the time to arrive.
      preHandler(request, reply, done) {
        const deadline = request.keelDeadline;
        if (deadline !== null && deadline.remainingMs() <= 0) return refuse(request, reply);
        done();
      },
    };
  });
}
