import { ArgumentsHost, Catch, Logger, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, ProblemException, toProblem } from '../problem';

/** Every error leaves as RFC 9457 problem JSON; stack traces go to the log, never the client. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const body = toProblem(error, request.url);
    if (body.status >= 500) this.logger.error({ err: error, url: request.url }, 'request failed');
    if (error instanceof ProblemException) reply.headers(error.headers);
    reply.status(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
  }
}
