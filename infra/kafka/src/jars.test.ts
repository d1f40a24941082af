import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureKafkaJars, kafkaLibDir, KafkaSetupError } from './jars';

/** A temp cache and a bin dir whose `mvn` is the given shell script (and a no-op `java`). */
function fakeTools(mvnScript: string) {
  const root = mkdtempSync(join(tmpdir(), 'keel-jars-'));
  const bin = join(root, 'bin');
  const write = (name: string, body: string) => {
    writeFileSync(join(root, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(root, name), 0o755);
  };
  writeFileSync(join(root, 'calls'), '');
  mkdirSync(bin);
  write('bin/java', 'exit 0');
  // Every fake mvn records its call and finds the output dir Maven would write to.
  write('bin/mvn', `echo call >> ${join(root, 'calls')}\nfor a in "$@"; do case "$a" in -DoutputDirectory=*) out="\${a#-DoutputDirectory=}";; esac; done\n${mvnScript}`);
  const cache = join(root, 'cache');
  return {
    root,
    cache,
    path: `${bin}:/usr/bin:/bin`,
    calls: () => readFileSync(join(root, 'calls'), 'utf8').split('\n').filter(Boolean).length,
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((clean) => clean()));
function tools(script: string) {
  const t = fakeTools(script);
  cleanups.push(t.remove);
  return t;
}

describe('ensureKafkaJars', () => {
  it('says exactly what to install when java or mvn is missing, without creating anything', async () => {
    const t = tools('exit 0');
    const empty = mkdtempSync(join(tmpdir(), 'keel-nopath-'));
    cleanups.push(() => rmSync(empty, { recursive: true, force: true }));
    const error = await ensureKafkaJars({ cacheDir: t.cache, path: empty }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KafkaSetupError);
    expect((error as KafkaSetupError).kind).toBe('missing-tools');
    expect((error as Error).message).toMatch(/'java' and 'mvn'.*apt-get install openjdk-17-jre-headless maven/);
    expect(existsSync(t.cache)).toBe(false);
  });

  it('fetches once, even for callers racing, and serves the cache after that', async () => {
    const t = tools('sleep 0.3; touch "$out/kafka_2.13-3.9.1.jar"');
    const lines: string[] = [];
    const [a, b] = await Promise.all([
      ensureKafkaJars({ cacheDir: t.cache, path: t.path, log: (l) => lines.push(l) }),
      ensureKafkaJars({ cacheDir: t.cache, path: t.path, log: (l) => lines.push(l) }),
    ]);
    expect([a, b]).toEqual([kafkaLibDir(t.cache), kafkaLibDir(t.cache)]);
    expect(t.calls()).toBe(1);
    expect(readdirSync(a)).toContain('kafka_2.13-3.9.1.jar');
    expect(lines.some((l) => /fetching the Kafka 3\.9\.1 broker jars/.test(l))).toBe(true);
    await ensureKafkaJars({ cacheDir: t.cache, path: '' }); // cached: not even the tools are needed
    expect(t.calls()).toBe(1);
  });

  it('keeps nothing from a failed fetch, so the next call fetches again', async () => {
    const t = tools('touch "$out/half.jar"; echo "Could not resolve dependencies: boom" >&2; exit 1');
    const error = await ensureKafkaJars({ cacheDir: t.cache, path: t.path }).catch((e: unknown) => e);
    expect((error as KafkaSetupError).kind).toBe('download-failed');
    expect((error as Error).message).toMatch(/exit code 1[\s\S]*boom/);
    expect(readdirSync(join(t.cache, 'kafka-3.9.1'))).toEqual([]); // no lib, no temp dir, no lock
    await expect(ensureKafkaJars({ cacheDir: t.cache, path: t.path })).rejects.toThrow(/boom/);
    expect(t.calls()).toBe(2);
  });

  it('fetches again when the pom changed since the cache was filled', async () => {
    const t = tools('touch "$out/a.jar"');
    const lib = await ensureKafkaJars({ cacheDir: t.cache, path: t.path });
    writeFileSync(join(lib, '.keel-complete'), 'hash-of-another-pom\n');
    await ensureKafkaJars({ cacheDir: t.cache, path: t.path });
    expect(t.calls()).toBe(2);
  });

  it('gives up on a hanging mvn after the timeout, saying why, and kills it', async () => {
    const t = tools(`echo $$ > ${'"$out/../mvn.pid"'}; exec sleep 30`);
    const started = Date.now();
    const error = await ensureKafkaJars({ cacheDir: t.cache, path: t.path, timeoutMs: 500 }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((error as KafkaSetupError).kind).toBe('timeout');
    expect((error as Error).message).toMatch(/did not finish .* within 1 s/);
    const pid = Number(readFileSync(join(t.cache, 'kafka-3.9.1', 'mvn.pid'), 'utf8'));
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
