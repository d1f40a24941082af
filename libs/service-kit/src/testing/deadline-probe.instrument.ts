import { startTelemetry } from '@keel/telemetry';

// Imported first by deadline-probe.main.ts, as every app's instrument.ts: it must run before Nest,
// Fastify and undici load, so that the probe propagates context exactly as a real service does.
startTelemetry();
