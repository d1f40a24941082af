import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { describeCluster, metadataRequest } from './metadata-probe';

/** A Metadata v4 response frame, as a broker would send it (size-prefixed). */
function metadataResponse(correlationId: number, brokers: Array<[number, string, number]>, controllerId: number, clusterId: string): Buffer {
  const parts: Buffer[] = [];
  const int32 = (n: number) => parts.push(Buffer.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]));
  const str = (s: string | null) => {
    const b = Buffer.alloc(2);
    b.writeInt16BE(s === null ? -1 : Buffer.byteLength(s));
    parts.push(b, Buffer.from(s ?? ''));
  };
  int32(correlationId);
  int32(0); // throttle
  int32(brokers.length);
  for (const [id, host, port] of brokers) {
    int32(id);
    str(host);
    int32(port);
    str(null);
  }
  str(clusterId);
  int32(controllerId);
  int32(0); // topics
  const body = Buffer.concat(parts);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

let server: Server | undefined;
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

async function fakeBroker(onData: (socket: Socket, request: Buffer) => void): Promise<number> {
  server = createServer((socket) => socket.on('data', (data) => onData(socket, data)));
  await new Promise<void>((done) => server?.listen(0, '127.0.0.1', done));
  return (server.address() as { port: number }).port;
}

describe('describeCluster', () => {
  it('sends a Metadata v4 request and reads brokers, controller and cluster id, even when split', async () => {
    let seen: Buffer | undefined;
    const port = await fakeBroker((socket, request) => {
      seen = request;
      const answer = metadataResponse(1, [[1, '127.0.0.1', 9192]], 1, 'abc');
      socket.write(answer.subarray(0, 7));
      setTimeout(() => socket.write(answer.subarray(7)), 20);
    });
    expect(await describeCluster('127.0.0.1', port)).toEqual({ brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9192 }], controllerId: 1, clusterId: 'abc' });
    expect(seen).toEqual(metadataRequest(1));
    expect(seen?.readInt16BE(4)).toBe(3); // api key Metadata
    expect(seen?.readInt16BE(6)).toBe(4); // version
  });

  it('rejects when the broker does not answer in time', async () => {
    const port = await fakeBroker(() => undefined);
    await expect(describeCluster('127.0.0.1', port, 200)).rejects.toThrow(/no metadata answer .* within 200 ms/);
  });

  it('rejects when nothing listens, or the answer is for another request', async () => {
    const port = await fakeBroker((socket) => socket.write(metadataResponse(99, [], -1, 'x')));
    await expect(describeCluster('127.0.0.1', port)).rejects.toThrow(/another request/);
    server?.close();
    await new Promise((done) => setTimeout(done, 20));
    await expect(describeCluster('127.0.0.1', port)).rejects.toThrow(/ECONNREFUSED/);
  });
});
