import { propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';

// keel makes its HTTP spans itself rather than through @opentelemetry/instrumentation-http and
// -undici: those wrap every request, response and socket event (and record metrics of their own
// beside keel's), which cost ~30% of the gateway's CPU per request (docs/performance.md). keel
// has one way in (Fastify, via service-kit's hooks) and one way out (service-kit's HttpDependency,
// and edge's proxy), so two small functions cover every hop.

// A proxy that finds the SDK's tracer once one is registered: looked up once, not per span.
const tracer = trace.getTracer('keel-http');

/** How a span's HTTP exchange ended: the status that came back, or the error instead of one. */
export interface HttpOutcome {
  status?: number;
  /** A short class of failure (`timeout`, `ECONNREFUSED`, `aborted`) for `error.type`. */
  error?: string;
}

function finish(span: Span, outcome: HttpOutcome, serverSide: boolean): void {
  if (span.isRecording()) {
    if (outcome.status !== undefined) span.setAttribute('http.response.status_code', outcome.status);
    // A server span fails on 5xx only; a client span on any 4xx/5xx or no answer (semconv).
    const failed = outcome.error !== undefined || (outcome.status !== undefined && outcome.status >= (serverSide ? 500 : 400));
    if (failed) {
      span.setAttribute('error.type', outcome.error ?? String(outcome.status));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
  }
  span.end();
}

export interface ServerSpan {
  /** The context to run the request's work in: the caller's trace (and baggage) plus this span. */
  readonly context: Context;
  readonly span: Span;
  /** Ends the span once; later calls (a request both answered and aborted) do nothing. */
  end(outcome: HttpOutcome): void;
}

/**
 * The SERVER span of one inbound request, child of the caller's `traceparent` when it sent one.
 * The returned context also holds the request's inbound baggage, as extracted.
 */
export function startServerSpan(request: { method: string; path: string; route?: string; headers: Record<string, unknown> }): ServerSpan {
  const parent = propagation.extract(ROOT_CONTEXT, request.headers);
  const name = request.route ? `${request.method} ${request.route}` : request.method;
  const span = tracer.startSpan(name, { kind: SpanKind.SERVER }, parent);
  if (span.isRecording()) {
    const attributes: Attributes = { 'http.request.method': request.method, 'url.path': request.path };
    if (request.route) attributes['http.route'] = request.route;
    span.setAttributes(attributes);
  }
  let ended = false;
  const end = (outcome: HttpOutcome) => {
    if (ended) return;
    ended = true;
    finish(span, outcome, true);
  };
  return { span, context: trace.setSpan(parent, span), end };
}

export interface ClientSpan {
  /** `traceparent` (and `baggage`, when the context has any) for the outgoing request. */
  readonly headers: Record<string, string>;
  end(outcome: HttpOutcome): void;
}

/** Where outgoing calls go: parsed once per pool, not once per call. */
export interface ClientTarget {
  readonly origin: string;
  readonly attributes: Attributes;
}

/** `peer` names the dependency (`catalog`, a region) in the spans' `keel.dependency`. */
export function clientTarget(baseUrl: string, peer?: string): ClientTarget {
  const url = new URL(baseUrl);
  const attributes: Attributes = { 'server.address': url.hostname, 'server.port': Number(url.port) || (url.protocol === 'https:' ? 443 : 80) };
  if (peer) attributes['keel.dependency'] = peer;
  return { origin: url.origin, attributes };
}

/**
 * The CLIENT span of one outgoing request, child of `parent` (the caller's current context), and
 * the headers that carry its trace and the context's baggage (keel's deadline) to the callee.
 */
export function startClientSpan(target: ClientTarget, method: string, path: string, parent: Context): ClientSpan {
  const span = tracer.startSpan(method, { kind: SpanKind.CLIENT }, parent);
  if (span.isRecording()) {
    span.setAttributes(target.attributes);
    span.setAttributes({ 'http.request.method': method, 'url.full': `${target.origin}${path}` });
  }
  const headers: Record<string, string> = {};
  propagation.inject(trace.setSpan(parent, span), headers);
  return { headers, end: (outcome) => finish(span, outcome, false) };
}
