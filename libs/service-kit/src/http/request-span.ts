import { context } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { startServerSpan, type ServerSpan } from '@keel/telemetry';
import { UNTOUCHABLE_PATHS } from './untouchable-paths';

const spans = new WeakMap<FastifyRequest, ServerSpan>();
/** Spans still open: a request can both be aborted and answer. Ended ones stay in `spans` for the request log. */
const open = new WeakSet<ServerSpan>();

/** The request's SERVER span, for hooks that run before its context is entered. */
export function requestSpan(request: FastifyRequest): ServerSpan['span'] | undefined {
  return spans.get(request)?.span;
}

/**
 * Gives every request (but probes and scrapes) a SERVER span, child of the caller's traceparent,
 * and runs its handler in that span's context, so log lines carry its trace id and outgoing calls
 * continue its trace. Install after load shedding: a refusal must stay cheap, so a shed request
 * gets no span (keel_shed_requests_total counts it).
 *
 * The context is entered in `preHandler`, not `onRequest`: body parsing runs in the socket's
 * listeners, so a context entered earlier would be lost by the time the handler runs. `done` is
 * called inside `context.with`, and Fastify calls the later hooks and the handler synchronously
 * from it, so they and everything they await run in that context.
 */
export function installRequestSpans(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (UNTOUCHABLE_PATHS.test(request.url)) return done();
    const path = request.url.split('?', 1)[0];
    const server = startServerSpan({ method: request.method, path, route: request.routeOptions.url, headers: request.headers });
    spans.set(request, server);
    open.add(server);
    done();
  });
  fastify.addHook('preHandler', (request, _reply, done) => {
    const server = spans.get(request);
    if (!server) return done();
    context.with(server.context, done);
  });
  const end = (request: FastifyRequest, outcome: { status?: number; error?: string }) => {
    const server = spans.get(request);
    if (!server || !open.delete(server)) return;
    server.end(outcome);
  };
  fastify.addHook('onResponse', (request, reply, done) => {
    end(request, { status: reply.statusCode });
    done();
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    end(request, { error: 'aborted' });
    done();
  });
}
