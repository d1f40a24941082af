import './instrument';
import { runService } from '@keel/service-kit';
import { checkoutEnv } from './checkout.env';
import { CheckoutModule } from './checkout.module';

runService({ module: CheckoutModule, env: checkoutEnv });
