export { systemClock, type CallOptions, type Clock, type Deadline } from './types';
export * from './criticality';
export * from './deadline';
export * from './fallback';
export * from './shedding';
export * from './policies';
