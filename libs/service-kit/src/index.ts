export { AdminRoutes, type AdminRequest, type AdminRoute } from './admin/admin-routes';
export { bootstrapService, runService, type BootstrapOptions, type RunningService } from './bootstrap';
export { baseEnvSchema, parseEnv, InvalidEnvironmentError, type BaseEnv } from './env';
export { Readiness, type ReadinessCheck } from './health/readiness';
export { DependencyError, HttpDependency, type CallOptions, type DependencyResponse, type HttpDependencyOptions } from './http-dependency';
export { problem, ProblemException, PROBLEM_CONTENT_TYPE, toProblem, type ProblemDetails } from './problem';
export { ServiceKitModule, SERVICE_ENV } from './service-kit.module';
export { openDatabase, transaction } from './sqlite';
