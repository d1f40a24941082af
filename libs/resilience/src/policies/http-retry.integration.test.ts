import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dependencyPolicy } from './dependency-policy';
import type { DependencyPolicyOptions } from './defaults';
import { httpClient, HttpStatusError, until } from './testing/http-call';
import { ManualClock } from './testing/manual-clock';
import { startMisbehavingServer, type MisbehavingServer } from './testing/misbehaving-server';

// Real HTTP through undici against a server that fails on purpose; short real backoffs.
const fast: DependencyPolicyOptions = { meter: false, retry: { baseDelayMs: 1, maxDelayMs: 5 }, breaker: false };

describe('retries over real HTTP', () => {
  let server: MisbehavingServer;
  const client = httpClient();
  beforeAll(async () => {
    server = await startMisbehavingServer();
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it('stops at 3 attempts against a dependency that keeps answering 503', async () => {
    server.plan('/down', { status: 503 });
    const policy = dependencyPolicy('down', fast);
    const error = await policy.execute(client.get(`${server.url}/down`), { idempotent: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error).toMatchObject({ status: 503 });
    expect(server.hits('/down')).toBe(3);
  });

  it('sends a 4xx request once, and a non-idempotent request once whatever the answer', async () => {
    server.plan('/bad', { status: 400 });
    server.plan('/post', { status: 503 });
    const policy = dependencyPolicy('mixed', fast);
    await expect(policy.execute(client.get(`${server.url}/bad`), { idempotent: true })).rejects.toMatchObject({ status: 400 });
    await expect(policy.execute(client.get(`${server.url}/post`), { idempotent: false })).rejects.toMatchObject({ status: 503 });
    expect([server.hits('/bad'), server.hits('/post')]).toEqual([1, 1]);
  });

  it('retries reset connections and returns the answer that finally came', async () => {
    server.plan('/flaky', 'reset', 'reset', { status: 200 });
    const policy = dependencyPolicy('flaky', fast);
    await expect(policy.execute(client.get(`${server.url}/flaky`), { idempotent: true })).resolves.toBe('{"status":200}');
    expect(server.hits('/flaky')).toBe(3);
  });

  it('gives every attempt its own timeout against a slow dependency', async () => {
    server.plan('/slow', { status: 200, delayMs: 1_000 });
    const policy = dependencyPolicy('slow', { ...fast, timeout: { timeoutMs: 80 } });
    const started = Date.now();
    await expect(policy.execute(client.get(`${server.url}/slow`), { idempotent: true })).rejects.toMatchObject({ name: 'DependencyTimeoutError' });
    expect(server.hits('/slow')).toBe(3);
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('waits the Retry-After the dependency asked for before trying again', async () => {
    server.plan('/throttled', { status: 429, retryAfter: '1' }, { status: 200 });
    const clock = new ManualClock();
    const policy = dependencyPolicy('throttled', { ...fast, clock });
    const result = policy.execute(client.get(`${server.url}/throttled`), { idempotent: true });
    await until(() => clock.pendingDelays.join() === '1000'); // the 429 arrived; the wait began
    await clock.advance(999);
    expect(server.hits('/throttled')).toBe(1);
    await clock.advance(1);
    await expect(result).resolves.toBe('{"status":200}');
    expect(server.hits('/throttled')).toBe(2);
  });

  it('gives up at once when the Retry-After would end past the deadline', async () => {
    server.plan('/busy', { status: 429, retryAfter: '5' });
    const policy = dependencyPolicy('busy', fast);
    const deadline = { at: Date.now() + 2_000, remainingMs: () => deadline.at - Date.now() };
    const started = Date.now();
    await expect(policy.execute(client.get(`${server.url}/busy`), { idempotent: true, deadline })).rejects.toMatchObject({ status: 429, retryAfterMs: 5_000 });
    expect(server.hits('/busy')).toBe(1);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
