import { connect } from 'node:net';

/** Small helpers for talking to the stack the way a client would: plain HTTP through edge. */
export const EDGE = 'http://127.0.0.1:8080';

export interface Answer<T = unknown> {
  status: number;
  servedBy: string | null;
  headers: Headers;
  body: T;
}

export async function call<T = unknown>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
  const response = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  return { status: response.status, servedBy: response.headers.get('x-served-by'), headers: response.headers, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Polls `probe` until it returns true: at most `attempts` times, `everyMs` apart. */
export async function eventually(probe: () => Promise<boolean>, attempts = 40, everyMs = 250): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    if (await probe().catch(() => false)) return true;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return false;
}

/** True when nothing accepts TCP connections on the port (a fresh socket, not a pooled one). */
export function portClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
