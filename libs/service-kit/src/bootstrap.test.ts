import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import { IsInt, IsString, Min } from 'class-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapService, type RunningService } from './bootstrap';
import type { BaseEnv } from './env';
import { problem } from './problem';

class WidgetDto {
  @IsString() name!: string;
  @IsInt() @Min(1) quantity!: number;
}

@Controller('widgets')
class WidgetController {
  @Post()
  create(@Body() body: WidgetDto) {
    return { created: body };
  }

  @Get('gone')
  gone() {
    throw problem(410, 'gone', 'Widget is gone', 'it was removed');
  }

  @Get('boom')
  boom() {
    throw new Error('secret internals at /srv/app.ts:12');
  }
}

@Module({ controllers: [WidgetController] })
class WidgetModule {}

const TOKEN = 'test-token-0123456789abcdef';
let service: RunningService<BaseEnv>;
let adminUrl: string;

beforeAll(async () => {
  Object.assign(process.env, {
    KEEL_SERVICE: 'widgets',
    KEEL_REGION: 'test-region',
    KEEL_VERSION: '9.9.9',
    PORT: '0',
    KEEL_ADMIN_PORT: String(40000 + Math.floor(Math.random() * 20000)),
    KEEL_TOKEN: TOKEN,
    KEEL_LOG_LEVEL: 'silent',
  });
  service = await bootstrapService({ module: WidgetModule, openapi: { title: 'widgets' } });
  adminUrl = `http://127.0.0.1:${process.env.KEEL_ADMIN_PORT}`;
});

afterAll(async () => {
  await service?.app.close();
});

describe('a service started by the kit', () => {
  it('answers the three probes and says who served it', async () => {
    for (const probe of ['live', 'ready', 'startup']) {
      const response = await fetch(`${service.url}/health/${probe}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-served-by')).toBe('test-region/widgets@9.9.9');
    }
  });

  it('validates bodies and answers bad input with problem JSON', async () => {
    const bad = await fetch(`${service.url}/widgets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 3, quantity: 0, extra: true }) });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const body = (await bad.json()) as { type: string; errors: string[] };
    expect(body.type).toBe('/problems/validation');
    expect(body.errors.join(' ')).toMatch(/name/);
    expect(body.errors.join(' ')).toMatch(/extra/);
    const ok = await fetch(`${service.url}/widgets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'a', quantity: 2 }) });
    expect(ok.status).toBe(201);
  });

  it('turns malformed JSON, unknown routes and thrown errors into problems without internals', async () => {
    const malformed = await fetch(`${service.url}/widgets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":' });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toContain('application/problem+json');
    const missing = await fetch(`${service.url}/nope`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { type: string }).type).toBe('/problems/not-found');
    const gone = await fetch(`${service.url}/widgets/gone`);
    expect(await gone.json()).toMatchObject({ status: 410, type: '/problems/gone', detail: 'it was removed' });
    const boom = await fetch(`${service.url}/widgets/boom`);
    expect(boom.status).toBe(500);
    expect(await boom.text()).not.toContain('secret internals');
  });

  it('exports request durations by route and status on /metrics', async () => {
    await fetch(`${service.url}/widgets/gone`);
    const text = await (await fetch(`${service.url}/metrics`)).text();
    expect(text).toMatch(/http_server_request_duration_bucket\{[^}]*http_route="\/widgets\/gone"[^}]*http_response_status_code="410"/);
  });

  it('serves its OpenAPI document', async () => {
    const doc = (await (await fetch(`${service.url}/api/docs-json`)).json()) as { openapi: string; paths: object };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toContain('/widgets');
  });

  it('keeps admin routes on their own port behind the token', async () => {
    const anonymous = await fetch(`${adminUrl}/admin/info`);
    expect(anonymous.status).toBe(401);
    const wrong = await fetch(`${adminUrl}/admin/info`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const info = await fetch(`${adminUrl}/admin/info`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(await info.json()).toMatchObject({ service: 'widgets', region: 'test-region', pid: process.pid });
    expect((await fetch(`${service.url}/admin/info`)).status).toBe(404);
  });
});
