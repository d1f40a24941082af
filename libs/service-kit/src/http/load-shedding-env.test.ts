import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@keel/testing';
import { bootstrapService, type RunningService } from '../bootstrap';
import { InvalidEnvironmentError, parseEnv, type BaseEnv } from '../env';
import { loadSheddingFromEnv } from './load-shedding-env';
import { held, LoadModule } from '../testing/load-module';

const environment = (name: string, extra: Record<string, string>) => ({ KEEL_SERVICE: name, KEEL_REGION: 'test', PORT: '0', KEEL_LOG_LEVEL: 'silent', ...extra });
let off: RunningService<BaseEnv>;
let overridden: RunningService<BaseEnv>;

beforeAll(async () => {
  [off, overridden] = await Promise.all([
    // The code asks for a tiny limit (Tier 3 refused from 1 in flight); the environment switches shedding off.
    bootstrapService({ module: LoadModule, environment: environment('off', { KEEL_SHEDDING: 'off' }), loadShedding: { limits: { inFlight: 2 } } }),
    // The code keeps the default limit (1000: Tier 3 refused from 500); the environment lowers it to 4 (Tier 3 from 2).
    bootstrapService({ module: LoadModule, environment: environment('overridden', { KEEL_SHED_LIMIT_IN_FLIGHT: '4' }) }),
  ]);
});

afterAll(async () => {
  held.splice(0).forEach((release) => release());
  await Promise.all([off?.app.close(), overridden?.app.close()]);
});

async function hold(base: string, count: number): Promise<Promise<Response>[]> {
  const target = held.length + count;
  const pending = Array.from({ length: count }, () => fetch(`${base}/hold`));
  expect(await eventually(() => held.length >= target, 5_000)).toBe(true);
  return pending;
}

async function release(pending: Promise<Response>[]): Promise<void> {
  held.splice(0).forEach((done) => done());
  expect((await Promise.all(pending)).map((r) => r.status)).toEqual(pending.map(() => 200));
}

describe('load shedding from the environment', () => {
  it('KEEL_SHEDDING=off never sheds, even far past the limit the code asked for', async () => {
    const pending = await hold(off.url, 6);
    for (let i = 0; i < 5; i++) expect((await fetch(`${off.url}/trending`)).status).toBe(200);
    await release(pending);
  });

  it('KEEL_SHED_LIMIT_IN_FLIGHT replaces the limit: Tier 3 is refused at half of it', async () => {
    const first = await hold(overridden.url, 1);
    expect((await fetch(`${overridden.url}/trending`)).status).toBe(200);
    const second = await hold(overridden.url, 1);
    const refused = await fetch(`${overridden.url}/trending`);
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ type: '/problems/overloaded', detail: expect.stringContaining('Tier 3 limit 2') });
    await release([...first, ...second]);
    expect((await fetch(`${overridden.url}/trending`)).status).toBe(200);
  });

  it('merges every override over the code options, and off wins over them', () => {
    const env = { KEEL_SHEDDING: 'on', KEEL_SHED_LIMIT_IN_FLIGHT: 50, KEEL_SHED_LIMIT_EVENT_LOOP_DELAY_MS: 120, KEEL_SHED_LIMIT_QUEUE_TIME_MS: 80 } as const;
    expect(loadSheddingFromEnv(env, { limits: { inFlight: 10 }, sampleIntervalMs: 100 })).toEqual({
      limits: { inFlight: 50, eventLoopDelayMs: 120, queueTimeMs: 80 },
      sampleIntervalMs: 100,
    });
    expect(loadSheddingFromEnv({ KEEL_SHEDDING: 'on' }, { limits: { queueTimeMs: 300 } })).toEqual({ limits: { queueTimeMs: 300 } });
    expect(loadSheddingFromEnv({ ...env, KEEL_SHEDDING: 'off' })).toBe(false);
    expect(loadSheddingFromEnv({ KEEL_SHEDDING: 'on' }, false)).toBe(false);
  });

  it('refuses to start with a value that is not a switch or a positive limit', () => {
    const base = { KEEL_SERVICE: 's', PORT: '0' };
    expect(parseEnv({}, base)).toMatchObject({ KEEL_SHEDDING: 'on' });
    expect(parseEnv({}, { ...base, KEEL_SHED_LIMIT_EVENT_LOOP_DELAY_MS: '150' })).toMatchObject({ KEEL_SHED_LIMIT_EVENT_LOOP_DELAY_MS: 150 });
    for (const [name, value] of [
      ['KEEL_SHEDDING', 'false'],
      ['KEEL_SHED_LIMIT_IN_FLIGHT', '0'],
      ['KEEL_SHED_LIMIT_IN_FLIGHT', '2.5'],
      ['KEEL_SHED_LIMIT_QUEUE_TIME_MS', 'soon'],
    ]) {
      expect(() => parseEnv({}, { ...base, [name]: value }), `${name}=${value}`).toThrow(InvalidEnvironmentError);
      expect(() => parseEnv({}, { ...base, [name]: value })).toThrow(name);
    }
  });
});
