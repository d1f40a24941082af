import { Global, Inject, Module, type BeforeApplicationShutdown, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { identityFromEnv, traceLogFields, type ServiceIdentity } from '@keel/telemetry';
import { AdminRoutes } from './admin/admin-routes';
import type { BaseEnv } from './env';
import { HealthController } from './health/health.controller';
import { Readiness } from './health/readiness';
import { MetricsController } from './http/metrics.controller';
import { SERVICE_ENV } from './service-env';

// Defined in its own file so that providers in this library can inject it without a cycle.
export { SERVICE_ENV };

const QUIET_PATHS = /^\/(health\/|metrics)/;

/** Flips readiness off first on SIGTERM, before Nest closes the listener. */
class DrainOnShutdown implements BeforeApplicationShutdown {
  constructor(@Inject(Readiness) private readonly readiness: Readiness) {}
  beforeApplicationShutdown(): void {
    this.readiness.draining = true;
  }
}

/**
 * What makes every keel service look the same from outside: health probes, /metrics, JSON logs
 * with trace ids, the validated environment, readiness and admin-route registries.
 */
@Global()
@Module({})
export class ServiceKitModule {
  static forRoot(env: BaseEnv, identity: ServiceIdentity = identityFromEnv()): DynamicModule {
    return {
      module: ServiceKitModule,
      imports: [
        TerminusModule.forRoot({ logger: false }),
        LoggerModule.forRoot({
          pinoHttp: {
            level: env.KEEL_LOG_LEVEL,
            base: { service: identity.service, instance: identity.instance, region: identity.region, version: identity.version, pid: process.pid },
            mixin: traceLogFields,
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            autoLogging: { ignore: (req) => QUIET_PATHS.test(req.url ?? '') },
            serializers: {
              req: (req: { method: string; url: string; id: unknown }) => ({ id: req.id, method: req.method, url: req.url }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
          },
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [{ provide: SERVICE_ENV, useValue: env }, Readiness, AdminRoutes, DrainOnShutdown],
      exports: [SERVICE_ENV, Readiness, AdminRoutes],
    };
  }
}
