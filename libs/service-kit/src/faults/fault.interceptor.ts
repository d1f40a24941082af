import { Inject, Injectable, SetMetadata, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { from, switchMap, type Observable } from 'rxjs';
import { FaultSettings, type FaultMode } from './fault-settings';

const FAULT_EXEMPT = 'keel:fault-exempt';

/** Marks a route the given fault modes never apply to, e.g. `@FaultExempt('decline')` on a cancel. */
export const FaultExempt = (...modes: FaultMode[]) => SetMetadata(FAULT_EXEMPT, modes);

/**
 * Applies the injected faults to a route (`@UseInterceptors(FaultInterceptor)`). Interceptors run
 * before pipes and the handler, so a faulted request is answered before its body is validated or
 * anything is written.
 */
@Injectable()
export class FaultInterceptor implements NestInterceptor {
  constructor(
    @Inject(FaultSettings) private readonly faults: FaultSettings,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const exempt = this.reflector.get<FaultMode[] | undefined>(FAULT_EXEMPT, context.getHandler()) ?? [];
    return from(this.faults.inject(exempt)).pipe(switchMap(() => next.handle()));
  }
}
