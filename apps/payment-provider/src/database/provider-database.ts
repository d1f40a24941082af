import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { openDatabase, Readiness, SERVICE_ENV } from '@keel/service-kit';
import type { PaymentProviderEnv } from '../payment-provider.env';
import { migrateLedger } from './ledger-schema';

/**
 * This provider's ledger: `<KEEL_DATA_DIR>/<instance>.db`. Opened in the constructor so the
 * ledger can prepare its statements in its own; closed once the listener has stopped.
 */
@Injectable()
export class ProviderDatabase implements OnApplicationShutdown {
  readonly db: DatabaseSync;

  constructor(@Inject(SERVICE_ENV) env: PaymentProviderEnv, @Inject(Readiness) readiness: Readiness) {
    this.db = openDatabase(join(env.KEEL_DATA_DIR, `${env.KEEL_INSTANCE}.db`));
    migrateLedger(this.db);
    readiness.add('database', () => {
      this.db.prepare('SELECT 1').get();
    });
  }

  onApplicationShutdown(): void {
    if (this.db.isOpen) this.db.close();
  }
}
