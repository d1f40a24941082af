import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DEADLINE_DEFAULTS, ExpiringDeadline, type Clock } from '@keel/resilience';
import { problem } from '../problem';
import type { DeadlineSource } from './inbound-deadline';
import { addRouteHooks } from './route-hooks';

/** The header a client uses to ask for a shorter deadline than the route's. */
export const REQUEST_TIMEOUT_HEADER = 'request-timeout';

export interface RouteDeadlines {
  /** GET, HEAD and OPTIONS routes (default DEADLINE_DEFAULTS.routes.readMs, 2 s). */
  readMs?: number;
  /** Every other method (default DEADLINE_DEFAULTS.routes.writeMs, 5 s: checkout). */
  writeMs?: number;
  /** Exceptions, keyed by method and route as declared: `{ 'POST /api/checkout': 8000 }`. */
  routes?: Readonly<Record<string, number>>;
}

/**
 * Options for the one service where requests enter the platform (the gateway). Everything that
 * arrives there is from outside and untrusted: its baggage is dropped, and each request gets the
 * deadline its route is configured with, shortened if the client asks.
 */
export interface TrustBoundaryOptions {
  deadlines?: RouteDeadlines;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The deadline a route gets, before any client request to shorten it. */
export function routeDeadlineMs(method: string, route: string | undefined, deadlines: RouteDeadlines = {}): number {
  const exception = route === undefined ? undefined : deadlines.routes?.[`${method} ${route}`];
  if (exception !== undefined) return exception;
  return READ_METHODS.has(method) ? (deadlines.readMs ?? DEADLINE_DEFAULTS.routes.readMs) : (deadlines.writeMs ?? DEADLINE_DEFAULTS.routes.writeMs);
}

/**
 * `Request-Timeout` in seconds, as HTTP states durations (Retry-After, max-age), with up to three
 * decimals for milliseconds: `Request-Timeout: 1.5`. Undefined when absent; a 400 problem when it
 * is not a positive number of seconds.
 */
export function requestedTimeoutMs(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  const ms = /^\s*\d{1,6}(\.\d{1,3})?\s*$/.test(value ?? '') ? Math.round(Number(value) * 1000) : NaN;
  if (!(ms > 0)) {
    throw problem(400, 'invalid-request-timeout', 'Request-Timeout is not valid', 'Request-Timeout is a positive number of seconds, e.g. 1.5');
  }
  return ms;
}

/**
 * The gateway's deadline source: the route's deadline, or the client's `Request-Timeout` when that
 * is shorter (a client may ask for less, never more).
 */
export function trustBoundaryDeadline(options: TrustBoundaryOptions, clock: Clock): DeadlineSource {
  return (route) => (request: FastifyRequest) => {
    const routeMs = routeDeadlineMs(request.method, route.template, options.deadlines);
    const askedMs = requestedTimeoutMs(request.headers[REQUEST_TIMEOUT_HEADER]);
    return ExpiringDeadline.after(askedMs === undefined ? routeMs : Math.min(askedMs, routeMs), clock);
  };
}

/**
 * Drops the `baggage` a request brought from outside, before its span extracts the context: every
 * entry an outsider sends is untrusted (a deadline of 0 would refuse all work, a made-up entry would
 * travel through the platform), so neither the handler nor any hop after it sees one. Install
 * before request spans.
 */
export function installTrustBoundary(fastify: FastifyInstance): void {
  addRouteHooks(fastify, () => ({
    onRequest(request, _reply, done) {
      if (request.headers.baggage !== undefined) delete request.headers.baggage;
      done();
    },
  }));
}
