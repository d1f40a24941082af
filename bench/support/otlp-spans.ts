/**
 * Counts the spans in an OTLP `ExportTraceServiceRequest` (protobuf) without a protobuf library,
 * so the benchmark's sink can show that traces were really exported, not just produced. Only the
 * path to the spans is walked: request.resource_spans (1) → scope_spans (2) → spans (2).
 */

interface Field {
  number: number;
  /** For length-delimited fields: the bytes of the value. */
  bytes?: Uint8Array;
}

function varint(buffer: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (let i = at; i < buffer.length; i++) {
    const byte = buffer[i];
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, i + 1];
    shift += 7;
    if (shift > 63) break;
  }
  throw new RangeError('bad varint');
}

/** The top-level fields of one protobuf message, in order. */
export function fields(buffer: Uint8Array): Field[] {
  const out: Field[] = [];
  let at = 0;
  while (at < buffer.length) {
    const [key, afterKey] = varint(buffer, at);
    const number = Math.floor(key / 8);
    const wireType = key & 7;
    if (wireType === 0) at = varint(buffer, afterKey)[1];
    else if (wireType === 1) at = afterKey + 8;
    else if (wireType === 5) at = afterKey + 4;
    else if (wireType === 2) {
      const [length, start] = varint(buffer, afterKey);
      if (start + length > buffer.length) throw new RangeError('truncated field');
      out.push({ number, bytes: buffer.subarray(start, start + length) });
      at = start + length;
      continue;
    } else throw new RangeError(`unsupported wire type ${wireType}`);
    out.push({ number });
  }
  if (at !== buffer.length) throw new RangeError('truncated message');
  return out;
}

const children = (buffer: Uint8Array, number: number): Uint8Array[] =>
  fields(buffer)
    .filter((f) => f.number === number && f.bytes)
    .map((f) => f.bytes as Uint8Array);

export function countOtlpSpans(request: Uint8Array): number {
  let spans = 0;
  for (const resourceSpans of children(request, 1)) for (const scopeSpans of children(resourceSpans, 2)) spans += children(scopeSpans, 2).length;
  return spans;
}
