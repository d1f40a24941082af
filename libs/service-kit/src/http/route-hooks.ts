import type { FastifyInstance, onRequestAbortHookHandler, onRequestHookHandler, onResponseHookHandler, preHandlerHookHandler, RouteOptions } from 'fastify';
import type { Feature } from '@keel/resilience';
import { taggedFeature } from './serves-feature';
import { UNTOUCHABLE_PATHS } from './untouchable-paths';

/** What keel's hooks need to know about a route, worked out once, when the route is declared. */
export interface RouteTraits {
  /** As declared (`/api/products/:id`): span names, metrics and deadlines key on it, never on raw URLs. */
  readonly template: string;
  /** From `@ServesFeature`; undefined for a route nobody tagged. */
  readonly feature?: Feature;
}

/** The hooks one concern attaches to one route; each runs with that route's traits in its closure. */
export interface RouteHooks {
  onRequest?: onRequestHookHandler;
  preHandler?: preHandlerHookHandler;
  onResponse?: onResponseHookHandler;
  onRequestAbort?: onRequestAbortHookHandler;
}

const HOOK_NAMES = ['onRequest', 'preHandler', 'onResponse', 'onRequestAbort'] as const;

/**
 * Attaches `hooksFor(route)` to every route declared after this call, except probes and scrapes
 * (UNTOUCHABLE_PATHS), which keel never sheds, traces or gives a deadline. Per-route hooks rather
 * than global ones: the route's facts are closed over instead of looked up on every request
 * (Fastify's `request.routeOptions` builds a new object per read), and a probe costs no check at
 * all. Routes get their hooks in the order concerns call this, after the app's global hooks.
 * Unmatched requests (404) run none of them: they do no work worth shedding, timing or tracing.
 */
export function addRouteHooks(fastify: FastifyInstance, hooksFor: (route: RouteTraits) => RouteHooks | undefined): void {
  fastify.addHook('onRoute', (route) => {
    if (UNTOUCHABLE_PATHS.test(route.url)) return;
    const hooks = hooksFor({ template: route.url, feature: taggedFeature(route.config) });
    if (!hooks) return;
    for (const name of HOOK_NAMES) {
      const hook = hooks[name];
      if (hook) appendHook(route, name, hook);
    }
  });
}

function appendHook(route: RouteOptions, name: (typeof HOOK_NAMES)[number], hook: NonNullable<RouteHooks[typeof name]>): void {
  const existing = route[name] as unknown;
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
  (route as unknown as Record<string, unknown>)[name] = [...list, hook];
}
