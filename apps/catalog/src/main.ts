import './instrument';
import { runService } from '@keel/service-kit';
import { CatalogModule } from './catalog.module';
import { catalogEnv } from './catalog.env';

runService({ module: CatalogModule, env: catalogEnv });
