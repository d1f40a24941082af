import { Body, Controller, Get, Injectable, Module, Post, Query, type OnApplicationShutdown } from '@nestjs/common';
import { currentDeadline } from '@keel/resilience';
import { DependencyError, HttpDependency } from '../http-dependency';

/** What one hop saw: its deadline when its handler started, and what its next hop answered. */
export interface HopReport {
  remainingAtStart: number | null;
  next?: HopReport | { status: number; type?: string } | unknown;
}

@Injectable()
class Downstreams implements OnApplicationShutdown {
  private readonly pools = new Map<string, HttpDependency>();

  /** A generous default timeout, so only the deadline limits calls. */
  to(url: string): HttpDependency {
    const origin = new URL(url).origin;
    let dependency = this.pools.get(origin);
    if (!dependency) this.pools.set(origin, (dependency = new HttpDependency(`hop-${origin}`, origin, { timeoutMs: 30_000, connections: 4 })));
    return dependency;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.pools.values()].map((d) => d.close()));
  }
}

/**
 * A service for deadline tests (never deployed): `GET /hop?sleep=ms&next=url` reports its current
 * deadline, waits `sleep` ms as if working, then calls `next` through HttpDependency and reports
 * what came back, or the problem it raised (a deadline passed, the call timed out). `POST /hop`
 * reports the deadline after reading a body.
 */
@Controller('hop')
class HopController {
  constructor(private readonly downstreams: Downstreams) {}

  @Get()
  async hop(@Query('sleep') sleep?: string, @Query('next') next?: string): Promise<HopReport> {
    const remaining = currentDeadline()?.remainingMs();
    const report: HopReport = { remainingAtStart: remaining === undefined ? null : Math.round(remaining) };
    if (sleep) await new Promise((resolve) => setTimeout(resolve, Number(sleep)));
    if (!next) return report;
    const target = new URL(next);
    try {
      report.next = await this.downstreams.to(next).get<unknown>(`${target.pathname}${target.search}`);
    } catch (error) {
      if (!(error instanceof DependencyError)) throw error;
      const { status, type } = error.toProblemException().problem;
      report.next = { status, type };
    }
    return report;
  }

  /** The same report after a body was read: the deadline context must survive body parsing. */
  @Post()
  posted(@Body() _body: unknown): HopReport {
    const remaining = currentDeadline()?.remainingMs();
    return { remainingAtStart: remaining === undefined ? null : Math.round(remaining) };
  }
}

@Module({ controllers: [HopController], providers: [Downstreams] })
export class DeadlineProbeModule {}
