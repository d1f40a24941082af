import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Action, type ActionOptions, type ActionResponse, ADDON_SWITCHES, type AddonResponse, type ExtraRequest, type ExtraSpec, type InstancesResponse, isAction, ACTIONS } from './api-types';
import { parseExtraRequest } from './extras';
import { StackError, toProblem } from './problem';
import type { InstanceInfo, StackPhase } from './state';

/** What the control API drives; the Supervisor implements it. */
export interface ControlTarget {
  readonly supervisorPid: number;
  readonly currentPhase: StackPhase;
  list(): InstanceInfo[];
  act(target: string, action: Action, options?: ActionOptions): Promise<InstanceInfo[]>;
  startExtra(request: ExtraRequest): Promise<ExtraSpec>;
  remove(id: string): Promise<void>;
  switchAddon(id: string, on: boolean): Promise<InstanceInfo | null>;
  shutdown(): Promise<InstanceInfo[]>;
}

const MAX_BODY = 64 * 1024;

/**
 * The stack's control API on 127.0.0.1, bearer-token protected. Plain node:http: six routes do
 * not need a framework, and the supervisor should start in milliseconds.
 *   GET /instances · POST /targets/:target/:action · POST /extras · DELETE /extras/:id
 *   POST /addons/:id/on|off · POST /shutdown
 */
export class ControlServer {
  private readonly server: Server;
  private readonly expected: Buffer;

  constructor(
    private readonly target: ControlTarget,
    token: string,
    private readonly host: string,
  ) {
    this.expected = Buffer.from(`Bearer ${token}`);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => sendProblem(res, error, req.url));
    });
    // Requests like `start` wait for readiness (up to readyTimeoutMs): no server-side timeout.
    this.server.requestTimeout = 0;
  }

  get port(): number | null {
    const address = this.server.address() as AddressInfo | null;
    return address?.port ?? null;
  }

  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ port, host: this.host, exclusive: true }, () => {
        this.server.off('error', reject);
        resolve(this.port as number);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
  }

  private authorized(req: IncomingMessage): boolean {
    const given = Buffer.from(req.headers.authorization ?? '');
    return given.length === this.expected.length && timingSafeEqual(given, this.expected);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.authorized(req)) {
      throw new StackError('unauthorized', 'send authorization: Bearer <token>; the token is in .data/stack/token', {
        'www-authenticate': 'Bearer realm="keel-stack"',
      });
    }
    // Segments are decoded one by one, so a target id's `/` travels as %2F inside one segment.
    const path = new URL(req.url ?? '/', 'http://stack').pathname;
    const parts = path.split('/').filter(Boolean).map(decodeSegment);
    const method = req.method ?? 'GET';
    const route = `${parts[0] ?? ''}/${parts.length}`;

    switch (route) {
      case 'instances/1':
        allow(method, ['GET']);
        return send(res, 200, { supervisorPid: this.target.supervisorPid, phase: this.target.currentPhase, instances: this.target.list() } satisfies InstancesResponse);
      case 'targets/3': {
        allow(method, ['POST']);
        const [, target, action] = parts;
        if (!isAction(action)) throw new StackError('unknown-action', `unknown action '${action}'; one of: ${ACTIONS.join(', ')}`);
        const body = (await readJson(req)) as ActionOptions | undefined;
        const query = new URL(req.url ?? '/', 'http://stack').searchParams.get('hold');
        const hold = body?.hold === true || query === 'true' || query === '1';
        const instances = await this.target.act(target, action, { hold });
        return send(res, 200, { target, action, instances } satisfies ActionResponse);
      }
      case 'extras/1':
        allow(method, ['POST']);
        return send(res, 201, await this.target.startExtra(parseExtraRequest(await readJson(req))));
      case 'extras/2':
        allow(method, ['DELETE']);
        await this.target.remove(parts[1]);
        return send(res, 200, { removed: parts[1] });
      case 'addons/3': {
        allow(method, ['POST']);
        const [, id, to] = parts;
        if (!(ADDON_SWITCHES as readonly string[]).includes(to)) throw new StackError('bad-request', `switch an add-on 'on' or 'off', not '${to}'`);
        const instance = await this.target.switchAddon(id, to === 'on');
        return send(res, 200, { id, on: instance !== null, instance } satisfies AddonResponse);
      }
      case 'shutdown/1': {
        allow(method, ['POST']);
        const instances = await this.target.shutdown();
        res.setHeader('connection', 'close');
        return send(res, 200, { instances });
      }
      default:
        throw new StackError('not-found', `no route ${method} ${path}; routes: GET /instances, POST /targets/:target/:action, POST /extras, DELETE /extras/:id, POST /addons/:id/on|off, POST /shutdown`);
    }
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new StackError('bad-request', `malformed URL segment '${segment}'`);
  }
}

function allow(method: string, allowed: string[]): void {
  if (!allowed.includes(method)) {
    throw new StackError('method-not-allowed', `use ${allowed.join(' or ')} here, not ${method}`, { allow: allowed.join(', ') });
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new StackError('bad-request', `body larger than ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new StackError('bad-request', 'body is not valid JSON');
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendProblem(res: ServerResponse, error: unknown, instance?: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const problem = toProblem(error, instance);
  const text = JSON.stringify(problem);
  if (error instanceof StackError) for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.writeHead(problem.status, { 'content-type': 'application/problem+json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
