export { DEADLINE_BAGGAGE, deadlineFromBaggage, deadlineToBaggage, remainingFromBaggage, type DeadlineReadOptions } from './baggage-codec';
export { clockSkewFromEnv, skewedClock, wallClock } from './clock';
export { budgetFor, currentDeadline, deadlineForCall, withCurrentDeadline, withDeadline, withoutDeadline } from './context';
export { clockOf, DeadlineExceededError, ExpiringDeadline } from './deadline';
export { DEADLINE_DEFAULTS } from './defaults';
export { countDeadlineExpired } from './metrics';
