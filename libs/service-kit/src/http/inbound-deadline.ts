import { context, defaultTextMapGetter, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import { W3CBaggagePropagator } from '@opentelemetry/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { countDeadlineExpired, deadlineFromBaggage, withDeadline, type Clock, type Deadline } from '@keel/resilience';
import { problem, ProblemException, replyWithProblem } from '../problem';
import { requestSpan } from './request-span';
import { UNTOUCHABLE_PATHS } from './untouchable-paths';

/** Where a request's deadline comes from. May throw a ProblemException (a malformed header). */
export type DeadlineSource = (request: FastifyRequest) => Deadline | undefined;

export interface DeadlineHookOptions {
  source: DeadlineSource;
  /** Drop all inbound baggage from the request's context: it came from outside the platform. */
  distrustInboundBaggage?: boolean;
}

const w3cBaggage = new W3CBaggagePropagator();

/**
 * Every service inside the platform: the deadline a keel peer sent as W3C baggage, counted on this
 * host's clock from receipt (skew-safe, see remainingFromBaggage). Parsed from the header here
 * rather than taken from the instrumentation's context, so it holds even where tracing is off.
 */
export function baggageDeadline(clock: Clock): DeadlineSource {
  return (request) => {
    if (!request.headers.baggage) return undefined;
    const baggage = propagation.getBaggage(w3cBaggage.extract(ROOT_CONTEXT, request.headers, defaultTextMapGetter));
    if (!baggage) return undefined;
    return deadlineFromBaggage(Object.fromEntries(baggage.getAllEntries().map(([key, entry]) => [key, entry.value])), clock);
  };
}

/**
 * Gives every request its deadline. Work whose deadline has already passed is refused with a 504
 * before any handler runs, so it makes no downstream call; otherwise the deadline becomes the
 * current one (OpenTelemetry context) for the handler: `currentDeadline()` sees it and outgoing
 * calls carry it on.
 *
 * The context is entered in `preHandler`, inside the request span's (install this after
 * installRequestSpans, which says why preHandler). `done` is called inside `context.with`, and
 * Fastify calls the handler synchronously from it, so the handler and everything it awaits run
 * in that context.
 */
export function installDeadlineHooks(fastify: FastifyInstance, options: DeadlineHookOptions): void {
  const deadlines = new WeakMap<FastifyRequest, Deadline>();
  const refuse = (request: FastifyRequest, reply: FastifyReply) => {
    countDeadlineExpired({ stage: 'inbound', route: request.routeOptions.url ?? 'unmatched' });
    replyWithProblem(reply, problem(504, 'deadline-exceeded', 'Deadline exceeded', 'the deadline for this request passed before work on it began'), request.url);
  };

  fastify.addHook('onRequest', (request, reply, done) => {
    if (UNTOUCHABLE_PATHS.test(request.url)) return done();
    let deadline: Deadline | undefined;
    try {
      deadline = options.source(request);
    } catch (error) {
      if (error instanceof ProblemException) return replyWithProblem(reply, error, request.url);
      return done(error as Error);
    }
    if (!deadline) return done();
    const remaining = deadline.remainingMs();
    requestSpan(request)?.setAttribute('keel.deadline.remaining_ms', Math.round(remaining));
    if (remaining <= 0) return refuse(request, reply);
    deadlines.set(request, deadline);
    done();
  });

  fastify.addHook('preHandler', (request, reply, done) => {
    const deadline = deadlines.get(request);
    if (deadline && deadline.remainingMs() <= 0) return refuse(request, reply);
    if (!deadline && !options.distrustInboundBaggage) return done();
    const base = options.distrustInboundBaggage ? propagation.deleteBaggage(context.active()) : context.active();
    context.with(deadline ? withDeadline(base, deadline) : base, done);
  });
}
