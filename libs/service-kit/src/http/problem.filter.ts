import { ArgumentsHost, Catch, Logger, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, ProblemException, toProblem } from '../problem';

/**
 * Every error leaves as RFC 9457 problem JSON; stack traces go to the log, never the client. A
 * deliberate problem (a dependency unavailable, a bulkhead full, a deadline past) is an expected
 * answer under failure or overload: one warn line without a stack, because a service refusing a
 * thousand requests a second must not spend its CPU formatting stacks. Only an unexpected error
 * (a bug: the 500s) is logged with its stack.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const body = toProblem(error, request.url);
    if (body.status >= 500 && error instanceof ProblemException) {
      this.logger.warn({ url: request.url, problem: body.type, status: body.status, detail: body.detail }, 'request refused');
    } else if (body.status >= 500) {
      this.logger.error({ err: error, url: request.url }, 'request failed');
    }
    if (error instanceof ProblemException) reply.headers(error.headers);
    reply.status(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
  }
}
