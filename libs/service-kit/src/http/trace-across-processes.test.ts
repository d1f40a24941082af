import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startFixtureServer, type FixtureServer } from '@keel/testing';
import { startProbeProcess, type ProbeProcess } from '../testing/probe-process';

/**
 * One trace across real processes: a caller's traceparent enters at the trust boundary, each keel
 * hop continues it with spans of its own, and the last hop receives it (with keel's deadline in
 * baggage, and none of the baggage the outside caller sent).
 */
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

let lastHop: FixtureServer;
const seen: { traceparent?: string; baggage?: string }[] = [];
let gateway: ProbeProcess;
let downstream: ProbeProcess;

beforeAll(async () => {
  lastHop = await startFixtureServer((request, res) => {
    seen.push({ traceparent: request.headers.traceparent as string, baggage: request.headers.baggage as string });
    res.end('{}');
  });
  [gateway, downstream] = await Promise.all([startProbeProcess({ PROBE_READ_MS: '5000' }), startProbeProcess({ KEEL_LOG_LEVEL: 'info' })]);
}, 90_000);

afterAll(async () => {
  await Promise.all([gateway?.stop(), downstream?.stop(), lastHop?.stop()]);
});

describe('a trace across keel processes', () => {
  it('continues the caller’s trace through every hop; only keel’s own baggage travels', async () => {
    const downstreamHop = `${downstream.url}/hop?next=${encodeURIComponent(`${lastHop.url}/last`)}`;
    const response = await fetch(`${gateway.url}/hop?next=${encodeURIComponent(downstreamHop)}`, {
      headers: { traceparent: `00-${TRACE}-${CALLER_SPAN}-01`, baggage: 'tenant=outsider' },
    });
    expect(response.status).toBe(200);

    expect(seen).toHaveLength(1);
    const [version, traceId, parentSpan, flags] = seen[0].traceparent?.split('-') ?? [];
    expect([version, traceId, flags]).toEqual(['00', TRACE, '01']);
    expect(parentSpan).toMatch(/^[0-9a-f]{16}$/);
    expect(parentSpan).not.toBe(CALLER_SPAN);
    expect(seen[0].baggage).toMatch(/keel\.deadline\./);
    expect(seen[0].baggage).not.toMatch(/tenant/);

    // The middle hop's request line names the same trace. It is written once the answer has gone,
    // and reaches this process through a pipe: wait for it.
    const requestLine = () =>
      downstream
        .output()
        .split('\n')
        .filter((text) => text.includes('"request completed"'))
        .map((text) => JSON.parse(text) as { trace_id?: string; req: { url: string } })
        .find((entry) => entry.req.url.startsWith('/hop'));
    expect(await eventually(() => requestLine() !== undefined, 5_000, 20)).toBe(true);
    expect(requestLine()?.trace_id).toBe(TRACE);
  });
});
