import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { openDatabase, Readiness, SERVICE_ENV } from '@keel/service-kit';
import type { RecommendationsEnv } from '../recommendations.env';

/**
 * Idempotent schema. `order_signals` remembers every order already counted, which is what makes a
 * repeated signal (a retried delivery, a replayed event) count once.
 */
export function migrateRecommendations(db: DatabaseSync): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS order_signals (
      order_id     TEXT PRIMARY KEY,
      received_at  TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS product_popularity (
      product_id  TEXT PRIMARY KEY,
      units       INTEGER NOT NULL CHECK (units >= 0)
    );
  `);
}

/** The popularity store, opened in the constructor and closed after the listener has stopped. */
@Injectable()
export class RecommendationsDatabase implements OnApplicationShutdown {
  readonly db: DatabaseSync;

  constructor(@Inject(SERVICE_ENV) env: RecommendationsEnv, readiness: Readiness) {
    this.db = openDatabase(join(env.KEEL_DATA_DIR, 'recommendations.db'));
    migrateRecommendations(this.db);
    readiness.add('database', () => {
      this.db.prepare('SELECT 1').get();
    });
  }

  onApplicationShutdown(): void {
    if (this.db.isOpen) this.db.close();
  }
}
