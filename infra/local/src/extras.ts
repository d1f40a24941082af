import type { ExtraRequest } from './api-types';
import { freePort } from './net';
import { StackError } from './problem';
import type { InstanceSpec } from './topology';

const LABEL = /^[A-Za-z0-9._-]{1,40}$/;

/** Checks a `start-extra` request from the wire; returns it typed or throws a 400. */
export function parseExtraRequest(body: unknown): ExtraRequest {
  const b = (body ?? {}) as Record<string, unknown>;
  for (const key of ['service', 'region', 'version'] as const) {
    if (typeof b[key] !== 'string' || (b[key] as string).length === 0) {
      throw new StackError('bad-request', `'${key}' is required (a non-empty string)`);
    }
  }
  if (b.label !== undefined && (typeof b.label !== 'string' || !LABEL.test(b.label))) {
    throw new StackError('bad-request', `'label' must be 1-40 letters, digits, '.', '_' or '-'`);
  }
  const env = b.env ?? {};
  if (typeof env !== 'object' || Array.isArray(env) || Object.values(env).some((v) => typeof v !== 'string')) {
    throw new StackError('bad-request', `'env' must be an object of string values`);
  }
  return { service: b.service as string, region: b.region as string, version: b.version as string, label: b.label as string | undefined, env: env as Record<string, string> };
}

/**
 * The spec of an extra instance: a copy of the region's regular instance of that service (same
 * entry, same dependency env) on ports the OS hands out, with its own version, name and env.
 * `service` may also be an instance name (`provider-a`) for services that run more than once.
 */
export async function buildExtraSpec(request: ExtraRequest, existing: InstanceSpec[], host: string): Promise<InstanceSpec> {
  const { service, region, version, env = {} } = request;
  const regular = existing.filter((s) => !s.extra && s.region === region);
  const base = regular.find((s) => s.name === service) ?? regular.find((s) => s.service === service);
  if (!base) {
    const known = [...new Set(existing.filter((s) => !s.extra).map((s) => `${s.region}/${s.name}`))].join(', ');
    throw new StackError('unknown-target', `no '${service}' in region '${region}' to start an extra of (known: ${known})`);
  }
  if (base.service === 'kafka') {
    throw new StackError('bad-request', `a broker cannot have extras: it would need ports and a cluster of its own (use KAFKA_BROKERS_<REGION> for another cluster)`);
  }
  const label = request.label ?? version;
  if (!LABEL.test(label)) throw new StackError('bad-request', `label '${label}' must be 1-40 letters, digits, '.', '_' or '-'`);
  const name = `${base.name}~${label}`;
  const id = `${region}/${name}`;
  if (existing.some((s) => s.id === id)) throw new StackError('conflict', `${id} already exists; remove it first or pick another --label`);
  const [port, adminPort] = [await freePort(host), await freePort(host)];
  return {
    ...base,
    id,
    name,
    version,
    port,
    adminPort,
    extra: true,
    // The identity and ports win over caller env: the supervisor probes and reports these.
    env: { ...base.env, ...env, PORT: String(port), KEEL_ADMIN_PORT: String(adminPort), KEEL_VERSION: version, KEEL_INSTANCE: name },
  };
}
