import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { openDatabase, Readiness, SERVICE_ENV } from '@keel/service-kit';
import type { CatalogEnv } from '../catalog.env';
import { migrateCatalog, seedProductsIfEmpty } from './catalog-schema';

/**
 * The catalog's SQLite file, opened in the constructor so every repository can prepare its
 * statements in its own constructor. Closed after the HTTP listener has stopped taking requests.
 */
@Injectable()
export class CatalogDatabase implements OnApplicationShutdown {
  readonly db: DatabaseSync;

  constructor(@Inject(SERVICE_ENV) env: CatalogEnv, readiness: Readiness) {
    this.db = openDatabase(join(env.KEEL_DATA_DIR, 'catalog.db'));
    migrateCatalog(this.db);
    seedProductsIfEmpty(this.db);
    readiness.add('database', () => {
      this.db.prepare('SELECT 1').get();
    });
  }

  onApplicationShutdown(): void {
    if (this.db.isOpen) this.db.close();
  }
}
