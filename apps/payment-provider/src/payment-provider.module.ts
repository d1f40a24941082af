import { Module } from '@nestjs/common';
import { ChargesController } from './charges/charges.controller';
import { Ledger } from './charges/ledger';
import { Payments } from './charges/payments';
import { ProviderDatabase } from './database/provider-database';
import { FaultInterceptor } from './faults/fault.interceptor';
import { FaultSettings } from './faults/fault-settings';
import { ProviderAdmin } from './provider-admin';

/** A stand-in for an external payment company: idempotent charges and refunds, faults on demand. Wiring only. */
@Module({
  controllers: [ChargesController],
  providers: [ProviderDatabase, Ledger, Payments, FaultSettings, FaultInterceptor, ProviderAdmin],
})
export class PaymentProviderModule {}
