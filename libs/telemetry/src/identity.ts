/** Who this process is, as every log line, metric and `x-served-by` header names it. */
export interface ServiceIdentity {
  service: string;
  instance: string;
  region: string;
  version: string;
}

export function identityFromEnv(env: NodeJS.ProcessEnv = process.env): ServiceIdentity {
  const service = env.KEEL_SERVICE ?? 'unknown';
  return {
    service,
    instance: env.KEEL_INSTANCE ?? service,
    region: env.KEEL_REGION ?? 'local',
    version: env.KEEL_VERSION ?? '0.0.0',
  };
}

/** `<region>/<instance>@<version>`; extras (`catalog~canary`) report the service they stand for. */
export function servedBy(id: ServiceIdentity): string {
  return `${id.region}/${id.instance.split('~')[0]}@${id.version}`;
}
