// Telemetry patches modules as they load, so it must start before Nest, Fastify or undici do.
import { startTelemetry } from '@keel/telemetry';

startTelemetry();
