import { DLQ_HEADERS, type RawHeaders } from './headers';

/** Why a message went to the dead-letter topic: a parse rejection, or what happened in the handler. */
export type DeadLetterReason =
  | 'empty-message'
  | 'malformed-json'
  | 'invalid-envelope'
  | 'unknown-event-type'
  | 'unsupported-version'
  | 'invalid-data'
  | 'wrong-topic'
  /** The handler threw on every one of `maxAttempts` attempts. */
  | 'handler-failed'
  /** The handler threw `UnprocessableEventError`: retrying cannot help. */
  | 'handler-rejected';

/** A message as it was consumed, before any decoding: what a dead letter must preserve. */
export interface ConsumedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers: RawHeaders;
}

export interface DeadLetter {
  reason: DeadLetterReason;
  detail: string;
  attempts: number;
  consumerGroup: string;
}

/** Detail is for a human; a stack or a huge validation report must not bloat every DLQ message. */
const MAX_DETAIL_CHARS = 1_000;

/**
 * The message to put on the dead-letter topic: the original key, value and headers byte for byte
 * (so it can be replayed as it was), plus headers saying where it came from and why it is here.
 */
export function deadLetterMessage(original: ConsumedMessage, letter: DeadLetter, now = new Date()): {
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers: Record<string, Buffer | string | (Buffer | string)[]>;
} {
  const headers: Record<string, Buffer | string | (Buffer | string)[]> = {};
  for (const [name, value] of Object.entries(original.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? [...value] : (value as Buffer | string);
  Object.assign(headers, {
    [DLQ_HEADERS.reason]: letter.reason,
    [DLQ_HEADERS.detail]: letter.detail.slice(0, MAX_DETAIL_CHARS),
    [DLQ_HEADERS.attempts]: String(letter.attempts),
    [DLQ_HEADERS.topic]: original.topic,
    [DLQ_HEADERS.partition]: String(original.partition),
    [DLQ_HEADERS.offset]: original.offset,
    [DLQ_HEADERS.consumerGroup]: letter.consumerGroup,
    [DLQ_HEADERS.at]: now.toISOString(),
  });
  return { key: original.key, value: original.value, headers };
}
