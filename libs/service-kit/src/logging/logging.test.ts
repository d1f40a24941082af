import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { NestPinoLogger } from './nest-logger';
import { installRequestLog } from './request-log';
import { createServiceLogger } from './service-logger';

const identity = { service: 'catalog', instance: 'catalog', region: 'us-east', version: '1.2.3' };

function captured(level: 'info' | 'warn' = 'info') {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, logger: createServiceLogger({ KEEL_LOG_LEVEL: level }, identity, sink) };
}

describe('the service logger', () => {
  it('names the service on every line', () => {
    const { lines, logger } = captured();
    logger.info('hello');
    expect(lines[0]).toMatchObject({ msg: 'hello', service: 'catalog', instance: 'catalog', region: 'us-east', version: '1.2.3', level: 30 });
  });

  it('takes Nest logger calls: context last, objects as fields, errors as err', () => {
    const { lines, logger } = captured();
    const nest = new NestPinoLogger(logger);
    nest.log('reserved', 'StockService');
    nest.warn({ orderId: 'o-1', attempts: 3 }, 'retrying', 'CheckoutFlow');
    nest.error(new Error('boom'), 'Outbox');
    nest.error('unhandled', 'Error: unhandled\n    at somewhere (file.ts:1:1)', 'ExceptionsHandler');
    expect(lines[0]).toMatchObject({ msg: 'reserved', context: 'StockService', level: 30 });
    expect(lines[1]).toMatchObject({ msg: 'retrying', orderId: 'o-1', attempts: 3, context: 'CheckoutFlow', level: 40 });
    expect(lines[2]).toMatchObject({ context: 'Outbox', level: 50, err: { message: 'boom', type: 'Error' } });
    expect(lines[3]).toMatchObject({ context: 'ExceptionsHandler', err: { message: 'unhandled', stack: expect.stringContaining('at somewhere') } });
  });

  it('writes nothing below its level', () => {
    const { lines, logger } = captured('warn');
    const nest = new NestPinoLogger(logger);
    nest.log('not written');
    nest.debug('not written');
    nest.warn('written');
    expect(lines.map((line) => line.msg)).toEqual(['written']);
  });
});

describe('the request log', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  async function server(level: 'info' | 'warn') {
    const { lines, logger } = captured(level);
    const fastify = Fastify();
    installRequestLog(fastify, logger);
    fastify.get('/products/:id', async (request, reply) => ((request.params as { id: string }).id === 'bad' ? reply.code(500).send({}) : { ok: true }));
    fastify.get('/health/ready', async () => ({ status: 'ok' }));
    close = () => fastify.close();
    return { fastify, lines };
  }

  it('writes one line per answered request, none for probes', async () => {
    const { fastify, lines } = await server('info');
    await fastify.inject('/products/p-001');
    await fastify.inject('/health/ready');
    await fastify.inject('/products/bad');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ msg: 'request completed', level: 30, req: { method: 'GET', url: '/products/p-001' }, res: { statusCode: 200 } });
    expect(lines[0].responseTime).toEqual(expect.any(Number));
    expect(lines[1]).toMatchObject({ msg: 'request completed', level: 30, res: { statusCode: 500 } });
  });

  it('at warn, writes nothing, not even for failures (the problem filter reports those)', async () => {
    const { fastify, lines } = await server('warn');
    await fastify.inject('/products/p-001');
    await fastify.inject('/products/bad');
    expect(lines).toEqual([]);
  });
});
