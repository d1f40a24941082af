import './instrument';
import { runService } from '@keel/service-kit';
import { gatewayEnv } from './gateway.env';
import { GatewayModule } from './gateway.module';
import { GATEWAY_OPENAPI } from './openapi/openapi-info';

runService({ module: GatewayModule, env: gatewayEnv, openapi: GATEWAY_OPENAPI });
