import './instrument';
import { runService } from '@keel/service-kit';
import { gatewayEnv } from './gateway.env';
import { GatewayModule } from './gateway.module';
import { GATEWAY_OPENAPI } from './openapi/openapi-info';

// The gateway is where outside traffic enters: it ignores inbound baggage and sets each route's deadline.
runService({ module: GatewayModule, env: gatewayEnv, openapi: GATEWAY_OPENAPI, trustBoundary: {} });
