import './instrument';
import { POLICY_DEFAULTS } from '@keel/resilience';
import { runService } from '@keel/service-kit';
import { CATALOG_CONNECTIONS } from './downstream/downstream-services';
import { gatewayEnv } from './gateway.env';
import { GatewayModule } from './gateway.module';
import { GATEWAY_OPENAPI } from './openapi/openapi-info';

/**
 * Tier 1 is refused at the door once more requests are in flight than the catalog bulkhead admits
 * (its connections running, the default queue waiting): past that, a product page would be refused
 * inside, by the bulkhead, after costing most of a served page, where a refusal at the door costs
 * a fraction (docs/performance.md, overload). Tier 2 goes at 75% of it, Tier 3 at 50%.
 */
const IN_FLIGHT_LIMIT = CATALOG_CONNECTIONS + POLICY_DEFAULTS.bulkhead.maxQueued;

// The gateway is where outside traffic enters: it ignores inbound baggage and sets each route's deadline.
runService({ module: GatewayModule, env: gatewayEnv, openapi: GATEWAY_OPENAPI, trustBoundary: {}, loadShedding: { limits: { inFlight: IN_FLIGHT_LIMIT } } });
