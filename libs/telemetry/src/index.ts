export { identityFromEnv, servedBy, type ServiceIdentity } from './identity';
export { startTelemetry, telemetry, traceLogFields, type Telemetry } from './sdk';
export { clientTarget, startClientSpan, startServerSpan, type ClientSpan, type ClientTarget, type HttpOutcome, type ServerSpan } from './http-spans';
