import './instrument';
import { runService } from '@keel/service-kit';
import { carrierEnv } from './carrier.env';
import { CarrierModule } from './carrier.module';

runService({ module: CarrierModule, env: carrierEnv });
