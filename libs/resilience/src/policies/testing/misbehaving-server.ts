import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the server does with one request. */
export type Behaviour =
  | { status: number; retryAfter?: string; delayMs?: number }
  /** Sends a TCP reset instead of an answer. */
  | 'reset'
  /** Never answers; notes when the client closes the socket. */
  | 'hang'
  /** Answers 200 only when the test calls `releaseHeld()`. */
  | 'hold';

/**
 * A real HTTP server on 127.0.0.1 that misbehaves on request, per path: each path follows its
 * plan of behaviours in order, repeating the last (unplanned paths answer 200).
 */
export interface MisbehavingServer {
  url: string;
  plan(path: string, ...behaviours: Behaviour[]): void;
  /** Requests that reached the server for `path`. */
  hits(path: string): number;
  /** Requests to `path` whose connection the client closed before any answer. */
  abandoned(path: string): number;
  /** Requests waiting on `hold`. */
  held(): number;
  releaseHeld(): void;
  close(): Promise<void>;
}

export async function startMisbehavingServer(): Promise<MisbehavingServer> {
  const plans = new Map<string, Behaviour[]>();
  const hits = new Map<string, number>();
  const abandoned = new Map<string, number>();
  const held: ServerResponse[] = [];
  const bump = (counts: Map<string, number>, path: string) => counts.set(path, (counts.get(path) ?? 0) + 1);

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    bump(hits, path);
    const plan = plans.get(path) ?? [];
    const behaviour: Behaviour = (plan.length > 1 ? plan.shift() : plan[0]) ?? { status: 200 };
    res.on('close', () => {
      if (!res.writableEnded) bump(abandoned, path);
    });
    if (behaviour === 'reset') return void req.socket.resetAndDestroy();
    if (behaviour === 'hang') return;
    if (behaviour === 'hold') return void held.push(res);
    const answer = () => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (behaviour.retryAfter !== undefined) headers['retry-after'] = behaviour.retryAfter;
      res.writeHead(behaviour.status, headers).end(JSON.stringify({ status: behaviour.status }));
    };
    if (behaviour.delayMs) setTimeout(answer, behaviour.delayMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    plan: (path, ...behaviours) => void plans.set(path, behaviours),
    hits: (path) => hits.get(path) ?? 0,
    abandoned: (path) => abandoned.get(path) ?? 0,
    held: () => held.length,
    releaseHeld: () => {
      for (const res of held.splice(0)) res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":200}');
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
