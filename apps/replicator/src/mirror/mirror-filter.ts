import { EVENT_HEADERS, headersToStrings, REPLICATION_HEADERS } from '@keel/messaging';
import type { IHeaders, Message } from 'kafkajs';

/** What became of one source message; also the `outcome` label of `keel_replicator_messages_total`. */
export type MirrorOutcome = 'copied' | 'skipped-own' | 'skipped-malformed';

/** A message as the consumer hands it over (kafkajs's `KafkaMessage`, the fields the copy needs). */
export interface SourceMessage {
  key: Buffer | null;
  value: Buffer | null;
  timestamp: string;
  headers?: IHeaders;
}

export type MirrorVerdict =
  | { outcome: 'copied'; copy: Message }
  | { outcome: 'skipped-own'; origin: string }
  | { outcome: 'skipped-malformed'; detail: string };

/**
 * Decides one message's fate without touching Kafka. Only events that happened in the source
 * region are copied: anything else in the source's topics is a copy this replicator's twin made
 * there earlier (origin = our region), and copying it back would loop forever.
 *
 * The origin is read from the `origin-region` header the producer sets, so the body is not parsed
 * on the hot path; a message without the header falls back to the JSON envelope's `origin`. One
 * with neither is skipped, not copied: the source region's own consumers dead-letter it there.
 */
export function mirrorVerdict(message: SourceMessage, sourceRegion: string): MirrorVerdict {
  const origin = originOf(message);
  if (!origin.ok) return { outcome: 'skipped-malformed', detail: origin.detail };
  if (origin.region !== sourceRegion) return { outcome: 'skipped-own', origin: origin.region };
  return { outcome: 'copied', copy: mirroredCopy(message, sourceRegion) };
}

type Origin = { ok: true; region: string } | { ok: false; detail: string };

export function originOf(message: SourceMessage): Origin {
  const header = headersToStrings(message.headers)[EVENT_HEADERS.origin];
  if (header) return { ok: true, region: header };
  if (message.value === null || message.value.length === 0) return { ok: false, detail: `no ${EVENT_HEADERS.origin} header and no value` };
  let body: unknown;
  try {
    body = JSON.parse(message.value.toString('utf8'));
  } catch {
    return { ok: false, detail: `no ${EVENT_HEADERS.origin} header and the value is not JSON` };
  }
  const origin = (body as { origin?: unknown } | null)?.origin;
  if (typeof origin === 'string' && origin.length > 0) return { ok: true, region: origin };
  return { ok: false, detail: `no ${EVENT_HEADERS.origin} header and no origin in the envelope` };
}

/**
 * The copy to write to the target: key, value, timestamp and every header as they came (trace
 * context and deadline baggage included, so the copy continues the producer's trace), plus
 * `keel-replicated-from`. The same key lands on the same partition number on both sides
 * (murmur2, same partition count), so per-order order holds in the target.
 */
export function mirroredCopy(message: SourceMessage, sourceRegion: string): Message {
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) if (value !== undefined) headers[name] = value;
  headers[REPLICATION_HEADERS.replicatedFrom] = sourceRegion;
  return { key: message.key, value: message.value, timestamp: message.timestamp, headers };
}
