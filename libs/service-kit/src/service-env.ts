/** Injection token for the validated environment: `@Inject(SERVICE_ENV) env: MyEnv`. */
export const SERVICE_ENV = Symbol('SERVICE_ENV');
