/**
 * @keel/stack: run the local stack and drive it from code (chaos experiments, canary deploys,
 * e2e tests). `connectStack()` talks to a running stack; `upDetached()` starts one in the
 * background; `Supervisor` runs one in this process (tests, with fixture instances).
 */
export { connectStack, StackClient, type ConnectOptions } from './client';
export { upDetached, type DetachedStack, type UpDetachedOptions, type SuperviseSpec } from './detach';
export { downStack, type DownOptions, type DownReport } from './down';
export { Supervisor, type SupervisorOptions } from './supervisor';
export { runSupervisor, type RunOptions } from './run';
export { backoffDelay, nextConsecutive, type RestartPolicy } from './backoff';
export { StackError, type Problem } from './problem';
export { stackPaths, DATA_DIR_ENV, type StackPaths } from './paths';
export { probeRows } from './status';
export { ACTIONS, type Action, type ActionOptions, type ExtraRequest, type ExtraSpec, type StatusRow } from './api-types';
export type { InstanceInfo, InstanceState, StackState, StackPhase } from './state';
export { fixtureInstances, tempDataDir, FIXTURE_ENTRY, type FixtureOptions } from './testing/fixtures';
export * from './topology';
