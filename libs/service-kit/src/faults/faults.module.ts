import { Inject, Injectable, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { AdminRoutes } from '../admin/admin-routes';
import { FAULT_PROBLEMS, faultRefusing, faultUnavailable, type FaultProblemOptions, type FaultProblems } from './fault-problems';
import { FaultInterceptor } from './fault.interceptor';
import { FaultSettings } from './fault-settings';

/** `GET/PUT /admin/faults` on the admin port (behind the token), for chaos experiments and tests. */
@Injectable()
class FaultAdminRoutes implements OnModuleInit {
  constructor(
    @Inject(AdminRoutes) private readonly routes: AdminRoutes,
    @Inject(FaultSettings) private readonly faults: FaultSettings,
  ) {}

  onModuleInit(): void {
    this.routes.add('GET', '/admin/faults', () => this.faults.current);
    this.routes.add('PUT', '/admin/faults', ({ body }) => this.faults.set(body));
  }
}

/**
 * Fault injection for the fakes of third parties (payment providers, the carrier): import
 * `FaultsModule.forRoot({ decline: () => problem(...) })`, put `@UseInterceptors(FaultInterceptor)`
 * on the routes a fault should hit, and drive it through `PUT /admin/faults`.
 */
@Module({})
export class FaultsModule {
  static forRoot(options: FaultProblemOptions): DynamicModule {
    const problems: FaultProblems = {
      fail: options.fail ?? (() => faultUnavailable()),
      refuse: options.refuse ?? (() => faultRefusing()),
      decline: options.decline,
    };
    return {
      module: FaultsModule,
      providers: [{ provide: FAULT_PROBLEMS, useValue: problems }, FaultSettings, FaultInterceptor, FaultAdminRoutes],
      exports: [FaultSettings, FaultInterceptor],
    };
  }
}
