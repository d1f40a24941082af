import { request } from 'node:http';
import { createServer } from 'node:net';
import { sleep } from './procs';

/** Can we listen on host:port right now? (The honest test: connecting would miss a bind-only holder.) */
export function isPortFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Of `ports`, those something else is listening on. */
export async function takenPorts(ports: number[], host: string): Promise<number[]> {
  const unique = [...new Set(ports)];
  const free = await Promise.all(unique.map((port) => isPortFree(port, host)));
  return unique.filter((_, i) => !free[i]);
}

/** A port the OS says is free now (it could be taken again before use; fine for a local stack). */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface ProbeResult {
  ok: boolean;
  /** HTTP status, or the error code / 'timeout' when there was no answer. */
  status: number | string;
}

/** GET `url` and report whether it answered 2xx within `timeoutMs`. Never throws. */
export function probe(url: string, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    // agent:false: one fresh connection per probe, so a paused process cannot poison a pool.
    const req = request(url, { method: 'GET', agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      resolve({ ok: status >= 200 && status < 300, status });
    });
    req.on('timeout', () => {
      req.destroy();
      resolve({ ok: false, status: 'timeout' });
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, status: error.code ?? error.message }));
    req.end();
  });
}

/**
 * Polls `url` until it answers 2xx, `until` says stop, or `timeoutMs` passes.
 * Returns the last probe result (ok or not) so the caller can say why it gave up.
 */
export async function pollUntilOk(
  url: string,
  timeoutMs: number,
  until: () => boolean = () => false,
  intervalMs = 150,
): Promise<ProbeResult> {
  const deadline = Date.now() + timeoutMs;
  let last: ProbeResult = { ok: false, status: 'not probed' };
  while (!until()) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    last = await probe(url, Math.min(1000, remaining));
    if (last.ok || until()) break;
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
  return last;
}
