import type { RouteDef } from './routes';

/** One route's share of a total rate. */
export interface RoutePlan {
  route: RouteDef;
  /** Requests per second for this route: a whole number, at least 1. */
  rate: number;
}

/**
 * Splits a total rate over routes by weight: 50 req/s over 10:5:3:1 gives 26, 13, 8, 3.
 * Each route gets a whole number of requests per second, and at least one: autocannon's rate
 * limiter counts whole requests per second per connection, and a route that never runs would
 * have no latency to judge. At low totals the sum can therefore exceed the total a little;
 * the report shows each route's planned rate.
 */
export function splitRate(total: number, routes: readonly RouteDef[]): RoutePlan[] {
  if (!(total > 0)) throw new RangeError(`total rate must be positive, got ${total}`);
  const weights = routes.reduce((sum, r) => sum + r.weight, 0);
  return routes.map((route) => ({ route, rate: Math.max(1, Math.round((total * route.weight) / weights)) }));
}

/**
 * Picks routes at random in proportion to their weights, for traffic that mixes routes on
 * one connection (the background generator), where a route's share is a probability.
 */
export function weightedPicker(routes: readonly RouteDef[], random: () => number = Math.random): () => RouteDef {
  const total = routes.reduce((sum, r) => sum + r.weight, 0);
  return () => {
    let roll = random() * total;
    for (const route of routes) {
      roll -= route.weight;
      if (roll < 0) return route;
    }
    return routes[routes.length - 1];
  };
}

/**
 * Connections for a route's rate: one per 4 req/s, so each connection (one request in flight
 * at a time) keeps up while answers take up to ~250 ms; capped so stress stays bounded.
 */
export function connectionsFor(rate: number, perConnection = 4, max = 64): number {
  return Math.min(max, Math.max(1, Math.ceil(rate / perConnection)));
}
