import { join, resolve } from 'node:path';
import { dataDir, loadStackConfig, WORKSPACE_ROOT } from './topology';

/** Where one stack keeps its files. Tests point this at a temp dir so they never touch `.data/`. */
export interface StackPaths {
  root: string;
  stackDir: string;
  logsDir: string;
  stateFile: string;
  tokenFile: string;
  supervisorLog: string;
  /** Instances handed to a detached `supervise` process when they are not the configured ones. */
  specFile: string;
}

/** Overrides the data dir for every command, so a second stack (or a test) can run side by side. */
export const DATA_DIR_ENV = 'KEEL_STACK_DATA_DIR';

export function stackPaths(root?: string): StackPaths {
  const base = resolve(WORKSPACE_ROOT, root ?? process.env[DATA_DIR_ENV] ?? dataDir(loadStackConfig()));
  const stackDir = join(base, 'stack');
  const logsDir = join(base, 'logs');
  return {
    root: base,
    stackDir,
    logsDir,
    stateFile: join(stackDir, 'state.json'),
    tokenFile: join(stackDir, 'token'),
    supervisorLog: join(logsDir, 'supervisor.log'),
    specFile: join(stackDir, 'supervise.json'),
  };
}

/** `.data/logs/<region>-<name>.log`; `~` in extras' names is kept, it is a valid file name. */
export function instanceLogFile(paths: StackPaths, spec: { region: string; name: string }): string {
  return join(paths.logsDir, `${spec.region}-${spec.name}.log`);
}
