import type { Charge, ChargeList, Order, Product, ProviderFaults, Reservation, Shipment, ShipmentList } from '@keel/contracts';
import { bootstrapService, type RunningService } from '@keel/service-kit';
import { startServiceProcess, tempDir, type ServiceProcess } from '@keel/testing';
import { checkoutEnv, type CheckoutEnv } from '../checkout.env';
import { CheckoutModule } from '../checkout.module';
import { startFixtureCatalog } from './fixture-catalog';
import { startRealCatalog } from './real-catalog';
import { startFixtureRecommendations } from './fixture-recommendations';

const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

/** The real payment-provider app as its own OS process, named like the stack names it. */
export type TestProvider = ServiceProcess & { name: string };

async function startTestProvider(name: string, app = 'payment-provider'): Promise<TestProvider> {
  const provider = await startServiceProcess(app, { env: { KEEL_INSTANCE: name, KEEL_REGION: 'global' } });
  return Object.assign(provider, { name });
}

export interface RunningCheckout {
  service: RunningService<CheckoutEnv>;
  url: string;
  /** Calls checkout's admin port with the token (GET unless `init` says otherwise). */
  admin(path: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

/** Checkout's dependencies over real HTTP, and a way to (re)start checkout on one data directory. */
export interface CheckoutStack {
  dataDir: string;
  providerA: TestProvider;
  providerB: TestProvider;
  /** The shipping carrier (the real carrier app as its own process). */
  carrier: TestProvider;
  catalogUrl: string;
  recommendations: Awaited<ReturnType<typeof startFixtureRecommendations>>;
  /** The environment a checkout process needs to reach all of the above. */
  dependencyEnv: Record<string, string>;
  startCheckout(overrides?: Record<string, string>): Promise<RunningCheckout>;
  stock(productId: string): Promise<number>;
  reservation(orderId: string): Promise<Reservation | undefined>;
  chargesAt(provider: TestProvider, orderId: string): Promise<Charge[]>;
  shipmentsFor(orderId: string): Promise<Shipment[]>;
  /** Faults on a payment provider or on the carrier. */
  setFaults(provider: TestProvider, faults: ProviderFaults): Promise<void>;
  stop(): Promise<void>;
}

/** Fast clocks so recovery shows within a test; the payment timeout stays above a healthy call. */
export const TEST_CHECKOUT_ENV = {
  KEEL_CHECKOUT_CATALOG_TIMEOUT_MS: '2000',
  KEEL_CHECKOUT_PAYMENT_TIMEOUT_MS: '1000',
  KEEL_CHECKOUT_RECOVER_AFTER_MS: '2500',
  KEEL_CHECKOUT_RECOVERY_INTERVAL_MS: '250',
  KEEL_CHECKOUT_CARRIER_TIMEOUT_MS: '1000',
  KEEL_CHECKOUT_RETRY_BASE_MS: '200',
  KEEL_CHECKOUT_RETRY_MAX_MS: '1000',
};

export async function startCheckoutStack(): Promise<CheckoutStack> {
  const { dir: dataDir, remove: removeDataDir } = tempDir('keel-checkout-');
  const started = await Promise.allSettled([
    startTestProvider('provider-a'),
    startTestProvider('provider-b'),
    startTestProvider('carrier', 'carrier'),
    // The real catalog app by default; KEEL_TEST_CATALOG=fixture isolates checkout from catalog changes.
    process.env.KEEL_TEST_CATALOG === 'fixture' ? startFixtureCatalog() : startRealCatalog(),
    startFixtureRecommendations(),
  ] as const);
  const failed = started.find((outcome) => outcome.status === 'rejected');
  if (failed) {
    // Whatever did start is stopped again: a half-started stack must not outlive the test run.
    await Promise.all(started.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value.stop() : undefined)));
    removeDataDir();
    throw failed.reason;
  }
  const [providerA, providerB, carrier, catalog, recommendations] = started.map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value) as [
    TestProvider,
    TestProvider,
    TestProvider,
    Awaited<ReturnType<typeof startRealCatalog>>,
    Awaited<ReturnType<typeof startFixtureRecommendations>>,
  ];
  const dependencyEnv = {
    KEEL_CATALOG_URL: catalog.url,
    KEEL_PROVIDER_A_URL: providerA.url,
    KEEL_PROVIDER_B_URL: providerB.url,
    KEEL_RECOMMENDATIONS_URL: recommendations.url,
    KEEL_CARRIER_URL: carrier.url,
  };
  const running: RunningCheckout[] = [];
  const json = async <T>(url: string): Promise<T | undefined> => {
    const response = await fetch(url);
    return response.ok ? ((await response.json()) as T) : undefined;
  };

  return {
    dataDir,
    providerA,
    providerB,
    carrier,
    catalogUrl: catalog.url,
    recommendations,
    dependencyEnv,
    async startCheckout(overrides = {}) {
      const service = await bootstrapService({
        module: CheckoutModule,
        env: checkoutEnv,
        environment: {
          KEEL_SERVICE: 'checkout',
          KEEL_REGION: 'us-east',
          PORT: '0',
          KEEL_ADMIN_PORT: '0',
          KEEL_TOKEN: TEST_ADMIN_TOKEN,
          KEEL_DATA_DIR: dataDir,
          KEEL_LOG_LEVEL: process.env.KEEL_TEST_LOG_LEVEL ?? 'silent',
          ...dependencyEnv,
          ...TEST_CHECKOUT_ENV,
          ...overrides,
        },
      });
      const checkout: RunningCheckout = {
        service,
        url: service.url,
        admin: (path, init = {}) => fetch(`${service.adminUrl}${path}`, { ...init, headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } }),
        stop: async () => {
          running.splice(running.indexOf(checkout), 1);
          await service.app.close();
        },
      };
      running.push(checkout);
      return checkout;
    },
    stock: async (productId) => (await json<Product>(`${catalog.url}/products/${productId}`))?.stock ?? Number.NaN,
    reservation: (orderId) => json<Reservation>(`${catalog.url}/reservations/${encodeURIComponent(orderId)}`),
    chargesAt: async (provider, orderId) => (await json<ChargeList>(`${provider.url}/charges?reference=${encodeURIComponent(orderId)}`))?.items ?? [],
    shipmentsFor: async (orderId) => (await json<ShipmentList>(`${carrier.url}/shipments?reference=${encodeURIComponent(orderId)}`))?.items ?? [],
    async setFaults(provider, faults) {
      const response = await provider.admin('PUT', '/admin/faults', faults);
      if (!response.ok) throw new Error(`setting faults on ${provider.name} answered ${response.status}`);
    },
    async stop() {
      for (const checkout of [...running]) await checkout.stop();
      await Promise.all([providerA.stop(), providerB.stop(), carrier.stop(), catalog.stop(), recommendations.stop()]);
      removeDataDir();
    },
  };
}

/** `POST /orders` with an optional Idempotency-Key; returns status, headers and parsed body. */
export async function postOrder(checkoutUrl: string, body: unknown, key?: string): Promise<{ status: number; headers: Headers; body: Order & Record<string, unknown> }> {
  const response = await fetch(`${checkoutUrl}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key === undefined ? {} : { 'idempotency-key': key }) },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Order & Record<string, unknown> };
}

/** Polls `check` until it returns a value, for at most `timeoutMs`; every wait in the tests is bounded. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
