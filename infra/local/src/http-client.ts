import { request } from 'node:http';
import { StackError, type Problem } from './problem';

/** Where the control API listens and how to authenticate to it. */
export interface ControlEndpoint {
  host: string;
  port: number;
  token: string;
}

/**
 * One JSON call to the control API. Problem responses come back as the StackError they
 * describe; no answer at all becomes a 'not-running' StackError.
 */
export function callControl<T>(endpoint: ControlEndpoint, method: string, path: string, body: unknown, timeoutMs: number): Promise<T> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise<T>((resolve, reject) => {
    const req = request(
      {
        host: endpoint.host,
        port: endpoint.port,
        method,
        path,
        agent: false,
        timeout: timeoutMs,
        headers: {
          authorization: `Bearer ${endpoint.token}`,
          accept: 'application/json, application/problem+json',
          ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = { detail: text };
          }
          const status = res.statusCode ?? 0;
          if (status >= 400) reject(StackError.fromProblem((parsed ?? {}) as Partial<Problem>, status));
          else resolve(parsed as T);
        });
      },
    );
    req.on('timeout', () => req.destroy(new StackError('internal', `the control API did not answer ${method} ${path} within ${timeoutMs} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error instanceof StackError) return reject(error);
      reject(new StackError('not-running', `the stack's control API at http://${endpoint.host}:${endpoint.port} does not answer (${error.code ?? error.message})`));
    });
    req.end(payload);
  });
}
