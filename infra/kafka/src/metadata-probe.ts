import { connect } from 'node:net';

/** What a broker says about its cluster: what a client's `describeCluster` would show. */
export interface ClusterDescription {
  brokers: Array<{ nodeId: number; host: string; port: number }>;
  controllerId: number;
  clusterId: string | null;
}

const METADATA = 3;
const VERSION = 4; // non-flexible, and served by Kafka 0.11 through 4.x
const CLIENT_ID = 'keel-health';

/**
 * Asks a broker for its cluster metadata over the Kafka protocol (a Metadata v4 request for no
 * topics), the same request a client's `describeCluster` sends. A broker answers it only once it
 * has joined the cluster and caught up with the metadata log, and lists only unfenced brokers, so
 * an answer with a broker in it means clients can use it. Rejects on no answer within `timeoutMs`.
 * Hand-rolled (about 60 lines) so a health probe needs no Kafka client library.
 */
export function describeCluster(host: string, port: number, timeoutMs = 1000): Promise<ClusterDescription> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const chunks: Buffer[] = [];
    const finish = (error?: Error, result?: ClusterDescription) => {
      socket.destroy();
      if (error) reject(error);
      else resolve(result as ClusterDescription);
    };
    socket.setTimeout(timeoutMs, () => finish(new Error(`no metadata answer from ${host}:${port} within ${timeoutMs} ms`)));
    socket.once('error', (error) => finish(error));
    socket.once('connect', () => socket.write(metadataRequest(1)));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const data = Buffer.concat(chunks);
      if (data.length < 4 || data.length < 4 + data.readInt32BE(0)) return;
      try {
        finish(undefined, parseMetadataResponse(data.subarray(4, 4 + data.readInt32BE(0)), 1));
      } catch (error) {
        finish(error as Error);
      }
    });
  });
}

/** Request header v1 (api key, version, correlation id, client id) + body (topics: [], no auto-create). */
export function metadataRequest(correlationId: number): Buffer {
  const client = Buffer.from(CLIENT_ID);
  const body = Buffer.alloc(2 + 2 + 4 + 2 + client.length + 4 + 1);
  let at = body.writeInt16BE(METADATA, 0);
  at = body.writeInt16BE(VERSION, at);
  at = body.writeInt32BE(correlationId, at);
  at = body.writeInt16BE(client.length, at);
  at += client.copy(body, at);
  at = body.writeInt32BE(0, at); // an empty topic list: metadata about brokers only
  body.writeInt8(0, at); // allow_auto_topic_creation = false
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

/** Parses a Metadata v4 response (after its size prefix) up to the controller id. */
export function parseMetadataResponse(frame: Buffer, correlationId: number): ClusterDescription {
  let at = 0;
  const int32 = () => ((at += 4), frame.readInt32BE(at - 4));
  const int16 = () => ((at += 2), frame.readInt16BE(at - 2));
  const string = (): string | null => {
    const length = int16();
    if (length < 0) return null;
    at += length;
    return frame.toString('utf8', at - length, at);
  };
  if (int32() !== correlationId) throw new Error('metadata answer for another request');
  int32(); // throttle_time_ms
  const brokers: ClusterDescription['brokers'] = [];
  for (let n = int32(); n > 0; n -= 1) {
    const nodeId = int32();
    const host = string() ?? '';
    const port = int32();
    string(); // rack
    brokers.push({ nodeId, host, port });
  }
  const clusterId = string();
  return { brokers, controllerId: int32(), clusterId };
}
