import { createServer, type Server } from 'node:http';
import { context, type Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DependencyError, HttpDependency } from './http-dependency';

/** A dependency that answers 503 to everything but `/ok` and counts what reaches it. */
let server: Server;
let url: string;
let seen = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    seen++;
    if (req.url === '/ok') return res.end('{}');
    res.writeHead(503, { 'content-type': 'application/problem+json' });
    res.end(JSON.stringify({ type: '/problems/unavailable', title: 'Unavailable', status: 503 }));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(() => new Promise((done) => server.close(done)));

beforeEach(() => {
  seen = 0;
});

const quickRetries = { retry: { baseDelayMs: 1, maxDelayMs: 5 }, breaker: false as const };

describe('HttpDependency under its resilience policy', () => {
  it('retries an idempotent call (at most 3 attempts) and hands back the last answer', async () => {
    const dependency = new HttpDependency('flaky', url, { policy: quickRetries });
    const response = await dependency.request('GET', '/x');
    expect(response.status).toBe(503);
    expect(seen).toBe(3);
  });

  it('never retries a POST without an Idempotency-Key, and retries one with a key', async () => {
    const dependency = new HttpDependency('flaky', url, { policy: quickRetries });
    await dependency.request('POST', '/orders', {});
    expect(seen).toBe(1);
    await dependency.request('POST', '/orders', {}, { headers: { 'Idempotency-Key': 'k-1' } });
    expect(seen).toBe(4);
  });

  it('sends a probe once, outside the policy', async () => {
    const dependency = new HttpDependency('flaky', url, { policy: quickRetries });
    expect((await dependency.request('GET', '/health/ready', undefined, { policy: false })).status).toBe(503);
    expect(seen).toBe(1);
  });

  it('opens the circuit after repeated failures: later calls are not sent and say so', async () => {
    const dependency = new HttpDependency('failing', url, { policy: { retry: false, breaker: { consecutiveFailures: 3, openMs: 60_000 } } });
    for (let i = 0; i < 3; i++) await dependency.request('GET', '/x');
    expect(seen).toBe(3);
    const error = await dependency.request('GET', '/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyError);
    expect((error as DependencyError).neverSent).toBe(true);
    expect((error as DependencyError).toProblemException().problem.status).toBe(503);
    expect(seen).toBe(3);
  });
});

describe('the request span', () => {
  it('records what the policy did for a dependency when it did something, and nothing for a plain call', async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const exporter = new InMemorySpanExporter();
    const tracer = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }).getTracer('test');
    const dependency = new HttpDependency('flaky', url, { policy: quickRetries });
    await tracer.startActiveSpan('request', async (span: Span) => {
      await dependency.request('GET', '/x');
      span.end();
    });
    await tracer.startActiveSpan('plain request', async (span: Span) => {
      await dependency.request('GET', '/ok');
      span.end();
    });
    await exporter.forceFlush();
    await new Promise((resolve) => setImmediate(resolve));
    const [retried, plain] = exporter.getFinishedSpans();
    expect(retried.attributes['keel.dependency.flaky.attempts']).toBe(3);
    expect(retried.attributes['keel.dependency.flaky.bulkhead.in_use']).toBe(0);
    expect(Object.keys(plain.attributes).filter((key) => key.startsWith('keel.dependency'))).toEqual([]);
  });
});
