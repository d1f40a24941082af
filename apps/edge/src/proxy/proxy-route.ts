import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problem, toProblem, type ProblemException } from '@keel/service-kit';
import { EdgeProxy } from './edge-proxy';
import { downstreamResponseHeaders } from './forwarded-headers';

const PROXIED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * A path with `.` or `..` segments (plain or percent-encoded) could be normalised somewhere
 * upstream into a path outside `/api`; edge refuses it rather than guess how.
 */
function hasDotSegments(url: string): boolean {
  const path = url.split('?', 1)[0];
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return true;
  }
  return decoded.split(/[/\\]/).some((segment) => segment === '.' || segment === '..');
}

/**
 * Mounts the proxy on edge's Fastify instance for `/api/*` only: everything else that is not
 * edge's own /health and /metrics is a 404, so admin and control routes are never reachable
 * through it. A plain Fastify route rather than a Nest controller: bodies stay raw bytes (no JSON
 * parse and re-serialise), and answers stream back as they arrive.
 */
@Injectable()
export class ProxyRoute implements OnModuleInit {
  private readonly logger = new Logger(ProxyRoute.name);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly proxy: EdgeProxy,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    void fastify.register(async (scope) => {
      // Inside this plugin only: every body, whatever its type, is kept as the bytes that came in.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
      scope.route({ method: PROXIED_METHODS, url: '/api/*', handler: (request, reply) => this.handleSafely(request, reply) });
    });
  }

  /** This route is outside Nest's exception filters: an unexpected error still leaves as a bare problem. */
  private async handleSafely(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    try {
      return await this.handle(request, reply);
    } catch (error) {
      this.logger.error({ err: error, url: request.url }, 'proxying failed');
      const body = toProblem(error, request.url);
      return reply.status(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
    }
  }

  private async handle(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    if (hasDotSegments(request.url)) return sendProblem(reply, request, problem(400, 'bad-request', 'Path not allowed', 'dot segments are not allowed in paths'));
    const clientGone = new AbortController();
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) clientGone.abort();
    });
    const result = await this.proxy.forward({
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: Buffer.isBuffer(request.body) ? request.body : undefined,
      client: { ip: request.ip, protocol: request.protocol, host: request.headers.host },
      signal: clientGone.signal,
    });
    if ('problem' in result) return sendProblem(reply, request, result.problem);
    const { response } = result;
    return reply
      .status(response.statusCode)
      .headers(downstreamResponseHeaders(response.headers))
      .header('x-edge-region', result.region)
      .send(response.body);
  }
}

function sendProblem(reply: FastifyReply, request: FastifyRequest, exception: ProblemException): FastifyReply {
  const body = toProblem(exception, request.url);
  return reply.status(body.status).headers(exception.headers).type(PROBLEM_CONTENT_TYPE).send(body);
}
