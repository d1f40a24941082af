import { type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';
import { LISTENING_REPORT, type ListeningReport } from '@keel/contracts';
import { skewedClock } from '@keel/resilience';
import { identityFromEnv, telemetry } from '@keel/telemetry';
import { AdminRoutes } from './admin/admin-routes';
import { startAdminServer } from './admin/admin-server';
import { InvalidEnvironmentError, parseEnv, type BaseEnv } from './env';
import { Readiness } from './health/readiness';
import { installHttpHooks } from './http/hooks';
import { NestPinoLogger } from './logging/nest-logger';
import { installRequestLog } from './logging/request-log';
import { createServiceLogger, type ServiceLogger } from './logging/service-logger';
import { baggageDeadline, installDeadlineHooks } from './http/inbound-deadline';
import { installLoadShedding, type LoadSheddingOptions } from './http/load-shedding';
import { loadSheddingFromEnv } from './http/load-shedding-env';
import { ProblemFilter } from './http/problem.filter';
import { enterRequestContexts } from './http/request-context';
import { installRequestSpans } from './http/request-span';
import { installTrustBoundary, trustBoundaryDeadline, type TrustBoundaryOptions } from './http/trust-boundary';
import { validationPipe } from './http/validation';
import { ServiceKitModule } from './service-kit.module';

export interface BootstrapOptions<S extends z.ZodRawShape> {
  /** The app's own module: wiring only. */
  module: Type<unknown> | DynamicModule;
  /** Extra environment variables the app needs, validated with the kit's own at start-up. */
  env?: S;
  /**
   * Checks across variables that a zod shape cannot express (one must name an entry of another).
   * Runs before Nest starts; throw `InvalidEnvironmentError` to refuse to start with that message.
   */
  checkEnv?: (env: BaseEnv & z.infer<z.ZodObject<S>>) => void;
  /** Serve an OpenAPI document at `/api/docs-json` (gateways). */
  openapi?: { title: string; description?: string };
  /** The environment to read (default `process.env`); tests start several services in one process. */
  environment?: NodeJS.ProcessEnv;
  /**
   * Set on the one service where requests enter the platform (the gateway): inbound baggage is
   * dropped as untrusted, and every request gets its route's deadline (see http/trust-boundary.ts).
   * Every other service takes the deadline its keel caller sent in baggage.
   */
  trustBoundary?: TrustBoundaryOptions;
  /**
   * Load-shedding thresholds (defaults: SHEDDING_DEFAULTS in @keel/resilience); `false` turns it off.
   * `KEEL_SHEDDING` and `KEEL_SHED_LIMIT_*` in the environment override these.
   */
  loadShedding?: LoadSheddingOptions | false;
}

export interface RunningService<E> {
  app: INestApplication;
  env: E;
  url: string;
  /** Set when the service has an admin listener (KEEL_ADMIN_PORT and KEEL_TOKEN). */
  adminUrl?: string;
}

/**
 * Starts a keel service the one way every service starts: validated environment, Nest on Fastify,
 * problem-JSON errors, `x-served-by`, metrics, health, admin listener, graceful SIGTERM.
 */
export async function bootstrapService<S extends z.ZodRawShape = Record<string, never>>(
  options: BootstrapOptions<S>,
): Promise<RunningService<BaseEnv & z.infer<z.ZodObject<S>>>> {
  const env = parseEnv(options.env ?? ({} as S), options.environment);
  options.checkEnv?.(env);
  if (env.KEEL_REPORT_LISTENING === 'ipc' && !process.send) {
    throw new InvalidEnvironmentError('KEEL_REPORT_LISTENING=ipc, but this process was not spawned with an IPC channel to report on');
  }
  const identity = identityFromEnv(options.environment);
  telemetry();
  const logger = createServiceLogger(env, identity);
  const adapter = new FastifyAdapter({ logger: false, bodyLimit: 256 * 1024 });
  const app = await NestFactory.create<NestFastifyApplication>(
    { module: class KeelRoot {}, imports: [ServiceKitModule.forRoot(env), options.module] },
    adapter,
    { logger: new NestPinoLogger(logger), abortOnError: false },
  );
  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalPipes(validationPipe());
  // useProcessExit: after a clean shutdown exit 0 (and let pino flush) instead of re-raising the
  // signal, which would report a graceful stop as "killed by SIGTERM" (143).
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  const fastify = app.getHttpAdapter().getInstance();
  // Per-route hooks run in this order. Shedding first: refusing work must cost as little as possible.
  const shedding = loadSheddingFromEnv(env, options.loadShedding);
  if (shedding) installLoadShedding(fastify, shedding);
  // At the gateway, outside baggage goes before the span extracts it.
  if (options.trustBoundary) installTrustBoundary(fastify);
  // Then the request's span and its deadline, which the handler's context holds, entered once.
  installRequestSpans(fastify);
  const clock = skewedClock(env.KEEL_CLOCK_SKEW_MS);
  installDeadlineHooks(fastify, options.trustBoundary ? trustBoundaryDeadline(options.trustBoundary, clock) : baggageDeadline(clock));
  enterRequestContexts(fastify);
  installHttpHooks(fastify, identity);
  installRequestLog(fastify, logger);
  if (options.openapi) {
    const config = new DocumentBuilder()
      .setTitle(options.openapi.title)
      .setDescription(options.openapi.description ?? '')
      .setVersion(env.KEEL_VERSION)
      .build();
    const document = SwaggerModule.createDocument(app, config);
    fastify.get('/api/docs-json', async () => document);
  }
  await app.listen({ host: env.KEEL_HOST, port: env.PORT });
  const url = `http://${env.KEEL_HOST}:${(app.getHttpServer().address() as AddressInfo).port}`;
  let adminUrl: string | undefined;
  if (env.KEEL_ADMIN_PORT !== undefined && env.KEEL_TOKEN) {
    const adminRoutes = app.get(AdminRoutes);
    const admin = await startAdminServer({
      host: '127.0.0.1',
      port: env.KEEL_ADMIN_PORT,
      token: env.KEEL_TOKEN,
      identity,
      routes: adminRoutes.all(),
    });
    adminRoutes.server = admin;
    adminUrl = `http://127.0.0.1:${(admin.server.address() as AddressInfo).port}`;
  }
  app.get(Readiness).started = true;
  installShutdownDeadline(logger, env.KEEL_SHUTDOWN_GRACE_MS);
  if (env.KEEL_REPORT_LISTENING === 'ipc') reportListening({ type: LISTENING_REPORT, pid: process.pid, url, ...(adminUrl ? { adminUrl } : {}) });
  return { app, env: env as BaseEnv & z.infer<z.ZodObject<S>>, url, adminUrl };
}

/**
 * Tells the parent where the service listens. A parent that picks a free port, lets it go and
 * passes it on races every other process on the machine for it, and may then take another
 * process's health answer for its child's; with PORT=0 and this report there is nothing to race.
 */
function reportListening(report: ListeningReport): void {
  if (process.connected) process.send?.(report);
}

/** Nest waits for in-flight requests on SIGTERM; past the grace period we stop waiting. */
function installShutdownDeadline(logger: ServiceLogger, graceMs: number): void {
  const onSignal = () => {
    setTimeout(() => {
      logger.warn(`shutdown took longer than ${graceMs} ms; exiting`);
      process.exit(1);
    }, graceMs).unref();
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

/** `main.ts` helper: start, or print why not (no stack trace for a bad environment) and exit 1. */
export function runService<S extends z.ZodRawShape>(options: BootstrapOptions<S>): void {
  bootstrapService(options).catch((error: unknown) => {
    const message = error instanceof InvalidEnvironmentError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`${identityFromEnv().service}: failed to start: ${message}\n`);
    process.exit(1);
  });
}
