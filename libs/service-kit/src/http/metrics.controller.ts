import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { telemetry } from '@keel/telemetry';

/** Prometheus scrape endpoint, fed by the OpenTelemetry meter every keel library records into. */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return telemetry().metricsText();
  }
}
