import type { FastifyInstance } from 'fastify';
import { requestSpan } from '../http/request-span';
import { UNTOUCHABLE_PATHS } from '../http/untouchable-paths';
import type { ServiceLogger } from './service-logger';

/**
 * One line per answered request, with its trace, written when the response has gone: `info` for answers, `error`
 * for 5xx. Probes and scrapes are left out. At `warn` and above nothing is built at all: a
 * per-request middleware that builds a child logger whether or not it writes cost ~9% of the
 * gateway's CPU (docs/performance.md).
 */
export function installRequestLog(fastify: FastifyInstance, logger: ServiceLogger): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const failed = reply.statusCode >= 500;
    if (!logger.isLevelEnabled(failed ? 'error' : 'info') || UNTOUCHABLE_PATHS.test(request.url)) return done();
    // The hook runs after the request's context has been left: name its span explicitly.
    const span = requestSpan(request)?.spanContext();
    const fields = {
      ...(span && { trace_id: span.traceId, span_id: span.spanId }),
      req: { id: request.id, method: request.method, url: request.url },
      res: { statusCode: reply.statusCode },
      responseTime: Math.round(reply.elapsedTime),
    };
    if (failed) logger.error(fields, 'request errored');
    else logger.info(fields, 'request completed');
    done();
  });
}
