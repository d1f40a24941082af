import { randomUUID } from 'node:crypto';
import type { Order, Product, RecommendationList } from '@keel/contracts';
import { bootstrapService, type RunningService } from '@keel/service-kit';
import { afterAll, beforeAll } from 'vitest';
import { gatewayEnv, type GatewayEnv } from '../gateway.env';
import { GatewayModule } from '../gateway.module';
import { GATEWAY_OPENAPI } from '../openapi/openapi-info';
import { FixtureService, type FixtureHandler } from './fixture-service';

export const PRODUCTS: Product[] = [
  { id: 'p-001', name: 'Headphones', description: 'closed-back', category: 'audio', priceCents: 18900, currency: 'USD', stock: 120 },
  { id: 'p-002', name: 'Earbuds', description: 'compact', category: 'audio', priceCents: 7900, currency: 'USD', stock: 200 },
  { id: 'p-003', name: 'Turntable', description: 'belt drive', category: 'audio', priceCents: 24900, currency: 'USD', stock: 15 },
];

const notFound = (detail: string) => ({ status: 404, body: { type: '/problems/not-found', title: 'Not found', status: 404, detail } });

export const catalogAnswers: FixtureHandler = ({ method, url }) => {
  if (method !== 'GET') return undefined;
  if (url.startsWith('/products?') || url === '/products') return { body: { items: PRODUCTS, total: PRODUCTS.length } };
  const id = /^\/products\/([^/?]+)$/.exec(url)?.[1];
  if (!id) return undefined;
  const product = PRODUCTS.find((p) => p.id === decodeURIComponent(id));
  return product ? { body: product } : notFound(`no product ${id}`);
};

export const recommendationAnswers: FixtureHandler = ({ url }) => {
  const id = /^\/recommendations\/([^/?]+)/.exec(url)?.[1];
  if (!id) return undefined;
  const list: RecommendationList = { productId: id, items: [{ id: 'p-002', name: 'Earbuds', category: 'audio', priceCents: 7900, score: 0.9 }] };
  return { body: list };
};

export function orderIn(region: string, id = `ord_${region}_${randomUUID()}`): Order {
  const now = new Date().toISOString();
  return { id, region, status: 'confirmed', items: [{ productId: 'p-001', quantity: 1, unitPriceCents: 18900 }], totalCents: 18900, currency: 'USD', customer: { email: 'ada@example.com' }, createdAt: now, updatedAt: now };
}

/** A checkout that places orders in `region` and knows only the orders in `placed` (by id and by key). */
export function checkoutAnswers(region: string, placed = new Map<string, Order>()): FixtureHandler {
  return ({ method, url, headers }) => {
    if (method === 'POST' && url === '/orders') {
      const key = String(headers['idempotency-key']);
      const replay = placed.get(key);
      if (replay) return { status: 200, body: replay };
      const order = orderIn(region);
      placed.set(key, order);
      placed.set(order.id, order);
      return { status: 201, body: order };
    }
    const id = /^\/orders\/([^/?]+)$/.exec(url)?.[1];
    if (method !== 'GET' || !id) return undefined;
    const known = placed.get(decodeURIComponent(id));
    return known ? { body: known } : notFound(`no order ${id}`);
  };
}

export interface GatewayHarness {
  gateway: RunningService<GatewayEnv>;
  catalog: FixtureService;
  recommendations: FixtureService;
  checkout: FixtureService;
  peerCheckout: FixtureService;
  /** Orders the eu-west fixture checkout knows, by id. */
  peerOrders: Map<string, Order>;
  /** Orders the us-east fixture checkout knows, by id (its replica of eu-west orders too). */
  localOrders: Map<string, Order>;
  close(): Promise<void>;
}

/**
 * Hooks one harness into the calling test file: started before its first test, closed after its
 * last. The object returned is filled in by then, so tests read `h.gateway` as usual.
 */
export function useGatewayHarness(): GatewayHarness {
  const h = {} as GatewayHarness;
  let started: GatewayHarness | undefined;
  beforeAll(async () => {
    started = await startGatewayHarness();
    Object.assign(h, started);
  });
  afterAll(async () => {
    await started?.close();
  });
  return h;
}

/** A gateway for us-east, in process, in front of fixture services for its dependencies and eu-west's checkout. */
export async function startGatewayHarness(): Promise<GatewayHarness> {
  const peerOrders = new Map<string, Order>();
  const localOrders = new Map<string, Order>();
  const [catalog, recommendations, checkout, peerCheckout] = await Promise.all([
    FixtureService.start(catalogAnswers),
    FixtureService.start(recommendationAnswers),
    FixtureService.start(checkoutAnswers('us-east', localOrders)),
    FixtureService.start(checkoutAnswers('eu-west', peerOrders)),
  ]);
  const gateway = await bootstrapService({
    module: GatewayModule,
    env: gatewayEnv,
    openapi: GATEWAY_OPENAPI,
    environment: {
      KEEL_SERVICE: 'gateway',
      KEEL_REGION: 'us-east',
      KEEL_VERSION: '1.2.3',
      PORT: '0',
      KEEL_LOG_LEVEL: 'silent',
      KEEL_CATALOG_URL: catalog.url,
      KEEL_RECOMMENDATIONS_URL: recommendations.url,
      KEEL_CHECKOUT_URL: checkout.url,
      KEEL_PEER_REGION: 'eu-west',
      KEEL_PEER_CHECKOUT_URL: peerCheckout.url,
    },
  });
  return {
    gateway,
    catalog,
    recommendations,
    checkout,
    peerCheckout,
    peerOrders,
    localOrders,
    async close() {
      await gateway.app.close();
      await Promise.all([catalog, recommendations, checkout, peerCheckout].map((f) => f.stop()));
    },
  };
}
