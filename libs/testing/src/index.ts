export { eventually } from './eventually';
export { FixtureServer, sendJson, startFixtureServer, type FixtureRequest, type FixtureResponder } from './fixture-server';
export { freePort } from './free-port';
export { KAFKA_BROKER_ENTRY, startKafkaProcess, type KafkaProcess, type KafkaStartOptions } from './kafka-process';
export { spawnService, startServiceProcess, tempDir, WORKSPACE_ROOT, type ServiceProcess, type StartOptions } from './service-process';
