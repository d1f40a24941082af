import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dependencyPolicy } from './dependency-policy';
import { BrokenCircuitError, BulkheadRejectedError, DependencyTimeoutError } from './errors';
import { httpClient, until } from './testing/http-call';
import { ManualClock } from './testing/manual-clock';
import { startMisbehavingServer, type MisbehavingServer } from './testing/misbehaving-server';

describe('breaker, timeout and bulkhead over real HTTP', () => {
  let server: MisbehavingServer;
  const client = httpClient();
  beforeAll(async () => {
    server = await startMisbehavingServer();
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it('opens after repeated 503s, then half-open lets exactly the probes through and fails the rest fast', async () => {
    const clock = new ManualClock(); // drives the breaker's open period; HTTP runs in real time
    const policy = dependencyPolicy('catalog', { meter: false, clock, retry: false, breaker: { consecutiveFailures: 3, openMs: 5_000, halfOpenProbes: 2 } });
    const get = client.get(`${server.url}/items`);
    server.plan('/items', { status: 503 });
    for (let i = 0; i < 3; i++) await expect(policy.execute(get, { idempotent: true })).rejects.toMatchObject({ status: 503 });
    expect(policy.state.breaker).toBe('open');
    await expect(policy.execute(get, { idempotent: true })).rejects.toBeInstanceOf(BrokenCircuitError);
    expect(server.hits('/items')).toBe(3);

    await clock.advance(5_000);
    server.plan('/items', 'hold');
    const calls = Array.from({ length: 5 }, () => policy.execute(get, { idempotent: true }).catch((e: unknown) => e));
    const refused = await Promise.all(calls.slice(2)); // settle while the probes are still held
    expect(refused.every((e) => e instanceof BrokenCircuitError)).toBe(true);
    await until(() => server.held() === 2);
    expect(server.hits('/items')).toBe(5);
    server.releaseHeld();
    expect(await Promise.all(calls.slice(0, 2))).toEqual(['{"status":200}', '{"status":200}']);
    expect(policy.state.breaker).toBe('closed');
  });

  it('times out a hung call and closes its connection, so the server sees it abandoned', async () => {
    server.plan('/hang', 'hang');
    const policy = dependencyPolicy('hung', { meter: false, retry: false, timeout: { timeoutMs: 100 } });
    const started = Date.now();
    await expect(policy.execute(client.get(`${server.url}/hang`), { idempotent: true })).rejects.toBeInstanceOf(DependencyTimeoutError);
    expect(Date.now() - started).toBeLessThan(1_000);
    await until(() => server.abandoned('/hang') === 1);
  });

  it('cancels the request when the caller aborts mid-call', async () => {
    server.plan('/wait', 'hang');
    const policy = dependencyPolicy('waiting', { meter: false });
    const caller = new AbortController();
    const call = policy.execute(client.get(`${server.url}/wait`), { idempotent: true, signal: caller.signal });
    await until(() => server.hits('/wait') === 1);
    caller.abort(new Error('client went away'));
    await expect(call).rejects.toThrow('client went away');
    await until(() => server.abandoned('/wait') === 1);
    expect(server.hits('/wait')).toBe(1); // an abort is not retried
  });

  it('queues up to the limit, rejects beyond it at once, and frees an aborted waiter’s place', async () => {
    server.plan('/busy', 'hold');
    const policy = dependencyPolicy('busy', { meter: false, retry: false, bulkhead: { maxConcurrent: 2, maxQueued: 1, queueTimeoutMs: 5_000 } });
    const get = client.get(`${server.url}/busy`);
    const running = [policy.execute(get, { idempotent: true }), policy.execute(get, { idempotent: true })];
    const caller = new AbortController();
    const waiter = policy.execute(get, { idempotent: true, signal: caller.signal }).catch((e: unknown) => e);
    expect(policy.state.bulkhead).toEqual({ inUse: 2, queued: 1 });
    const full = await policy.execute(get, { idempotent: true }).catch((e: unknown) => e);
    expect(full).toBeInstanceOf(BulkheadRejectedError);
    expect(full).toMatchObject({ reason: 'full' });

    caller.abort(new Error('gave up waiting'));
    expect(policy.state.bulkhead).toEqual({ inUse: 2, queued: 0 });
    expect(await waiter).toMatchObject({ message: 'gave up waiting' });
    const next = policy.execute(get, { idempotent: true }); // the freed place is taken, not refused
    expect(policy.state.bulkhead).toEqual({ inUse: 2, queued: 1 });

    await until(() => server.held() === 2);
    server.releaseHeld();
    await Promise.all(running);
    await until(() => server.held() === 1);
    server.releaseHeld();
    await expect(next).resolves.toBe('{"status":200}');
    expect(server.hits('/busy')).toBe(3); // the aborted waiter never reached the server
  });
});
