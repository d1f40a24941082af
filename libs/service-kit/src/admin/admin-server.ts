import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { servedBy, type ServiceIdentity } from '@keel/telemetry';
import { PROBLEM_CONTENT_TYPE, toProblem } from '../problem';
import type { AdminRoute } from './admin-routes';

function tokenMatches(expected: string, header: string | undefined): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const want = Buffer.from(expected);
  return given.length === want.length && timingSafeEqual(given, want);
}

export interface AdminServerOptions {
  host: string;
  port: number;
  token: string;
  identity: ServiceIdentity;
  routes: readonly AdminRoute[];
}

/**
 * The admin listener: 127.0.0.1 only, every request must carry the stack's local token. Kept as a
 * bare Fastify instance so that it stays reachable (to turn faults off) even when the app's own
 * request pipeline is what is misbehaving.
 */
export async function startAdminServer(options: AdminServerOptions): Promise<FastifyInstance> {
  const admin = Fastify({ logger: false });
  const problemReply = (status: number, slug: string, title: string, detail?: string) => ({
    type: `/problems/${slug}`,
    title,
    status,
    ...(detail ? { detail } : {}),
  });
  admin.addHook('onRequest', async (request, reply) => {
    reply.header('x-served-by', servedBy(options.identity));
    if (!tokenMatches(options.token, request.headers.authorization)) {
      return reply.status(401).type(PROBLEM_CONTENT_TYPE).send(problemReply(401, 'unauthorized', 'Admin token required', 'send authorization: Bearer <token from .data/stack/token>'));
    }
  });
  admin.setErrorHandler((error, request, reply) => {
    const body = toProblem(error, request.url);
    reply.status(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
  });
  admin.setNotFoundHandler((request, reply) => {
    reply.status(404).type(PROBLEM_CONTENT_TYPE).send(problemReply(404, 'not-found', 'No such admin route', `${request.method} ${request.url}`));
  });
  admin.get('/admin/info', async () => ({ ...options.identity, pid: process.pid, uptimeSeconds: Math.round(process.uptime()) }));
  for (const route of options.routes) {
    admin.route({
      method: route.method,
      url: route.path,
      handler: async (request) =>
        (await route.handler({
          params: request.params as Record<string, string>,
          query: request.query as Record<string, string>,
          body: request.body,
        })) ?? { ok: true },
    });
  }
  await admin.listen({ host: options.host, port: options.port });
  return admin;
}
