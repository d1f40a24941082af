import './instrument';
import { runService } from '@keel/service-kit';
import { RecommendationsModule } from './recommendations.module';
import { recommendationsEnv } from './recommendations.env';

runService({ module: RecommendationsModule, env: recommendationsEnv });
