import './instrument';
import { runService } from '@keel/service-kit';
import { checkEdgeEnv, edgeEnv } from './edge.env';
import { EdgeModule } from './edge.module';

runService({ module: EdgeModule, env: edgeEnv, checkEnv: checkEdgeEnv });
