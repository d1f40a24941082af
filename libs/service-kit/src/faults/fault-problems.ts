import { problem, ProblemException } from '../problem';

/**
 * What each fault mode answers. `fail` and `refuse` look the same for every fake third party
 * (it is down; it is rate-limiting you); `decline` is the app's own business refusal (a card
 * declined, a shipment refused), so every app that takes faults must say what it is.
 */
export interface FaultProblems {
  fail: () => ProblemException;
  refuse: () => ProblemException;
  decline: () => ProblemException;
}

/** The app's answers for `FaultsModule.forRoot`; `fail` and `refuse` default to the generic ones below. */
export type FaultProblemOptions = Pick<FaultProblems, 'decline'> & Partial<FaultProblems>;

export const FAULT_PROBLEMS = Symbol('FAULT_PROBLEMS');

/** mode `fail`: 503, as a third party that is down answers. */
export function faultUnavailable(title = 'Service unavailable', slug = 'unavailable'): ProblemException {
  return problem(503, slug, title, 'injected fault: fail');
}

/** mode `refuse`: 429 with `Retry-After`, as a third party that is rate-limiting answers. */
export function faultRefusing(title = 'Service is refusing requests'): ProblemException {
  return new ProblemException({ type: '/problems/too-many-requests', title, status: 429, detail: 'injected fault: refuse' }, { 'retry-after': '1' });
}
