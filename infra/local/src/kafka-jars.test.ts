import { afterEach, describe, expect, it } from 'vitest';
import { readState } from './state';
import { Supervisor } from './supervisor';
import { fixtureInstances, tempDataDir } from './testing/fixtures';
import { KAFKA_ENTRY } from './topology';

describe('up with a Kafka broker in the stack', () => {
  const saved = { PATH: process.env.PATH, KEEL_CACHE_DIR: process.env.KEEL_CACHE_DIR };
  const data = tempDataDir();
  afterEach(() => {
    Object.assign(process.env, saved);
    data.cleanup();
  });

  it('fetches the jars before starting anything, and fails with what to install when Java and Maven are missing', async () => {
    const cache = tempDataDir('keel-empty-cache-');
    process.env.PATH = cache.dir; // no java, no mvn
    process.env.KEEL_CACHE_DIR = cache.dir; // and nothing cached
    const [broker] = await fixtureInstances([{ region: 'us-east', service: 'kafka' }]);
    const lines: string[] = [];
    const supervisor = new Supervisor({ instances: [{ ...broker, entry: KAFKA_ENTRY }], dataDir: data.dir, log: (l) => lines.push(l) });
    const error = await supervisor.up().then(() => undefined, (e: Error) => e);
    cache.cleanup();
    expect(error?.message).toMatch(/cannot start the Kafka brokers: .*needs 'java' and 'mvn'.*apt-get install openjdk-17-jre-headless maven/);
    expect(lines.some((l) => l.startsWith('starting '))).toBe(false); // nothing was spawned
    expect(readState(supervisor.paths.stateFile)).toMatchObject({ phase: 'failed', error: expect.stringContaining('apt-get install') });
  });
});
