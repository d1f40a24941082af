import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DependencyError, HttpDependency } from './http-dependency';
import { freePort } from '@keel/testing';

let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/reset') return req.socket.destroy();
    if (req.url === '/slow') return void setTimeout(() => res.end('{}'), 500);
    if (req.url === '/missing') {
      res.writeHead(404, { 'content-type': 'application/problem+json' });
      return res.end(JSON.stringify({ type: '/problems/product-not-found', title: 'Unknown product', status: 404, detail: 'p-999' }));
    }
    res.writeHead(503);
    res.end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(() => new Promise((done) => server.close(done)));

async function failure(dependency: HttpDependency, path: string): Promise<DependencyError> {
  const error = await dependency.get(path).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DependencyError);
  return error as DependencyError;
}

describe('HttpDependency failures as client-facing problems', () => {
  it('passes a 4xx problem through unchanged', async () => {
    const error = await failure(new HttpDependency('catalog', url), '/missing');
    expect(error.toProblemException().problem).toMatchObject({ status: 404, type: '/problems/product-not-found', detail: 'p-999' });
  });

  it('makes a 5xx answer a 503: nothing was done, another region may try', async () => {
    const error = await failure(new HttpDependency('catalog', url), '/down');
    expect(error.toProblemException().problem).toMatchObject({ status: 503, type: '/problems/dependency-unavailable' });
  });

  it('makes a refused connection a 503: the request never left', async () => {
    const error = await failure(new HttpDependency('catalog', `http://127.0.0.1:${await freePort()}`), '/x');
    expect(error.neverSent).toBe(true);
    expect(error.toProblemException().problem.status).toBe(503);
  });

  it('makes a connection reset mid-exchange a 504: the outcome is unknown, so no retry elsewhere', async () => {
    const error = await failure(new HttpDependency('checkout', url), '/reset');
    expect(error.neverSent).toBe(false);
    expect(error.toProblemException().problem).toMatchObject({ status: 504, type: '/problems/outcome-unknown' });
  });

  it('keeps the outcome unknown (504) when a keyed POST was cut off and its retry was then refused, so nobody repeats it elsewhere', async () => {
    // A checkout that dies in the middle of the first attempt and is gone for the retry.
    const port = await freePort();
    const dying = createServer((req) => {
      req.resume();
      req.on('end', () => {
        req.socket.destroy();
        dying.close();
      });
    });
    await new Promise<void>((done) => dying.listen(port, '127.0.0.1', done));
    const checkout = new HttpDependency('checkout', `http://127.0.0.1:${port}`, { policy: { retry: { baseDelayMs: 1, maxDelayMs: 5 } } });
    try {
      const error = (await checkout.post('/orders', { items: [] }, { headers: { 'idempotency-key': 'k-1' } }).catch((e: unknown) => e)) as DependencyError;
      expect(error).toBeInstanceOf(DependencyError);
      expect(error.neverSent).toBe(false);
      expect(error.message).toMatch(/earlier attempt may have taken effect/);
      expect(error.toProblemException().problem).toMatchObject({ status: 504, type: '/problems/outcome-unknown' });
    } finally {
      await checkout.close();
    }
  });

  it('makes a timeout a 504', async () => {
    const error = await failure(new HttpDependency('checkout', url, { timeoutMs: 50 }), '/slow');
    expect(error.toProblemException().problem.status).toBe(504);
  });
});
