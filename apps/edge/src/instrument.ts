// Telemetry patches http and undici as they load, so this must run before Nest, Fastify or undici do.
import { startTelemetry } from '@keel/telemetry';

startTelemetry();
