import { context, type Context } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import { addRouteHooks } from './route-hooks';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The context the handler runs in, built up during `onRequest` by the hooks that put something
     * in it (the request's span, then its deadline) and entered once, in `preHandler`.
     */
    keelContext: Context | null;
  }
}

/** Declares `keelContext` on requests; hooks that add to it call this first (once is enough). */
export function declareRequestContext(fastify: FastifyInstance): void {
  if (!fastify.hasRequestDecorator('keelContext')) fastify.decorateRequest('keelContext', null);
}

/**
 * Enters each request's context for its handler: install after every hook that adds to it. The
 * context is entered in `preHandler`, not `onRequest`: body parsing runs in the socket's listeners,
 * so a context entered earlier would be lost by the time the handler runs. `done` is called inside
 * `context.with`, and Fastify calls the later hooks and the handler synchronously from it, so they
 * and everything they await run in that context.
 */
export function enterRequestContexts(fastify: FastifyInstance): void {
  declareRequestContext(fastify);
  addRouteHooks(fastify, () => ({
    preHandler(request, _reply, done) {
      const ctx = request.keelContext;
      if (ctx === null) return done();
      context.with(ctx, done);
    },
  }));
}
