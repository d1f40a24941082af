import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExpiringDeadline, withDeadline } from '@keel/resilience';
import { startTelemetry } from '@keel/telemetry';
import { startFixtureServer, type FixtureServer } from '@keel/testing';
import { DependencyError, HttpDependency } from './http-dependency';

let slow: FixtureServer;
let dependency: HttpDependency;

beforeAll(async () => {
  // Registers the async context manager (and the undici instrumentation), as in a service.
  startTelemetry({ service: 'test', instance: 'test', region: 'test', version: '0' });
  slow = await startFixtureServer((_request, res) => void setTimeout(() => res.end('{}'), 600));
  dependency = new HttpDependency('slow', slow.url, { timeoutMs: 2_000 });
});

afterAll(async () => {
  await dependency?.close();
  await slow?.stop();
});

const underDeadline = <T>(ms: number, call: () => Promise<T>) => context.with(withDeadline(ROOT_CONTEXT, ExpiringDeadline.after(ms)), call);

describe('HttpDependency under a request deadline', () => {
  it('waits its own timeout when there is no deadline', async () => {
    expect(await dependency.get('/a')).toEqual({});
  });

  it('cuts its timeout to 90% of what is left of the deadline', async () => {
    const started = performance.now();
    const error = await underDeadline(400, () => dependency.get('/b')).catch((e: unknown) => e);
    const took = performance.now() - started;
    expect(error).toBeInstanceOf(DependencyError);
    expect((error as DependencyError).status).toBe(504);
    expect(took).toBeGreaterThan(300);
    expect(took).toBeLessThan(550);
  });

  it('does not send anything once the deadline has passed, and says so', async () => {
    const before = slow.requests.length;
    const error = (await underDeadline(0, () => dependency.get('/c')).catch((e: unknown) => e)) as DependencyError;
    expect(slow.requests.length).toBe(before);
    expect(error.neverSent).toBe(true);
    expect(error.toProblemException().problem).toMatchObject({ status: 504, type: '/problems/deadline-exceeded', dependency: 'slow' });
  });
});
