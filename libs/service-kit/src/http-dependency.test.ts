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

  it('makes a timeout a 504', async () => {
    const error = await failure(new HttpDependency('checkout', url, { timeoutMs: 50 }), '/slow');
    expect(error.toProblemException().problem.status).toBe(504);
  });
});
