import { afterEach, describe, expect, it } from 'vitest';
import { sendJson, startFixtureServer, type FixtureServer } from './fixture-server';

let fixture: FixtureServer | undefined;
afterEach(async () => {
  await fixture?.stop();
  fixture = undefined;
});

describe('startFixtureServer', () => {
  it('records each request whole, in arrival order, before the responder answers it', async () => {
    const recordedBeforeAnswer: number[] = [];
    fixture = await startFixtureServer((request, res) => {
      recordedBeforeAnswer.push(fixture?.requests.length ?? -1);
      sendJson(res, 200, { echo: request.body });
    });
    const first = await fetch(`${fixture.url}/a?x=1`, { method: 'POST', headers: { 'x-probe': 'yes' }, body: '{"n":1}' });
    expect(await first.json()).toEqual({ echo: '{"n":1}' });
    await fetch(`${fixture.url}/b`);
    expect(fixture.requests.map(({ method, url, body }) => ({ method, url, body }))).toEqual([
      { method: 'POST', url: '/a?x=1', body: '{"n":1}' },
      { method: 'GET', url: '/b', body: '' },
    ]);
    expect(fixture.requests[0].headers['x-probe']).toBe('yes');
    expect(recordedBeforeAnswer).toEqual([1, 2]);
  });

  it('refuses connections once stopped, even with a request still waiting, and comes back on the same port', async () => {
    fixture = await startFixtureServer((request, res) => {
      if (request.url !== '/hang') sendJson(res, 200, { ok: true });
    });
    const url = fixture.url;
    const hanging = fetch(`${url}/hang`).then(
      () => 'answered',
      () => 'cut off',
    );
    while (fixture.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await fixture.stop();
    expect(await hanging).toBe('cut off');
    await expect(fetch(`${url}/after`)).rejects.toThrow();

    await fixture.start();
    expect(fixture.url).toBe(url);
    expect((await fetch(`${url}/back`)).status).toBe(200);
    await fixture.start();
    expect((await fetch(`${url}/still`)).status).toBe(200);
  });
});

describe('sendJson', () => {
  it('types a success as JSON and a failure as problem JSON, lets headers win and sends no body for undefined', async () => {
    fixture = await startFixtureServer((request, res) => {
      if (request.url === '/ok') sendJson(res, 201, { id: 1 }, { 'x-extra': 'kept' });
      else if (request.url === '/problem') sendJson(res, 503, { type: '/problems/unavailable', status: 503 });
      else if (request.url === '/plain-503') sendJson(res, 503, { status: 'error' }, { 'content-type': 'application/json' });
      else sendJson(res, 204);
    });
    const ok = await fetch(`${fixture.url}/ok`);
    expect([ok.status, ok.headers.get('content-type'), ok.headers.get('x-extra')]).toEqual([201, 'application/json', 'kept']);
    expect(await ok.json()).toEqual({ id: 1 });
    const problem = await fetch(`${fixture.url}/problem`);
    expect([problem.status, problem.headers.get('content-type')]).toEqual([503, 'application/problem+json']);
    expect(await problem.json()).toMatchObject({ type: '/problems/unavailable' });
    const plain = await fetch(`${fixture.url}/plain-503`);
    expect(plain.headers.get('content-type')).toBe('application/json');
    await plain.body?.cancel();
    const empty = await fetch(`${fixture.url}/empty`);
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe('');
  });
});
