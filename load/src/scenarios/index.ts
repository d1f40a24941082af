import type { Scenario } from '../scenario';
import { load } from './load';
import { smoke } from './smoke';
import { soak } from './soak';
import { spike } from './spike';
import { stress } from './stress';

/** Every scenario `npm run load -- <name>` knows, in the order `--help` lists them. */
export const SCENARIOS: Readonly<Record<string, Scenario>> = { smoke, load, stress, spike, soak };
