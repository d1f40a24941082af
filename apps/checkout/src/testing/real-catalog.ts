import { startServiceProcess, type ServiceProcess } from '@keel/testing';

/** The real catalog app as its own OS process over a fresh seeded database. */
export function startRealCatalog(): Promise<ServiceProcess> {
  return startServiceProcess('catalog', { env: { KEEL_REGION: 'us-east' } });
}
