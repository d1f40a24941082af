import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newClusterId } from './properties';

export interface StorageLayout {
  /** `<KEEL_DATA_DIR>/kafka` */
  root: string;
  logDir: string;
  propertiesFile: string;
  clusterIdFile: string;
}

export function storageLayout(dataDir: string): StorageLayout {
  const root = join(dataDir, 'kafka');
  return { root, logDir: join(root, 'data'), propertiesFile: join(root, 'server.properties'), clusterIdFile: join(root, 'cluster-id') };
}

/**
 * Formats the KRaft storage once. The cluster id is kept beside the data so a re-format (after
 * the data was deleted by hand) reuses it. Returns the cluster id and whether it formatted now.
 */
export async function formatStorageOnce(layout: StorageLayout, java: string[], log: (line: string) => void): Promise<{ clusterId: string; formatted: boolean }> {
  mkdirSync(layout.logDir, { recursive: true });
  let clusterId = existsSync(layout.clusterIdFile) ? readFileSync(layout.clusterIdFile, 'utf8').trim() : '';
  if (!clusterId) {
    clusterId = newClusterId();
    writeFileSync(layout.clusterIdFile, `${clusterId}\n`);
  }
  if (existsSync(join(layout.logDir, 'meta.properties'))) return { clusterId, formatted: false };
  log(`formatting Kafka storage in ${layout.logDir} (cluster id ${clusterId})`);
  const args = [...java, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', layout.propertiesFile, '--ignore-formatted'];
  const { code, output } = await run('java', args, 60_000);
  if (code !== 0) throw new Error(`kafka storage format failed (${code}):\n${output}`);
  return { clusterId, formatted: true };
}

/** Runs a short Java tool with a bound, collecting its output for the error message. */
function run(command: string, args: string[], timeoutMs: number): Promise<{ code: number | string; output: string }> {
  return new Promise((done) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => done({ code: error.message, output }));
    child.once('exit', (code, sig) => {
      clearTimeout(timer);
      done({ code: code ?? `signal ${sig}`, output });
    });
  });
}
