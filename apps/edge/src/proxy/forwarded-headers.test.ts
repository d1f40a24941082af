import { describe, expect, it } from 'vitest';
import { downstreamResponseHeaders, upstreamRequestHeaders } from './forwarded-headers';

describe('upstreamRequestHeaders', () => {
  it('keeps end-to-end headers and drops hop-by-hop ones, including those named by connection', () => {
    const out = upstreamRequestHeaders(
      {
        'content-type': 'application/json',
        'idempotency-key': 'k1',
        'x-client-region': 'eu-west',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        connection: 'keep-alive, x-secret-hop',
        'x-secret-hop': '1',
        'keep-alive': 'timeout=5',
        'transfer-encoding': 'chunked',
        upgrade: 'websocket',
        host: 'localhost:8080',
        'content-length': '12',
      },
      { ip: '127.0.0.1', protocol: 'http', host: 'localhost:8080' },
    );
    expect(out).toEqual({
      'content-type': 'application/json',
      'idempotency-key': 'k1',
      'x-client-region': 'eu-west',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'localhost:8080',
    });
  });

  it('never passes on baggage or forwarding claims from outside', () => {
    const out = upstreamRequestHeaders(
      { baggage: 'keel.deadline=99999999999999', 'x-forwarded-for': '10.0.0.1', forwarded: 'for=10.0.0.1', 'x-forwarded-proto': 'https' },
      { ip: '127.0.0.9', protocol: 'http' },
    );
    expect(out).toEqual({ 'x-forwarded-for': '127.0.0.9', 'x-forwarded-proto': 'http' });
  });
});

describe('downstreamResponseHeaders', () => {
  it('passes the answer’s headers back without hop-by-hop ones', () => {
    const out = downstreamResponseHeaders({
      'content-type': 'application/json',
      'content-length': '2',
      'x-served-by': 'eu-west/gateway@1.0.0',
      'set-cookie': ['a=1', 'b=2'],
      connection: 'keep-alive',
      'keep-alive': 'timeout=72',
      'transfer-encoding': 'chunked',
    });
    expect(out).toEqual({ 'content-type': 'application/json', 'content-length': '2', 'x-served-by': 'eu-west/gateway@1.0.0', 'set-cookie': ['a=1', 'b=2'] });
  });
});
