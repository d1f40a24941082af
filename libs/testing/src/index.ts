export { eventually } from './eventually';
export { FixtureServer, sendJson, startFixtureServer, type FixtureRequest, type FixtureResponder } from './fixture-server';
export { freePort, startServiceProcess, tempDir, WORKSPACE_ROOT, type ServiceProcess, type StartOptions } from './service-process';
