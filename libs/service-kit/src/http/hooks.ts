import type { FastifyInstance } from 'fastify';
import { servedBy, telemetry, type ServiceIdentity } from '@keel/telemetry';

/**
 * Hooks every keel service installs on its Fastify instance: the `x-served-by` header, so a
 * reader can see which region/instance/version answered, and an HTTP duration histogram keyed by
 * route template (not raw URL, which would explode cardinality) and status.
 */
export function installHttpHooks(fastify: FastifyInstance, identity: ServiceIdentity): void {
  const header = servedBy(identity);
  const duration = telemetry().meter.createHistogram('http.server.request.duration', {
    description: 'Duration of HTTP server requests',
    unit: 's',
    advice: { explicitBucketBoundaries: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] },
  });
  // Callback hooks, not async ones: an async hook costs a promise and a microtask per response.
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    // A proxy (edge) passes on the header of the instance that really answered.
    if (!reply.hasHeader('x-served-by')) reply.header('x-served-by', header);
    done(null, payload);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    duration.record(reply.elapsedTime / 1000, {
      'http.request.method': request.method,
      'http.route': request.routeOptions.url ?? 'unmatched',
      'http.response.status_code': reply.statusCode,
    });
    done();
  });
}
