/**
 * Errors the stack reports, shaped as RFC 9457 problem details so the control API, the client
 * and the CLI all carry the same `type`/`title`/`status`/`detail` without translation.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
}

const TITLES: Record<string, [number, string]> = {
  unauthorized: [401, 'Missing or wrong bearer token'],
  'bad-request': [400, 'Bad request'],
  'unknown-action': [400, 'Unknown action'],
  'unknown-target': [404, 'Unknown target'],
  'not-found': [404, 'Not found'],
  'method-not-allowed': [405, 'Method not allowed'],
  conflict: [409, 'Conflict'],
  'shutting-down': [409, 'The stack is shutting down'],
  'start-failed': [500, 'Instance failed to start'],
  'port-in-use': [409, 'Port already in use'],
  'already-running': [409, 'A stack is already running'],
  'not-running': [503, 'No stack is running'],
  internal: [500, 'Internal error'],
};

export type ProblemKind = keyof typeof TITLES;

export const problemType = (kind: string) => `urn:keel:stack:${kind}`;

/** An error that knows which problem it is. `detail` is the message, written for a person. */
export class StackError extends Error {
  readonly status: number;
  readonly title: string;

  constructor(
    readonly kind: ProblemKind,
    detail: string,
    /** Response headers that belong with this problem (e.g. `allow` on a 405). */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'StackError';
    [this.status, this.title] = TITLES[kind] ?? TITLES['internal'];
  }

  toProblem(instance?: string): Problem {
    return { type: problemType(this.kind), title: this.title, status: this.status, detail: this.message, instance };
  }

  /** Rebuilds the error a problem document describes (client side). */
  static fromProblem(problem: Partial<Problem>, fallbackStatus: number): StackError {
    const kind = (problem.type ?? '').replace(/^urn:keel:stack:/, '');
    const error = new StackError(kind in TITLES ? kind : 'internal', problem.detail ?? problem.title ?? `HTTP ${fallbackStatus}`);
    return error;
  }
}

export function toProblem(error: unknown, instance?: string): Problem {
  if (error instanceof StackError) return error.toProblem(instance);
  const detail = error instanceof Error ? error.message : String(error);
  return new StackError('internal', detail).toProblem(instance);
}
