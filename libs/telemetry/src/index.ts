export { identityFromEnv, servedBy, type ServiceIdentity } from './identity';
export { startTelemetry, telemetry, traceLogFields, type Telemetry } from './sdk';
