import pino, { type Logger } from 'pino';
import { traceLogFields, type ServiceIdentity } from '@keel/telemetry';
import type { BaseEnv } from '../env';

export type ServiceLogger = Logger;

/**
 * The one pino logger of a service process: JSON lines on stdout, each naming the service,
 * instance, region and version, and the trace and span that were active when it was written.
 */
export function createServiceLogger(env: Pick<BaseEnv, 'KEEL_LOG_LEVEL'>, identity: ServiceIdentity, destination?: pino.DestinationStream): ServiceLogger {
  const options: pino.LoggerOptions = {
    level: env.KEEL_LOG_LEVEL,
    base: { service: identity.service, instance: identity.instance, region: identity.region, version: identity.version, pid: process.pid },
    mixin: traceLogFields,
    redact: ['req.headers.authorization', 'req.headers.cookie'],
  };
  return destination ? pino(options, destination) : pino(options);
}
