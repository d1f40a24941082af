import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@keel/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from './endpoints';

const data = tempDir('keel-audit-cli-');
afterAll(() => data.remove());

function audit(args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, ['-r', '@swc-node/register', 'chaos/audit/src/cli.ts', ...args], {
    cwd: WORKSPACE_ROOT,
    env: { ...process.env, KEEL_STACK_DATA_DIR: data.dir, ...env },
    encoding: 'utf8',
    timeout: 15_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('npm run audit', () => {
  it('prints its usage with --help and exits 0', () => {
    const { code, stdout } = audit(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('usage: npm run audit');
    expect(stdout).toContain('--in-flight-ms');
  });

  it('exits 2 with one clear line when no stack was ever brought up in the data dir', () => {
    const { code, stderr } = audit([]);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(`audit: no stack token at ${join(data.dir, 'stack', 'token')}: is the stack up? (npm run stack -- up --detach)`);
  });

  it('exits 2 naming every service it cannot read, without a stack trace', () => {
    mkdirSync(join(data.dir, 'stack'), { recursive: true });
    // A token no running stack has: whether or not one runs, us-east's checkout cannot be read with it.
    writeFileSync(join(data.dir, 'stack', 'token'), 'not-the-stack-token');
    const { code, stderr } = audit(['--timeout-ms', '2000']);
    expect(code).toBe(2);
    const why = '(is unreachable at|answered 401 to GET) http://127\\.0\\.0\\.1:\\d+/admin/orders';
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toBe('audit: cannot read 7 services:');
    expect(lines[1]).toMatch(new RegExp(`^  us-east/checkout ${why}`));
    expect(lines[2]).toMatch(new RegExp(`^  eu-west/checkout ${why}`));
    expect(lines.slice(3).map((line) => line.trim().split(' ')[0])).toEqual(['us-east/catalog', 'eu-west/catalog', 'provider-a', 'provider-b', 'carrier']);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a bad option with exit 2', () => {
    const { code, stderr } = audit(['--in-flight-ms', 'soon']);
    expect(code).toBe(2);
    expect(stderr).toContain('--in-flight-ms must be a positive integer, got soon');
  });
});
