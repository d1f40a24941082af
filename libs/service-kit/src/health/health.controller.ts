import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, type HealthCheckResult, type HealthIndicatorFunction } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Readiness } from './readiness';

/**
 * The three probes every keel service answers the same way. Liveness never looks at dependencies:
 * a dependency outage must not make an orchestrator restart healthy processes.
 */
@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly readiness: Readiness,
  ) {}

  @Get('live')
  live(@Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(reply, []);
  }

  @Get('startup')
  startup(@Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(reply, [this.flag('started', this.readiness.started)]);
  }

  @Get('ready')
  ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const checks: HealthIndicatorFunction[] = [
      this.flag('started', this.readiness.started),
      this.flag('accepting', !this.readiness.draining),
      ...this.readiness.entries().map(([name, check]) => async () => {
        const session = this.indicator.check(name);
        try {
          await check();
          return session.up();
        } catch (error) {
          return session.down({ message: error instanceof Error ? error.message : String(error) });
        }
      }),
    ];
    return this.run(reply, checks);
  }

  private flag(name: string, ok: boolean): HealthIndicatorFunction {
    return () => (ok ? this.indicator.check(name).up() : this.indicator.check(name).down());
  }

  /** Terminus throws a 503 with the details; keep its body (probes read it) rather than a problem. */
  private async run(reply: FastifyReply, checks: HealthIndicatorFunction[]): Promise<HealthCheckResult> {
    try {
      return await this.health.check(checks);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      reply.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }
}
