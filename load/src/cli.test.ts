import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, tempDir, type FixtureServer } from '@keel/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Io, main } from './cli';
import type { LoadReport } from './report';
import { routeOf, type ShopMode, startShopFixture } from './testing/shop-fixture';

function capture(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), progress: { write: (t: string) => stderr.push(t) } };
}

// Real runs of the smoke scenario, 3 s each, against a stand-in shop on a free port.
describe('npm run load -- smoke', () => {
  let shop: FixtureServer & { mode: ShopMode };
  const reports = tempDir('keel-load-reports-');

  beforeAll(async () => {
    shop = await startShopFixture();
  });
  afterAll(async () => {
    await shop?.stop();
    reports.remove();
  });

  const reportFiles = () => readdirSync(reports.dir).filter((f) => f.endsWith('.json'));

  it('runs every route, counts degraded and out-of-stock answers apart, passes, and writes the report', async () => {
    shop.mode = 'healthy';
    const io = capture();
    const code = await main(['smoke', '--target', shop.url, '--duration', '3', '--out', reports.dir], io);
    expect(code, io.stderr.join('')).toBe(0);

    const files = reportFiles();
    expect(files).toHaveLength(1);
    const report = JSON.parse(readFileSync(join(reports.dir, files[0]), 'utf8')) as LoadReport;
    expect(report).toMatchObject({ scenario: 'smoke', verdict: 'PASS', target: shop.url, overrides: { durationS: 3 } });
    const byRoute = Object.fromEntries(report.routes.map((r) => [r.route, r]));
    for (const name of ['browse', 'product', 'recommendations', 'checkout']) expect(byRoute[name].requests, name).toBeGreaterThan(0);
    // The fixture degrades every third product page and answers every fourth checkout 409.
    const productPages = byRoute.product.requests;
    expect(byRoute.product.degraded).toBe(Math.floor(productPages / 3));
    expect(byRoute.browse.degraded).toBe(0);
    expect(byRoute.checkout.errors.total).toBe(0);
    if (byRoute.checkout.requests >= 4) expect(byRoute.checkout.business['409']).toBeGreaterThan(0);

    // What the shop saw: the mix, and a fresh Idempotency-Key on every checkout.
    const seen = shop.requests.filter((r) => routeOf(r) !== undefined);
    const keys = seen.filter((r) => routeOf(r) === 'checkout').map((r) => r.headers['idempotency-key']);
    expect(new Set(keys).size).toBe(keys.length);
    expect(seen.filter((r) => routeOf(r) === 'browse').length).toBeGreaterThan(keys.length);

    const table = io.stdout.join('\n');
    expect(table).toContain('smoke: PASS');
    expect(table).toMatch(/^product\s+1\s+\d+/m);
    expect(table).toContain('PASS  Tier-1 p99 < 1000 ms');
    expect(io.stderr.join('')).toMatch(/\[1\/1 steady\] \d\/3 s/);
  });

  it('fails the error-rate threshold and exits 1 when the shop answers 500', async () => {
    shop.mode = 'failing';
    const io = capture();
    const code = await main(['smoke', '--target', shop.url, '--duration', '3', '--out', reports.dir, '--json'], io);
    expect(code).toBe(1);
    const report = JSON.parse(io.stdout.join('')) as LoadReport;
    expect(report.verdict).toBe('FAIL');
    expect(report.checks.find((c) => c.name === 'error rate < 1%')).toMatchObject({ pass: false, value: 1 });
    expect(report.routes.every((r) => r.errors.byStatus['500'] === r.requests)).toBe(true);
    expect(reportFiles()).toHaveLength(2);
  });

  it('exits 2 at once, with one clear line, for a target nobody listens on', async () => {
    const io = capture();
    const started = Date.now();
    const code = await main(['smoke', '--target', `http://127.0.0.1:${await freePort()}`, '--out', reports.dir], io);
    expect(code).toBe(2);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(io.stderr.join('\n')).toMatch(/is not reachable \(ECONNREFUSED\)/);
    expect(reportFiles()).toHaveLength(2);
  });

  it('exits 2 with one line for an unknown scenario, a bad flag or a bad value; --help lists the scenarios', async () => {
    for (const argv of [['nope'], ['smoke', '--colour'], ['smoke', '--rate', 'fast'], ['smoke', '--target', 'edge'], []]) {
      const io = capture();
      expect(await main(argv, io), argv.join(' ')).toBe(2);
      expect(io.stderr).toHaveLength(1);
      expect(io.stderr[0]).toMatch(/^error: /);
    }
    const io = capture();
    expect(await main(['--help'], io)).toBe(0);
    for (const name of ['smoke', 'load', 'stress', 'spike', 'soak']) expect(io.stdout.join('')).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
  });
});
