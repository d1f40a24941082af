import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { from, switchMap, type Observable } from 'rxjs';
import { FaultSettings } from './fault-settings';

/**
 * Applies the injected faults to a route. Interceptors run before pipes and the handler, so a
 * faulted request is answered before its body is validated or anything is written.
 */
@Injectable()
export class FaultInterceptor implements NestInterceptor {
  constructor(@Inject(FaultSettings) private readonly faults: FaultSettings) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return from(this.faults.inject()).pipe(switchMap(() => next.handle()));
  }
}
