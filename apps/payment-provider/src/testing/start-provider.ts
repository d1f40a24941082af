import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrapService, type RunningService } from '@keel/service-kit';
import { paymentProviderEnv, type PaymentProviderEnv } from '../payment-provider.env';
import { PaymentProviderModule } from '../payment-provider.module';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

/** A port that was free a moment ago (the admin listener needs a fixed one; PORT can be 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

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
  const dataDir = mkdtempSync(join(tmpdir(), `keel-${instance}-`));
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
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
