import type { FastifyInstance } from 'fastify';
import { requestSpan } from '../http/request-span';
import { UNTOUCHABLE_PATHS } from '../http/untouchable-paths';
import type { ServiceLogger } from './service-logger';

/**
 * One `info` line per answered request, with its trace, written when the response has gone.
 * Probes and scrapes are left out. Failures are not raised here: the problem filter already says
 * why, once, at `warn` or `error`, and an overloaded service must not write an error line per
 * refusal. Below `info` nothing is built at all: a per-request middleware that built a child
 * logger whether or not it wrote cost ~9% of the gateway's CPU (docs/performance.md).
 */
export function installRequestLog(fastify: FastifyInstance, logger: ServiceLogger): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    if (!logger.isLevelEnabled('info') || UNTOUCHABLE_PATHS.test(request.url)) return done();
    // The hook runs after the request's context has been left: name its span explicitly.
    const span = requestSpan(request)?.spanContext();
    const fields = {
      ...(span && { trace_id: span.traceId, span_id: span.spanId }),
      req: { id: request.id, method: request.method, url: request.url },
      res: { statusCode: reply.statusCode },
      responseTime: Math.round(reply.elapsedTime),
    };
    logger.info(fields, 'request completed');
    done();
  });
}
