import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';

export const KAFKA_VERSION = '3.9.1';
export const POM_FILE = resolve(__dirname, '../pom.xml');
export const INSTALL_HINT = 'apt-get install openjdk-17-jre-headless maven';

/** Why the broker jars could not be had; `message` says what to do about it. */
export class KafkaSetupError extends Error {
  constructor(
    readonly kind: 'missing-tools' | 'download-failed' | 'timeout',
    message: string,
  ) {
    super(message);
    this.name = 'KafkaSetupError';
  }
}

export interface EnsureJarsOptions {
  /** Progress lines (one before a download, one after). Default: none. */
  log?: (line: string) => void;
  /** Cache root; default `KEEL_CACHE_DIR`, else `~/.cache/keel`. */
  cacheDir?: string;
  /** Bound on one `mvn` run. Default 10 min: a cold fetch is ~46 MB. */
  timeoutMs?: number;
  /** Where to look for `java` and `mvn`; default `process.env.PATH`. */
  path?: string;
}

const MARKER = '.keel-complete';

/** `<cache>/kafka-<version>/lib`, whether or not it has been fetched yet. */
export function kafkaLibDir(cacheDir = defaultCacheDir()): string {
  return join(cacheDir, `kafka-${KAFKA_VERSION}`, 'lib');
}

function defaultCacheDir(): string {
  return process.env.KEEL_CACHE_DIR || join(homedir(), '.cache', 'keel');
}

/** Is `name` an executable on `path`? (What a shell would find; no process started.) */
export function onPath(name: string, path = process.env.PATH ?? ''): boolean {
  return path.split(delimiter).some((dir) => {
    try {
      accessSync(join(dir || '.', name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Throws a `missing-tools` error naming exactly what is missing and how to install it. */
export function assertTools(tools: string[], path = process.env.PATH ?? ''): void {
  const missing = tools.filter((tool) => !onPath(tool, path));
  if (missing.length > 0) {
    throw new KafkaSetupError(
      'missing-tools',
      `the Kafka broker needs ${missing.map((t) => `'${t}'`).join(' and ')}, not found on PATH. Install Java 17 and Maven: ${INSTALL_HINT}`,
    );
  }
}

/**
 * The broker's jar directory, fetched from Maven Central on first use (~40 s, ~46 MB). The
 * download goes to a temp dir that is renamed into place with a marker only once `mvn` succeeded,
 * so an interrupted fetch is redone rather than trusted; the marker holds the pom's hash, so
 * editing the pom fetches again. Safe to call from several processes at once (one fetches, the
 * others wait for it).
 */
export async function ensureKafkaJars(options: EnsureJarsOptions = {}): Promise<string> {
  const lib = kafkaLibDir(options.cacheDir);
  const pom = readFileSync(POM_FILE);
  const hash = createHash('sha256').update(pom).digest('hex');
  if (isComplete(lib, hash)) return lib;

  const path = options.path ?? process.env.PATH ?? '';
  assertTools(['java', 'mvn'], path);
  const log = options.log ?? (() => undefined);
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const release = await fetchLock(lib, timeoutMs, log);
  try {
    if (!isComplete(lib, hash)) await fetch(lib, hash, path, timeoutMs, log);
  } finally {
    release();
  }
  return lib;
}

async function fetch(lib: string, hash: string, path: string, timeoutMs: number, log: (line: string) => void): Promise<void> {
  const tmp = `${lib}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(tmp, { recursive: true });
  const started = Date.now();
  log(`fetching the Kafka ${KAFKA_VERSION} broker jars from Maven Central into ${lib} (first run only, ~1 min)`);
  try {
    await runMaven(tmp, path, timeoutMs);
    writeFileSync(join(tmp, MARKER), `${hash}\n`);
    rmSync(lib, { recursive: true, force: true }); // stale: another pom, or a half fetch of an older layout
    renameSync(tmp, lib);
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
  log(`Kafka broker jars ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * One fetch at a time per cache (two brokers, or two test files, starting on a fresh machine
 * would otherwise run two Mavens into one ~/.m2). The lock file holds the owner's pid; a lock
 * whose owner is gone is taken over. Waits at most `timeoutMs`.
 */
async function fetchLock(lib: string, timeoutMs: number, log: (line: string) => void): Promise<() => void> {
  const file = `${lib}.lock`;
  mkdirSync(dirname(file), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = lockOwner(file);
    if (owner === undefined) continue; // released just now: try again
    if (owner > 0 && !pidAlive(owner)) {
      rmSync(file, { force: true }); // its owner died mid-fetch
      continue;
    }
    if (Date.now() > deadline) throw new KafkaSetupError('timeout', `gave up waiting for another process (pid ${owner}) fetching the Kafka jars; remove ${file} if it is stuck`);
    if (!told) log(`waiting for pid ${owner}, which is fetching the Kafka jars`);
    told = true;
    await new Promise((done) => setTimeout(done, 500));
  }
}

/** The pid in a lock file; 0 if not written yet; undefined if the file is gone. */
function lockOwner(file: string): number | undefined {
  try {
    return Number(readFileSync(file, 'utf8').trim() || '0');
  } catch {
    return undefined;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isComplete(lib: string, hash: string): boolean {
  const marker = join(lib, MARKER);
  return existsSync(marker) && readFileSync(marker, 'utf8').trim() === hash;
}

/** Runs mvn in its own process group, so a timeout kills Maven's whole JVM, not just a wrapper script. */
function runMaven(outputDir: string, path: string, timeoutMs: number): Promise<void> {
  const args = ['-q', '-B', '-f', POM_FILE, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${outputDir}`];
  return new Promise((done, fail) => {
    const child = spawn('mvn', args, { env: { ...process.env, PATH: path }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    // If we are interrupted, Maven goes with us instead of finishing a download nobody will use.
    const onExit = () => killGroup(child.pid);
    process.once('exit', onExit);
    child.once('error', (error) => {
      clearTimeout(timer);
      process.off('exit', onExit);
      fail(new KafkaSetupError('missing-tools', `could not run mvn (${error.message}). Install it: ${INSTALL_HINT}`));
    });
    child.once('exit', (code, sig) => {
      clearTimeout(timer);
      process.off('exit', onExit);
      if (timedOut) {
        fail(new KafkaSetupError('timeout', `mvn did not finish fetching the Kafka jars within ${Math.round(timeoutMs / 1000)} s (is Maven Central reachable? a proxy in ~/.m2/settings.xml?)\n${tail(output)}`));
      } else if (code === 0) {
        done();
      } else {
        fail(new KafkaSetupError('download-failed', `mvn failed fetching the Kafka jars (${sig ? `signal ${sig}` : `exit code ${code}`}):\n${tail(output)}`));
      }
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

const tail = (text: string) => text.trim().split('\n').slice(-20).join('\n');
