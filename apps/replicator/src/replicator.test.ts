import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { EVENT_HEADERS, REPLICATION_HEADERS } from '@keel/messaging';
import { ExpiringDeadline, withDeadline } from '@keel/resilience';
import { startTelemetry } from '@keel/telemetry';
import { eventually, freePort } from '@keel/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { caughtUp, countMessages, forward, newTopic, publish, readAll, startRegions, startReplicator, stopRegions, type TestRegion } from './testing/two-regions';

// Two real Kafka 3.9 brokers for the whole file (~10 s each, started in parallel). Each test has
// its own topic; replicators are started in-process and stopped after each test.
startTelemetry({ service: 'replicator', instance: 'replicator', region: 'test', version: '0' });
let east: TestRegion;
let west: TestRegion;
const running: { stop(): Promise<void> }[] = [];

beforeAll(async () => {
  [east, west] = await startRegions(['us-east', 'eu-west']);
}, 120_000);

afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
}, 30_000);

afterAll(async () => {
  await stopRegions([east, west].filter(Boolean));
}, 60_000);

async function replicator(into: TestRegion, from: TestRegion, topic: string, overrides?: Record<string, string>) {
  const service = await startReplicator(into, from, topic, overrides);
  running.push(service);
  return service;
}

const metricsOf = async (url: string) => (await fetch(`${url}/metrics`)).text();
const metric = (topic: string, outcome: string) => new RegExp(`keel_replicator_messages_total\\{[^}]*topic="${topic}"[^}]*outcome="${outcome}"[^}]*\\} ([0-9]+)`);

describe('the replicator', () => {
  it('copies each region\'s events to the other exactly once, with key, id and headers, and never back', async () => {
    const topic = await newTopic([east, west], 'both-ways');
    const intoEast = await replicator(east, west, topic);
    const intoWest = await replicator(west, east, topic);
    const tracer = trace.getTracer('replicator-test');
    const fromEast = await publish(east, topic);
    // Trace context and a deadline in baggage: the copy must carry both on.
    const span = tracer.startSpan('request');
    const fromWest = await publish(west, topic, withDeadline(trace.setSpan(ROOT_CONTEXT, span), ExpiringDeadline.after(60_000)));
    span.end();

    expect(await eventually(async () => (await countMessages(east, topic)) === 2 && (await countMessages(west, topic)) === 2, 30_000, 200)).toBe(true);
    expect(await caughtUp(east, west, topic)).toBe(true);
    expect(await caughtUp(west, east, topic)).toBe(true);
    // Both replicators have read past each other's copies by now; nothing more may appear.
    await new Promise((done) => setTimeout(done, 1_000));
    expect(await countMessages(east, topic)).toBe(2);
    expect(await countMessages(west, topic)).toBe(2);

    const [inEast, inWest] = [await readAll(east, topic), await readAll(west, topic)];
    for (const [event, home, away, from] of [[fromEast, inEast, inWest, 'us-east'], [fromWest, inWest, inEast, 'eu-west']] as const) {
      const original = home.find((m) => m.headers[EVENT_HEADERS.id] === event.id);
      const copy = away.find((m) => m.headers[EVENT_HEADERS.id] === event.id);
      expect(original?.headers[REPLICATION_HEADERS.replicatedFrom]).toBeUndefined();
      expect(copy).toEqual({ ...original, headers: { ...original?.headers, [REPLICATION_HEADERS.replicatedFrom]: from } });
      expect(copy?.key).toBe(event.key);
      expect(JSON.parse(copy?.value ?? '{}')).toMatchObject({ id: event.id, origin: from });
    }
    const westCopy = inEast.find((m) => m.headers[EVENT_HEADERS.id] === fromWest.id);
    expect(westCopy?.headers.traceparent).toContain(span.spanContext().traceId);
    expect(westCopy?.headers.baggage).toMatch(/deadline/);

    for (const service of [intoEast, intoWest]) {
      const ready = await fetch(`${service.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ info: { source: { status: 'up' }, target: { status: 'up' } } });
    }
    // One process, two replicators, one meter: each copied one event and skipped its twin's copy.
    const text = await metricsOf(intoEast.url);
    expect(Number(metric(topic, 'copied').exec(text)?.[1])).toBe(2);
    expect(Number(metric(topic, 'skipped-own').exec(text)?.[1])).toBe(2);
    expect(await eventually(async () => new RegExp(`keel_replicator_lag\\{[^}]*topic="${topic}"[^}]*\\} 0`).test(await metricsOf(intoEast.url)), 5_000, 100)).toBe(true);
  }, 60_000);

  it('skips a malformed message (counted) and copies what follows it', async () => {
    const topic = await newTopic([east, west], 'malformed');
    const service = await replicator(west, east, topic);
    const raw = east.kafka.producer();
    await raw.connect();
    await raw.send({ topic, acks: -1, messages: [{ key: 'k', value: 'not json' }, { key: 'k', value: '{"id":"no-origin"}' }] });
    await raw.disconnect();
    const event = await publish(east, topic);

    expect(await caughtUp(east, west, topic)).toBe(true);
    expect(await countMessages(west, topic)).toBe(1);
    expect((await readAll(west, topic)).map((m) => m.headers[EVENT_HEADERS.id])).toEqual([event.id]);
    expect(Number(metric(topic, 'skipped-malformed').exec(await metricsOf(service.url))?.[1])).toBe(2);
  }, 60_000);

  it('resumes from its committed offsets after a restart: nothing copied twice, nothing missed', async () => {
    const topic = await newTopic([east, west], 'resume');
    const first = await replicator(west, east, topic);
    const before = [await publish(east, topic), await publish(east, topic)];
    expect(await caughtUp(east, west, topic)).toBe(true);
    expect(await countMessages(west, topic)).toBe(2);

    await first.stop();
    running.splice(running.indexOf(first), 1);
    const after = [await publish(east, topic), await publish(east, topic), await publish(east, topic)];
    await new Promise((done) => setTimeout(done, 500));
    expect(await countMessages(west, topic)).toBe(2);

    await replicator(west, east, topic);
    expect(await caughtUp(east, west, topic)).toBe(true);
    await new Promise((done) => setTimeout(done, 500));
    expect(await countMessages(west, topic)).toBe(5);
    const ids = (await readAll(west, topic)).map((m) => m.headers[EVENT_HEADERS.id]);
    expect(ids.sort()).toEqual([...before, ...after].map((e) => e.id).sort());
  }, 60_000);

  it('starts at once with the source broker down, says why it is not ready, and becomes ready when it comes up', async () => {
    const topic = await newTopic([east, west], 'source-down');
    const port = await freePort();
    const started = Date.now();
    const service = await replicator(west, east, topic, { KEEL_PEER_KAFKA_BROKERS: `127.0.0.1:${port}` });
    expect(Date.now() - started).toBeLessThan(5_000);

    let body: { error?: Record<string, { message?: string }> } = {};
    const explained = await eventually(async () => {
      const ready = await fetch(`${service.url}/health/ready`);
      body = (await ready.json()) as typeof body;
      return ready.status === 503 && !/not connected yet/.test(body.error?.source?.message ?? 'not connected yet');
    }, 15_000, 200);
    expect(explained, JSON.stringify(body)).toBe(true);
    expect(body.error?.source?.message).toContain(`source us-east (127.0.0.1:${port})`);
    expect(body.error?.target).toBeUndefined();

    const link = await forward(port, east.broker.brokers[0]);
    try {
      expect(await eventually(async () => (await fetch(`${service.url}/health/ready`)).status === 200, 30_000, 200)).toBe(true);
      const event = await publish(east, topic);
      expect(await eventually(async () => (await countMessages(west, topic)) === 1, 20_000, 200)).toBe(true);
      expect((await readAll(west, topic)).map((m) => m.headers[EVENT_HEADERS.id])).toEqual([event.id]);
    } finally {
      await service.stop();
      running.splice(running.indexOf(service), 1);
      await link.close();
    }
  }, 90_000);
});
