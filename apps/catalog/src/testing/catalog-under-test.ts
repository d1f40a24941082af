import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Product, Reservation } from '@keel/contracts';
import { bootstrapService, type RunningService } from '@keel/service-kit';
import { CatalogModule } from '../catalog.module';
import { catalogEnv, type CatalogEnv } from '../catalog.env';

/** A catalog started in-process on a free port over its own data directory, for tests. */
export async function startCatalog(dataDir: string, extra: NodeJS.ProcessEnv = {}): Promise<RunningService<CatalogEnv>> {
  return bootstrapService({
    module: CatalogModule,
    env: catalogEnv,
    environment: { KEEL_SERVICE: 'catalog', KEEL_REGION: 'test', KEEL_VERSION: '0.0.0-test', PORT: '0', KEEL_DATA_DIR: dataDir, KEEL_LOG_LEVEL: 'silent', ...extra },
  });
}

export function tempDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'keel-catalog-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A tiny JSON client over fetch: status and parsed body, nothing hidden. */
export function client(baseUrl: () => string) {
  const call = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl()}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: (await response.json()) as T };
  };
  return {
    call,
    stock: async (id: string) => (await call<Product>('GET', `/products/${id}`)).body.stock,
    reserve: (reservationId: string, items: { productId: string; quantity: number }[]) => call<Reservation>('POST', '/reservations', { reservationId, items }),
    release: (reservationId: string) => call<Reservation>('POST', `/reservations/${reservationId}/release`),
  };
}
