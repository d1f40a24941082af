import { describe, expect, it } from 'vitest';
import { countOtlpSpans } from './otlp-spans';

/** Minimal protobuf writer: a length-delimited field (wire type 2) and a varint field (wire type 0). */
const bytes = (field: number, value: Uint8Array) => Buffer.concat([Buffer.from([(field << 3) | 2, value.length]), value]);
const varint = (field: number, value: number) => Buffer.from([(field << 3) | 0, value]);
const message = (...parts: Buffer[]) => Buffer.concat(parts);

const span = (name: string) => message(bytes(5, Buffer.from(name)), varint(6, 2));
const scopeSpans = (...spans: Buffer[]) => message(bytes(1, bytes(1, Buffer.from('keel'))), ...spans.map((s) => bytes(2, s)));
const resourceSpans = (...scopes: Buffer[]) => message(bytes(1, Buffer.from([])), ...scopes.map((s) => bytes(2, s)));

describe('countOtlpSpans', () => {
  it('counts spans across resources and scopes, and nothing else', () => {
    const request = message(bytes(1, resourceSpans(scopeSpans(span('GET'), span('GET /products')), scopeSpans(span('x')))), bytes(1, resourceSpans(scopeSpans())));
    expect(countOtlpSpans(request)).toBe(3);
    expect(countOtlpSpans(new Uint8Array())).toBe(0);
  });

  it('refuses a truncated message instead of guessing', () => {
    const request = message(bytes(1, resourceSpans(scopeSpans(span('GET')))));
    expect(() => countOtlpSpans(request.subarray(0, request.length - 2))).toThrow(RangeError);
  });
});
