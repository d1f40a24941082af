import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { load } from './load';

/** Arrival times (ms) of every request the test server saw. */
const arrivals: number[] = [];
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((_req, res) => {
    arrivals.push(performance.now());
    res.end('{}');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(() => new Promise((done) => server.close(done)));

/** Most requests that arrived within any `windowMs`. */
function busiest(times: number[], windowMs: number): number {
  let most = 0;
  for (let start = 0, end = 0; end < times.length; end++) {
    while (times[end] - times[start] > windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

describe('paced load', () => {
  it('sends the rate asked for, spread over each second rather than in one burst at its start', async () => {
    arrivals.length = 0;
    const result = await load({ url, path: () => '/', connections: 40, seconds: 2, rate: 200 });
    expect(result.responses).toBe(400);
    expect(result.sentPerSec).toBe(200);
    expect(result.statuses).toEqual({ '200': result.responses });
    // autocannon alone sends a second's 200 requests at once; 20 staggered groups send ~10 every
    // 50 ms. Timers jitter on a busy machine, so the bound is loose: well under one second's worth.
    expect(busiest(arrivals, 20)).toBeLessThanOrEqual(100);
    expect(result.p99Ms).toBeGreaterThanOrEqual(result.p50Ms);
  });
});
