import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, type HealthCheckResult, type HealthIndicatorFunction } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import type { BaseEnv } from '../env';
import { SERVICE_ENV } from '../service-env';
import { CachedReadiness } from './cached-readiness';
import { Readiness } from './readiness';

/**
 * The three probes every keel service answers the same way. Liveness never looks at dependencies:
 * a dependency outage must not make an orchestrator restart healthy processes. Readiness runs the
 * registered checks at most once per KEEL_READINESS_INTERVAL_MS (CachedReadiness); the lifecycle
 * flags are read fresh, so draining shows at once.
 */
@ApiExcludeController()
@Controller('health')
export class HealthController {
  private readonly checks: CachedReadiness;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly readiness: Readiness,
    @Inject(SERVICE_ENV) env: BaseEnv,
  ) {
    this.checks = new CachedReadiness(() => readiness.entries(), env.KEEL_READINESS_INTERVAL_MS);
  }

  @Get('live')
  live(@Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(reply, []);
  }

  @Get('startup')
  startup(@Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(reply, [this.flag('started', this.readiness.started)]);
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const outcomes = await this.checks.outcomes();
    const checks: HealthIndicatorFunction[] = [
      this.flag('started', this.readiness.started),
      this.flag('accepting', !this.readiness.draining),
      ...outcomes.map(({ name, failure }) => () => (failure === undefined ? this.indicator.check(name).up() : this.indicator.check(name).down({ message: failure }))),
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
