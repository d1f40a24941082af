import { randomUUID } from 'node:crypto';
import { IDEMPOTENCY_KEY_HEADER, type CheckoutRequest } from '@keel/contracts';
import { type CriticalityTier, tierOf } from '@keel/resilience';
import { BROWSE_OFFSETS, CATEGORIES, PRODUCT_IDS, pick, WELL_STOCKED_IDS } from './catalog';

export type RouteName = 'browse' | 'product' | 'recommendations' | 'checkout';

/** One request, ready for autocannon: method, path (with query), headers and body. */
export interface RouteRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A kind of request a shopper makes through the public API, with how it counts. */
export interface RouteDef {
  name: RouteName;
  /** How it reads in tables: method and path pattern. */
  label: string;
  /** From the criticality matrix (libs/resilience/src/criticality.ts); thresholds select routes by it. */
  tier: CriticalityTier;
  /** Its share of the shopper mix, relative to the other routes' weights. */
  weight: number;
  /**
   * Non-2xx statuses that are business answers, not errors: a 409 "out of stock" is the shop
   * working correctly. Counted apart, and left out of the error rate.
   */
  businessStatuses: readonly number[];
  /** A fresh request each time: random product, page or category, and a new Idempotency-Key. */
  next(random?: () => number): RouteRequest;
}

const json = { 'content-type': 'application/json' };

/**
 * The shopper mix: for every checkout, 10 list pages, 5 product pages and 3 recommendation
 * calls. The product list is not in the criticality matrix; it is the shop's front page, so it
 * is held to Tier 1 like the product detail.
 */
export const ROUTES: readonly RouteDef[] = [
  {
    name: 'browse',
    label: 'GET /api/products',
    tier: 1,
    weight: 10,
    businessStatuses: [],
    next: (random = Math.random) => {
      const category = random() < 0.3 ? `&category=${pick(CATEGORIES, random)}` : '';
      return { method: 'GET', path: `/api/products?limit=20&offset=${pick(BROWSE_OFFSETS, random)}${category}` };
    },
  },
  {
    name: 'product',
    label: 'GET /api/products/:id',
    tier: tierOf('product-detail'),
    weight: 5,
    businessStatuses: [],
    next: (random = Math.random) => ({ method: 'GET', path: `/api/products/${pick(PRODUCT_IDS, random)}` }),
  },
  {
    name: 'recommendations',
    label: 'GET /api/products/:id/recommendations',
    tier: tierOf('recommendations'),
    weight: 3,
    businessStatuses: [],
    next: (random = Math.random) => ({ method: 'GET', path: `/api/products/${pick(PRODUCT_IDS, random)}/recommendations` }),
  },
  {
    name: 'checkout',
    label: 'POST /api/checkout',
    tier: tierOf('checkout'),
    weight: 1,
    businessStatuses: [409],
    next: (random = Math.random) => {
      const order: CheckoutRequest = { items: [{ productId: pick(WELL_STOCKED_IDS, random), quantity: 1 }], customer: { email: 'load@example.com' } };
      return { method: 'POST', path: '/api/checkout', headers: { ...json, [IDEMPOTENCY_KEY_HEADER]: randomUUID() }, body: JSON.stringify(order) };
    },
  },
];

export const routeByName = (name: RouteName): RouteDef => ROUTES.find((r) => r.name === name) as RouteDef;

/** Is this status an error for SLO purposes on this route? 2xx never; business answers never. */
export function isErrorStatus(route: RouteDef, status: number): boolean {
  return (status < 200 || status >= 300) && !route.businessStatuses.includes(status);
}

/** Did the answer leave something out or serve it stale? keel says so in `x-degraded`. */
export function isDegraded(headers: Record<string, unknown>): boolean {
  for (const name of Object.keys(headers)) if (name.toLowerCase() === 'x-degraded') return true;
  return false;
}
