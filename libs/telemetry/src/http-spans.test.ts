import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { clientTarget, startClientSpan, startServerSpan } from './http-spans';

const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
/** The processor hands spans to the exporter asynchronously. */
async function finishedSpans() {
  await provider.forceFlush();
  return exporter.getFinishedSpans();
}
const INBOUND_TRACE = '0af7651916cd43dd8448eb211c80319c';
const INBOUND_SPAN = 'b7ad6b7169203331';

beforeAll(() => {
  trace.setGlobalTracerProvider(provider);
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});
afterAll(() => {
  trace.disable();
  propagation.disable();
  context.disable();
});
beforeEach(() => exporter.reset());

describe('HTTP spans', () => {
  it('continues the caller’s trace on the way in, and carries it and the baggage on the way out', async () => {
    const server = startServerSpan({
      method: 'GET',
      path: '/api/products/p-001',
      route: '/api/products/:id',
      headers: { traceparent: `00-${INBOUND_TRACE}-${INBOUND_SPAN}-01`, baggage: 'keel.deadline=123' },
    });
    expect(propagation.getBaggage(server.context)?.getEntry('keel.deadline')?.value).toBe('123');

    const call = startClientSpan(clientTarget('http://127.0.0.1:8102/', 'catalog'), 'GET', '/products/p-001', server.context);
    const [, traceId, spanId] = call.headers.traceparent.split('-');
    expect(traceId).toBe(INBOUND_TRACE);
    expect(call.headers.baggage).toBe('keel.deadline=123');
    call.end({ status: 200 });
    server.end({ status: 200 });

    const [client, incoming] = await finishedSpans();
    expect(incoming).toMatchObject({ name: 'GET /api/products/:id', kind: SpanKind.SERVER, parentSpanContext: { spanId: INBOUND_SPAN } });
    expect(incoming.attributes).toMatchObject({ 'http.request.method': 'GET', 'http.route': '/api/products/:id', 'url.path': '/api/products/p-001', 'http.response.status_code': 200 });
    expect(client.spanContext().spanId).toBe(spanId);
    expect(client).toMatchObject({ kind: SpanKind.CLIENT, parentSpanContext: { spanId: incoming.spanContext().spanId } });
    expect(client.attributes).toMatchObject({ 'server.address': '127.0.0.1', 'server.port': 8102, 'url.full': 'http://127.0.0.1:8102/products/p-001', 'keel.dependency': 'catalog', 'http.response.status_code': 200 });
  });

  it('ends a server span once when a request both answers and is aborted, keeping the first outcome', async () => {
    const server = startServerSpan({ method: 'GET', path: '/x', headers: {} });
    const end = vi.spyOn(server.span, 'end');
    const setAttribute = vi.spyOn(server.span, 'setAttribute');
    server.end({ status: 200 });
    server.end({ error: 'aborted' });
    expect(end).toHaveBeenCalledTimes(1);
    expect(setAttribute).not.toHaveBeenCalledWith('error.type', 'aborted');
  });

  it('starts a new trace when the caller sent none', async () => {
    const server = startServerSpan({ method: 'POST', path: '/api/checkout', route: '/api/checkout', headers: {} });
    server.end({ status: 201 });
    const [span] = await finishedSpans();
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('marks a server span failed on 5xx only, a client span on 4xx, 5xx or no answer', async () => {
    const target = clientTarget('http://127.0.0.1:9/');
    startServerSpan({ method: 'GET', path: '/x', headers: {} }).end({ status: 404 });
    startServerSpan({ method: 'GET', path: '/x', headers: {} }).end({ status: 503 });
    startClientSpan(target, 'GET', '/x', ROOT_CONTEXT).end({ status: 404 });
    startClientSpan(target, 'GET', '/x', ROOT_CONTEXT).end({ error: 'ECONNREFUSED' });
    const [server404, server503, client404, refused] = await finishedSpans();
    expect(server404.status.code).toBe(SpanStatusCode.UNSET);
    expect(server503).toMatchObject({ status: { code: SpanStatusCode.ERROR }, attributes: { 'error.type': '503' } });
    expect(client404).toMatchObject({ status: { code: SpanStatusCode.ERROR }, attributes: { 'error.type': '404' } });
    expect(refused).toMatchObject({ status: { code: SpanStatusCode.ERROR }, attributes: { 'error.type': 'ECONNREFUSED' } });
    expect(refused.attributes['http.response.status_code']).toBeUndefined();
  });
});
