/**
 * Probes and scrapes: never shed, never given a deadline. An overloaded instance must still say
 * how it is doing, or the orchestrator and the dashboards go blind exactly when they are needed.
 */
export const UNTOUCHABLE_PATHS = /^\/(health\/|metrics(\/|\?|$))/;
