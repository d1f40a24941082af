import { Global, Inject, Module, type BeforeApplicationShutdown, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AdminRoutes } from './admin/admin-routes';
import type { BaseEnv } from './env';
import { HealthController } from './health/health.controller';
import { Readiness } from './health/readiness';
import { MetricsController } from './http/metrics.controller';
import { SERVICE_ENV } from './service-env';

// Defined in its own file so that providers in this library can inject it without a cycle.
export { SERVICE_ENV };

/** Flips readiness off first on SIGTERM, before Nest closes the listener. */
class DrainOnShutdown implements BeforeApplicationShutdown {
  constructor(@Inject(Readiness) private readonly readiness: Readiness) {}
  beforeApplicationShutdown(): void {
    this.readiness.draining = true;
  }
}

/**
 * What makes every keel service look the same from outside: health probes, /metrics, the
 * validated environment, readiness and admin-route registries. (JSON logs: logging/, set up by
 * bootstrap.ts before Nest starts.)
 */
@Global()
@Module({})
export class ServiceKitModule {
  static forRoot(env: BaseEnv): DynamicModule {
    return {
      module: ServiceKitModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, MetricsController],
      providers: [{ provide: SERVICE_ENV, useValue: env }, Readiness, AdminRoutes, DrainOnShutdown],
      exports: [SERVICE_ENV, Readiness, AdminRoutes],
    };
  }
}
