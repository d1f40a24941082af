import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir, WORKSPACE_ROOT } from '@keel/testing';

const run = promisify(execFile);

describe('KEEL_REPORT_LISTENING', () => {
  it('refuses to start, saying why, when set on a process spawned without an IPC channel', async () => {
    const data = tempDir('keel-report-listening-');
    const entry = join(WORKSPACE_ROOT, 'libs/service-kit/src/testing/deadline-probe.main.ts');
    const env = { ...process.env, KEEL_SERVICE: 'deadline-probe', PORT: '0', KEEL_DATA_DIR: data.dir, KEEL_REPORT_LISTENING: 'ipc' };
    try {
      const failure = await run(process.execPath, ['-r', '@swc-node/register', entry], { cwd: WORKSPACE_ROOT, env, timeout: 15_000 }).then(
        () => undefined,
        (error: { code?: number; stderr?: string }) => error,
      );
      expect(failure?.code).toBe(1);
      expect(failure?.stderr).toMatch(/failed to start: KEEL_REPORT_LISTENING=ipc, but this process was not spawned with an IPC channel/);
      expect(failure?.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    } finally {
      data.remove();
    }
  });
});
