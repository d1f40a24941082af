import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export type JsonHandler = (request: { method: string; path: string; body: unknown }) => { status: number; body?: unknown } | undefined;

/** A bare JSON HTTP server on a free 127.0.0.1 port, for fixtures standing in for other services. */
export async function startJsonServer(handler: JsonHandler): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let answer: { status: number; body?: unknown } | undefined;
      try {
        answer = handler({ method: req.method ?? 'GET', path: req.url ?? '/', body: text ? JSON.parse(text) : undefined });
      } catch {
        answer = { status: 400, body: { type: '/problems/bad-request', title: 'Bad request', status: 400 } };
      }
      answer ??= { status: 404, body: { type: '/problems/not-found', title: 'Not found', status: 404 } };
      const problem = answer.status >= 400;
      res.writeHead(answer.status, { 'content-type': problem ? 'application/problem+json' : 'application/json' });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
