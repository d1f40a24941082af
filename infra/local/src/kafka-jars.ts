import { spawn } from 'node:child_process';
import { StackError } from './problem';

/** Run by path, not imported: the stack and the broker are separate tools (Nx module boundaries). */
export const ENSURE_JARS_ENTRY = 'infra/kafka/src/ensure-jars-main.ts';

/**
 * Fetches the Kafka broker jars into the cache before `up` starts anything, relaying the
 * fetcher's progress lines, so a first `npm start` shows a download (~1 min) instead of a broker
 * that times out getting ready. A no-op in a second when the cache is filled. Rejects with the
 * fetcher's own message (e.g. which packages to install) on failure; `signal` aborts it.
 */
export function fetchKafkaJars(workspaceRoot: string, log: (line: string) => void, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', ENSURE_JARS_ENTRY], {
      cwd: workspaceRoot,
      stdio: ['ignore', 'ignore', 'pipe'],
      signal,
      killSignal: 'SIGTERM', // the fetcher then stops its Maven before exiting
    });
    let output = '';
    let partial = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines.filter(Boolean)) {
        output += `${line}\n`;
        log(line);
      }
    });
    child.once('error', (error) => {
      if (error.name === 'AbortError') reject(new StackError('shutting-down', 'the stack was shut down while fetching the Kafka jars'));
      else reject(new StackError('start-failed', `could not run the Kafka jar fetcher: ${error.message}`));
    });
    child.once('exit', (code) => {
      if (code === 0) return resolve();
      if (signal?.aborted) return; // reported by the 'error' handler
      const reason = (output + partial).trim() || `exit code ${code}`;
      reject(new StackError('start-failed', `cannot start the Kafka brokers: ${reason}`));
    });
  });
}
