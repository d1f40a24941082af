import { Injectable } from '@nestjs/common';

/** One thing an instance truly needs before it should take traffic. Throw (or reject) when not. */
export type ReadinessCheck = () => void | Promise<void>;

/**
 * The lifecycle and the checks behind `/health/ready` and `/health/startup`. Apps add checks for
 * the dependencies they cannot serve without (their database, say) in `onModuleInit`; the kit
 * flips `started` once the port is open and `draining` on SIGTERM, so load balancers stop sending
 * work before the server closes.
 */
@Injectable()
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();
  started = false;
  draining = false;

  add(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  entries(): [string, ReadinessCheck][] {
    return [...this.checks.entries()];
  }
}
