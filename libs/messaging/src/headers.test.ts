import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { currentDeadline, DEADLINE_BAGGAGE, ExpiringDeadline, withDeadline } from '@keel/resilience';
import { startTelemetry } from '@keel/telemetry';
import { describe, expect, it } from 'vitest';
import { contextFromHeaders, contextHeaders, EVENT_HEADERS, eventHeaders, headersToStrings } from './headers';

// The real propagators (W3C tracecontext + baggage) and context manager, as every service has them.
startTelemetry({ service: 'test', instance: 'test', region: 'test', version: '0' });
const tracer = trace.getTracer('test');
const event = { id: '6f1c1f7e-5b7a-4a51-9f7e-0c4b7c2d1e11', type: 'order.created' as const, origin: 'us-east' };

describe('event headers', () => {
  it('name the event and where it happened', () => {
    const headers = eventHeaders(event, ROOT_CONTEXT);
    expect(headers[EVENT_HEADERS.id]).toBe(event.id);
    expect(headers[EVENT_HEADERS.type]).toBe('order.created');
    expect(headers[EVENT_HEADERS.origin]).toBe('us-east');
    expect(headers.traceparent).toBeUndefined();
  });

  it('carry the trace and the deadline across a string-map round trip', () => {
    const span = tracer.startSpan('request');
    const sent = withDeadline(trace.setSpan(ROOT_CONTEXT, span), ExpiringDeadline.after(3_000));
    const headers = eventHeaders(event, sent);
    expect(headers.traceparent).toMatch(new RegExp(`^00-${span.spanContext().traceId}-${span.spanContext().spanId}-0[01]$`));
    expect(headers.baggage).toContain(DEADLINE_BAGGAGE.budget);

    const received = contextFromHeaders(headers);
    expect(trace.getSpanContext(received)?.traceId).toBe(span.spanContext().traceId);
    expect(trace.getSpanContext(received)?.isRemote).toBe(true);
    const remaining = currentDeadline(received)?.remainingMs() ?? 0;
    expect(remaining).toBeGreaterThan(2_900);
    expect(remaining).toBeLessThanOrEqual(3_000);
    span.end();
  });

  it('stamp the deadline at send time, not when it entered the context', () => {
    let now = 10_000;
    const clock = { now: () => now, setTimeout: () => 0, clearTimeout: () => undefined };
    const ctx = withDeadline(ROOT_CONTEXT, ExpiringDeadline.after(1_000, clock));
    now += 400;
    const baggage = decodeURIComponent(contextHeaders(ctx).baggage ?? '');
    expect(baggage).toContain(`${DEADLINE_BAGGAGE.budget}=600`);
  });

  it('give a message without context a fresh root: nothing from the consumer loop leaks in', () => {
    const span = tracer.startSpan('consumer loop');
    const received = context.with(trace.setSpan(ROOT_CONTEXT, span), () => contextFromHeaders({}));
    expect(trace.getSpanContext(received)).toBeUndefined();
    expect(currentDeadline(received)).toBeUndefined();
    span.end();
  });

  it('ignore a deadline entry that is not a number', () => {
    const received = contextFromHeaders({ baggage: `${DEADLINE_BAGGAGE.budget}=soon` });
    expect(currentDeadline(received)).toBeUndefined();
  });
});

describe('headersToStrings', () => {
  it('decodes bytes, takes the first of repeated values, drops missing ones and lower-cases names', () => {
    expect(
      headersToStrings({ 'event-id': Buffer.from('e1'), TraceParent: 'tp', repeated: [Buffer.from('a'), 'b'], gone: undefined }),
    ).toEqual({ 'event-id': 'e1', traceparent: 'tp', repeated: 'a' });
    expect(headersToStrings(undefined)).toEqual({});
  });
});
