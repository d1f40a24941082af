import { bootstrapService, type RunningService } from '@keel/service-kit';
import { freePort, tempDir } from '@keel/testing';
import { paymentProviderEnv, type PaymentProviderEnv } from '../payment-provider.env';
import { PaymentProviderModule } from '../payment-provider.module';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestProvider {
  service: RunningService<PaymentProviderEnv>;
  url: string;
  adminUrl: string;
  /** Calls the admin port with the token. */
  admin(method: string, path: string, body?: unknown): Promise<Response>;
  stop(): Promise<void>;
}

/** One provider instance in this process, over real HTTP, with its own temporary ledger. */
export async function startTestProvider(instance = 'provider-a'): Promise<TestProvider> {
  const { dir: dataDir, remove: removeDataDir } = tempDir(`keel-${instance}-`);
  // The admin listener needs a fixed port; PORT can be 0.
  const adminPort = await freePort();
  const service = await bootstrapService({
    module: PaymentProviderModule,
    env: paymentProviderEnv,
    environment: {
      KEEL_SERVICE: 'payment-provider',
      KEEL_INSTANCE: instance,
      KEEL_REGION: 'global',
      PORT: '0',
      KEEL_ADMIN_PORT: String(adminPort),
      KEEL_TOKEN: TEST_ADMIN_TOKEN,
      KEEL_DATA_DIR: dataDir,
      KEEL_LOG_LEVEL: 'silent',
    },
  });
  const adminUrl = `http://127.0.0.1:${adminPort}`;
  return {
    service,
    url: service.url,
    adminUrl,
    admin: (method, path, body) =>
      fetch(`${adminUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    async stop() {
      await service.app.close();
      removeDataDir();
    },
  };
}
