import { sendJson, startFixtureServer, type FixtureServer } from '@keel/testing';

export type JsonHandler = (request: { method: string; path: string; body: unknown }) => { status: number; body?: unknown } | undefined;

/**
 * A JSON API stand-in for another service: `handler` gets the parsed body; a body that is not
 * JSON (or a handler that throws) answers 400, no answer from `handler` a 404, both as problems.
 */
export function startJsonServer(handler: JsonHandler): Promise<FixtureServer> {
  return startFixtureServer(({ method, url, body: text }, res) => {
    let answer: { status: number; body?: unknown } | undefined;
    try {
      answer = handler({ method, path: url, body: text ? JSON.parse(text) : undefined });
    } catch {
      answer = { status: 400, body: { type: '/problems/bad-request', title: 'Bad request', status: 400 } };
    }
    answer ??= { status: 404, body: { type: '/problems/not-found', title: 'Not found', status: 404 } };
    sendJson(res, answer.status, answer.body);
  });
}
