/** How the gateway's OpenAPI document (`/api/docs-json`) introduces itself. */
export const GATEWAY_OPENAPI = {
  title: 'keel public API',
  description:
    'The public API of one keel region, served by every regional gateway and, across regions, by edge on :8080. ' +
    'Every response carries `x-served-by: <region>/<service>@<version>`. Errors are RFC 9457 problem JSON ' +
    '(`application/problem+json`); 503 and 429 come with `Retry-After`. A degraded answer names what it left out ' +
    'in its `degraded` field and the `x-degraded` header. `POST /api/checkout` requires an `Idempotency-Key`.',
};
