import { HttpException, HttpStatus } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

/** RFC 9457 problem details. `type` is a relative URI documented in docs/problems.md. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** A failure that already knows how it should look to a client. */
export class ProblemException extends HttpException {
  constructor(
    readonly problem: ProblemDetails,
    readonly headers: Record<string, string> = {},
  ) {
    super(problem, problem.status);
  }
}

/** Shorthand: `throw problem(409, 'insufficient-stock', 'Not enough stock', 'only 2 left')`. */
export function problem(
  status: number,
  slug: string,
  title: string,
  detail?: string,
  extensions: Record<string, unknown> = {},
): ProblemException {
  return new ProblemException(problemDetails(status, slug, title, detail, extensions));
}

/**
 * The same problem as a plain body, for answering from a hook: no exception, so no stack trace is
 * captured. A shed request is answered this way, and capturing one cost ~15% of a refusal.
 */
export function problemDetails(status: number, slug: string, title: string, detail?: string, extensions: Record<string, unknown> = {}): ProblemDetails {
  return { type: `/problems/${slug}`, title, status, ...(detail ? { detail } : {}), ...extensions };
}

const SLUG_BY_STATUS: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'unprocessable',
  429: 'too-many-requests',
  502: 'bad-gateway',
  503: 'unavailable',
  504: 'deadline-exceeded',
};

/** Any thrown value as problem details; unknown errors become a bare 500 with no internals. */
export function toProblem(error: unknown, instance?: string): ProblemDetails {
  if (error instanceof ProblemException) return { ...error.problem, ...(instance ? { instance } : {}) };
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const body = error.getResponse();
    const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
    const errors = Array.isArray(message) ? message.map(String) : undefined;
    return {
      type: `/problems/${errors ? 'validation' : (SLUG_BY_STATUS[status] ?? 'error')}`,
      title: errors ? 'Request is not valid' : (HttpStatus[status]?.replace(/_/g, ' ').toLowerCase() ?? 'error').replace(/^\w/, (c) => c.toUpperCase()),
      status,
      ...(errors ? { detail: errors.join('; '), errors } : typeof message === 'string' ? { detail: message } : {}),
      ...(instance ? { instance } : {}),
    };
  }
  const status = (error as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Fastify's own client errors (malformed JSON, body too large, wrong content type).
    return {
      type: `/problems/${SLUG_BY_STATUS[status] ?? 'bad-request'}`,
      title: 'Request is not valid',
      status,
      detail: (error as Error).message,
      ...(instance ? { instance } : {}),
    };
  }
  return { type: '/problems/internal', title: 'Internal error', status: 500, ...(instance ? { instance } : {}) };
}

/**
 * Answers a request with a problem straight from a Fastify hook (load shedding, deadlines), where
 * Nest and its ProblemFilter are not involved yet.
 */
export function replyWithProblem(reply: FastifyReply, answer: ProblemException | ProblemDetails, instance?: string): void {
  const [body, headers] = answer instanceof ProblemException ? [answer.problem, answer.headers] : [answer, {}];
  reply
    .status(body.status)
    .headers(headers)
    .type(PROBLEM_CONTENT_TYPE)
    .send(instance ? { ...body, instance } : body);
}
