import './instrument';
import { runService } from '@keel/service-kit';
import { checkReplicatorEnv, replicatorEnv } from './replicator.env';
import { ReplicatorModule } from './replicator.module';

runService({ module: ReplicatorModule, env: replicatorEnv, checkEnv: checkReplicatorEnv });
