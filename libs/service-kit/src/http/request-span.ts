import type { FastifyInstance, FastifyRequest } from 'fastify';
import { startServerSpan, type ServerSpan } from '@keel/telemetry';
import { declareRequestContext } from './request-context';
import { addRouteHooks } from './route-hooks';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's SERVER span (null: a probe, a 404, or refused before tracing). */
    keelSpan: ServerSpan | null;
  }
}

/** The request's SERVER span, for hooks that run outside its context (the request log). */
export function requestSpan(request: FastifyRequest): ServerSpan['span'] | undefined {
  return request.keelSpan?.span;
}

/**
 * Gives every routed request (but probes and scrapes) a SERVER span, child of the caller's
 * traceparent, whose context the handler runs in (request-context.ts), so log lines carry its
 * trace id and outgoing calls continue its trace. Install after load shedding: a refusal must stay
 * cheap, so a shed request gets no span (keel_shed_requests_total counts it).
 */
export function installRequestSpans(fastify: FastifyInstance): void {
  fastify.decorateRequest('keelSpan', null);
  declareRequestContext(fastify);
  addRouteHooks(fastify, ({ template }) => ({
    onRequest(request, _reply, done) {
      const server = startServerSpan({ method: request.method, path: pathOf(request.url), route: template, headers: request.headers });
      request.keelSpan = server;
      request.keelContext = server.context;
      done();
    },
    // A request can both be aborted and answer: ServerSpan.end ends the span once.
    onResponse(request, reply, done) {
      request.keelSpan?.end({ status: reply.statusCode });
      done();
    },
    onRequestAbort(request, done) {
      request.keelSpan?.end({ error: 'aborted' });
      done();
    },
  }));
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
