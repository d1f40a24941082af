import { bootstrapService, type RunningService } from '@keel/service-kit';
import { startServiceProcess, type ServiceProcess } from '@keel/testing';
import { recommendationsEnv, type RecommendationsEnv } from '../recommendations.env';
import { RecommendationsModule } from '../recommendations.module';

/** A real catalog, as its own OS process, over its own data directory. */
export function startCatalog(dataDir: string, env: Record<string, string> = {}): Promise<ServiceProcess> {
  return startServiceProcess('catalog', { dataDir, env });
}

export async function startRecommendations(dataDir: string, catalogUrl: string, extra: NodeJS.ProcessEnv = {}): Promise<RunningService<RecommendationsEnv>> {
  return bootstrapService({
    module: RecommendationsModule,
    env: recommendationsEnv,
    environment: {
      KEEL_SERVICE: 'recommendations',
      KEEL_REGION: 'test',
      KEEL_VERSION: '0.0.0-test',
      PORT: '0',
      KEEL_DATA_DIR: dataDir,
      KEEL_LOG_LEVEL: 'silent',
      KEEL_CATALOG_URL: catalogUrl,
      KEEL_RECOMMENDATIONS_RETRY_MAX_MS: '100',
      ...extra,
    },
  });
}

export async function getJson<T = Record<string, unknown>>(url: string): Promise<{ status: number; body: T }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as T };
}

export async function postJson<T = Record<string, unknown>>(url: string, body: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as T };
}
