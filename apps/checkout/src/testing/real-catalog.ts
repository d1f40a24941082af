import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrapService } from '@keel/service-kit';
// Tests drive checkout against the real catalog app, started in this process (test code only).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { catalogEnv } from '../../../catalog/src/catalog.env';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { CatalogModule } from '../../../catalog/src/catalog.module';

/** The real catalog on a free port over a fresh seeded database (the products in TEST_PRODUCTS). */
export async function startRealCatalog(): Promise<{ url: string; close(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keel-checkout-catalog-'));
  const service = await bootstrapService({
    module: CatalogModule,
    env: catalogEnv,
    environment: { KEEL_SERVICE: 'catalog', KEEL_REGION: 'us-east', PORT: '0', KEEL_DATA_DIR: dataDir, KEEL_LOG_LEVEL: 'silent' },
  });
  return {
    url: service.url,
    async close() {
      await service.app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
