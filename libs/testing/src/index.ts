export { eventually } from './eventually';
export { FixtureServer, sendJson, startFixtureServer, type FixtureRequest, type FixtureResponder } from './fixture-server';
export { KAFKA_BROKER_ENTRY, startKafkaProcess, type KafkaProcess, type KafkaStartOptions } from './kafka-process';
export { freePort, spawnService, startServiceProcess, tempDir, WORKSPACE_ROOT, type ServiceProcess, type StartOptions } from './service-process';
