import './instrument';
import { runService } from '@keel/service-kit';
import { paymentProviderEnv } from './payment-provider.env';
import { PaymentProviderModule } from './payment-provider.module';

runService({ module: PaymentProviderModule, env: paymentProviderEnv });
