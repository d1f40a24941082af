export { freePort, startServiceProcess, tempDir, WORKSPACE_ROOT, type ServiceProcess, type StartOptions } from './service-process';
