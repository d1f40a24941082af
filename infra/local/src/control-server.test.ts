import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRunning } from './procs';
import { Supervisor } from './supervisor';
import { fixtureInstances, tempDataDir } from './testing/fixtures';
import { readToken } from './token';
import { statSync } from 'node:fs';

describe('control API', () => {
  const data = tempDataDir();
  let supervisor: Supervisor;
  let base = '';
  let token = '';
  const call = (method: string, path: string, init: { auth?: string | null; body?: string } = {}) =>
    fetch(`${base}${path}`, {
      method,
      headers: {
        ...(init.auth === null ? {} : { authorization: init.auth ?? `Bearer ${token}` }),
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
      body: init.body,
    });

  beforeAll(async () => {
    const instances = await fixtureInstances([{ region: 'us-east', service: 'catalog' }]);
    supervisor = new Supervisor({ instances, dataDir: data.dir, controlPort: 0, readyTimeoutMs: 15_000, stopTimeoutMs: 3000 });
    await supervisor.up();
    base = `http://127.0.0.1:${supervisor.controlPort}`;
    token = readToken(supervisor.paths.tokenFile) ?? '';
  });

  afterAll(async () => {
    await supervisor?.shutdown();
    data.cleanup();
  });

  it('keeps the token in a 0600 file', () => {
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(statSync(supervisor.paths.tokenFile).mode & 0o777).toBe(0o600);
  });

  it('refuses requests without the token, or with a wrong one, as 401 problem JSON', async () => {
    for (const auth of [null, 'Bearer wrong', token]) {
      const res = await call('GET', '/instances', { auth });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
      expect(await res.json()).toMatchObject({ type: 'urn:keel:stack:unauthorized', title: expect.any(String), status: 401, detail: expect.any(String) });
    }
    // Unauthenticated requests change nothing.
    const res = await call('POST', '/targets/all/kill', { auth: null });
    expect(res.status).toBe(401);
    expect(supervisor.list()[0].state).toBe('running');
  });

  it('lists instances with the token', async () => {
    const res = await call('GET', '/instances');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { supervisorPid: number; phase: string; instances: Array<{ id: string }> };
    expect(body).toMatchObject({ supervisorPid: process.pid, phase: 'ready' });
    expect(body.instances.map((i) => i.id)).toEqual(['us-east/catalog']);
  });

  it('answers 404 for an unknown target, 400 for a bad action, 405 for a wrong method', async () => {
    const unknown = await call('POST', '/targets/us-west%2Fcatalog/stop');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ type: 'urn:keel:stack:unknown-target', status: 404 });

    const bad = await call('POST', '/targets/us-east%2Fcatalog/explode');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ type: 'urn:keel:stack:unknown-action', status: 400 });

    const method = await call('GET', '/targets/all/stop');
    expect(method.status).toBe(405);
    expect(method.headers.get('allow')).toBe('POST');

    const route = await call('GET', '/nowhere');
    expect(route.status).toBe(404);
    expect(route.headers.get('content-type')).toBe('application/problem+json');
  });

  it('answers 404 for an unknown add-on, 400 for a switch other than on/off, 405 for GET', async () => {
    const unknown = await call('POST', '/addons/global%2Ftraffic/on');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ type: 'urn:keel:stack:unknown-target', detail: expect.stringContaining('add-ons: none') });
    expect((await call('POST', '/addons/global%2Ftraffic/sideways')).status).toBe(400);
    expect((await call('GET', '/addons/global%2Ftraffic/on')).status).toBe(405);
  });

  it('validates start-extra bodies', async () => {
    const notJson = await call('POST', '/extras', { body: '{nope' });
    expect(notJson.status).toBe(400);
    const missing = await call('POST', '/extras', { body: JSON.stringify({ service: 'catalog', region: 'us-east' }) });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { detail: string }).detail).toContain('version');
    const badEnv = await call('POST', '/extras', { body: JSON.stringify({ service: 'catalog', region: 'us-east', version: '2', env: { A: 1 } }) });
    expect(badEnv.status).toBe(400);
  });

  it('acts on a URL-encoded instance id and shuts down on POST /shutdown', async () => {
    const stop = await call('POST', '/targets/us-east%2Fcatalog/stop');
    expect(stop.status).toBe(200);
    expect(await stop.json()).toMatchObject({ target: 'us-east/catalog', action: 'stop', instances: [{ id: 'us-east/catalog', state: 'stopped', pid: null }] });
    const start = await call('POST', '/targets/us-east/start');
    const pid = ((await start.json()) as { instances: Array<{ pid: number }> }).instances[0].pid;
    expect(isRunning(pid)).toBe(true);

    const shutdown = await call('POST', '/shutdown');
    expect(shutdown.status).toBe(200);
    expect(await shutdown.json()).toMatchObject({ instances: [{ state: 'stopped', pid: null }] });
    await supervisor.closed;
    expect(isRunning(pid)).toBe(false);
    await expect(call('GET', '/instances')).rejects.toThrow();
  });
});
