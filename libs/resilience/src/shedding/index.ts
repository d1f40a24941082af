export { SHEDDING_DEFAULTS } from './defaults';
export { LoadShedder, type LoadShedderOptions, type ShedDecision, type ShedSignal } from './load-shedder';
export { LoadSignals, type LoadReadings, type LoadSignalsOptions } from './load-signals';
export { countShed, observeLoad } from './metrics';
