export { systemClock, type CallOptions, type Clock, type Deadline } from './types';
