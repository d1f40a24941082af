import type { IncomingHttpHeaders } from 'node:http';

/** Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection and are never forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/**
 * Request headers edge sets itself or must not pass on: `host` and `content-length` are the
 * upstream connection's; `expect` is answered by edge's own server; `baggage` from outside is
 * never trusted (the gateway puts the deadline there); and edge is the first hop that can vouch for
 * the client's address, so `x-forwarded-*` from outside are dropped and rewritten.
 */
const NOT_FORWARDED = new Set(['host', 'content-length', 'expect', 'baggage', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'forwarded']);

export type HeaderMap = Record<string, string | string[] | undefined>;

/** Header names the `connection` header lists are hop-by-hop for this message too. */
function connectionListed(headers: HeaderMap): Set<string> {
  const value = headers.connection;
  const listed = Array.isArray(value) ? value.join(',') : (value ?? '');
  return new Set(listed.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean));
}

export interface ClientFacts {
  ip: string;
  protocol: string;
  host?: string;
}

/** The headers to send upstream: the client's end-to-end headers plus who the client is. */
export function upstreamRequestHeaders(incoming: IncomingHttpHeaders, client: ClientFacts): Record<string, string | string[]> {
  const listed = connectionListed(incoming);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || HOP_BY_HOP.has(name) || NOT_FORWARDED.has(name) || listed.has(name)) continue;
    out[name] = value;
  }
  out['x-forwarded-for'] = client.ip;
  out['x-forwarded-proto'] = client.protocol;
  if (client.host) out['x-forwarded-host'] = client.host;
  return out;
}

/** The headers to send back to the client: the upstream's end-to-end headers, as they were. */
export function downstreamResponseHeaders(upstream: HeaderMap): Record<string, string | string[]> {
  const listed = connectionListed(upstream);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(upstream)) {
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name)) continue;
    out[name] = value;
  }
  return out;
}
