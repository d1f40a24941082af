import type { FaultSettingsBody } from '@keel/contracts';
import { bootstrapService, type RunningService } from '@keel/service-kit';
import { freePort, tempDir } from '@keel/testing';
import { carrierEnv, type CarrierEnv } from '../carrier.env';
import { CarrierModule } from '../carrier.module';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestCarrier {
  service: RunningService<CarrierEnv>;
  url: string;
  adminUrl: string;
  /** Calls the admin port with the token. */
  admin(method: string, path: string, body?: unknown): Promise<Response>;
  /** `PUT /admin/faults`; throws when the carrier refuses the settings, so a test cannot run unfaulted by mistake. */
  setFaults(faults: FaultSettingsBody): Promise<void>;
  close(): Promise<void>;
}

/** The carrier in this process, over real HTTP, with its own temporary database. */
export async function startTestCarrier(instance = 'carrier'): Promise<TestCarrier> {
  const { dir: dataDir, remove: removeDataDir } = tempDir(`keel-${instance}-`);
  // The admin listener needs a fixed port; PORT can be 0.
  const adminPort = await freePort();
  const service = await bootstrapService({
    module: CarrierModule,
    env: carrierEnv,
    environment: {
      KEEL_SERVICE: 'carrier',
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
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${adminUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    service,
    url: service.url,
    adminUrl,
    admin,
    async setFaults(faults) {
      const answer = await admin('PUT', '/admin/faults', faults);
      if (!answer.ok) throw new Error(`carrier refused fault settings ${JSON.stringify(faults)}: ${answer.status} ${await answer.text()}`);
    },
    async close() {
      await service.app.close();
      removeDataDir();
    },
  };
}
