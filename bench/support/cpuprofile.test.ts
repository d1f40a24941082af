import { describe, expect, it } from 'vitest';
import { groupOf, summariseProfile, type CpuProfile } from './cpuprofile';

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });

/** root → handler (keel lib) → JSON.parse (native); root → (idle); root → (garbage collector). */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)') },
    { id: 2, callFrame: frame('handle', 'file:///repo/libs/service-kit/src/http-dependency.ts', 204) },
    { id: 3, callFrame: frame('parse') },
    { id: 4, callFrame: frame('(idle)') },
    { id: 5, callFrame: frame('(garbage collector)') },
    { id: 6, callFrame: frame('lookup', 'file:///repo/node_modules/find-my-way/index.js', 531) },
  ],
  startTime: 1_000,
  // Samples at 1000+100=1100, 1400, 1500, 2100, 2300, 2400; the last runs to endTime 2500.
  samples: [2, 3, 4, 2, 5, 6],
  timeDeltas: [100, 300, 100, 600, 200, 100],
  endTime: 2_500,
};

describe('summariseProfile', () => {
  it('gives each sample the time until the next one, and leaves idle out of the shares', () => {
    const s = summariseProfile(profile);
    // handle: 300 + 200; parse: 100; idle: 600; gc: 100; lookup: 100 (to endTime).
    expect(s.idleMs).toBeCloseTo(0.6);
    expect(s.busyMs).toBeCloseTo(0.8);
    expect(s.groups).toEqual([
      { group: 'keel libs', ms: expect.closeTo(0.5), share: expect.closeTo(0.625) },
      expect.objectContaining({ ms: expect.closeTo(0.1) }),
      expect.objectContaining({ ms: expect.closeTo(0.1) }),
      expect.objectContaining({ ms: expect.closeTo(0.1) }),
    ]);
    expect(s.groups.map((g) => g.group).sort()).toEqual(['fastify', 'gc', 'keel libs', 'native (V8 builtins, JSON, regexps)']);
    expect(s.top[0]).toMatchObject({ name: 'handle', group: 'keel libs', where: 'libs/service-kit/src/http-dependency.ts:205', share: expect.closeTo(0.625) });
  });

  it('counts only the samples inside the window it is given', () => {
    const s = summariseProfile(profile, { fromUs: 2_000, toUs: 2_450 });
    // Samples at 2100 (handle, 200), 2300 (gc, 100), 2400 (lookup, 100).
    expect(s.busyMs).toBeCloseTo(0.4);
    expect(s.top.map((f) => f.name)).toEqual(['handle', '(garbage collector)', 'lookup']);
  });
});

describe('groupOf', () => {
  it('names the part of the stack a frame belongs to', () => {
    expect(groupOf('file:///w/node_modules/@nestjs/core/router/router-proxy.js', 'x')).toBe('nestjs');
    expect(groupOf('file:///w/node_modules/@opentelemetry/sdk-trace/dist/Tracer.cjs', 'startSpan')).toBe('opentelemetry');
    expect(groupOf('file:///w/node_modules/undici/lib/dispatcher/client.js', '_resume')).toBe('undici');
    expect(groupOf('node:internal/deps/undici/undici', 'fetch')).toBe('undici');
    expect(groupOf('node:_http_server', 'parserOnIncoming')).toBe('node internals');
    expect(groupOf('file:///w/apps/gateway/src/products/product-pages.ts', 'page')).toBe('keel app');
    expect(groupOf('', 'writeUtf8String')).toBe('socket writes (syscalls)');
    expect(groupOf('file:///w/node_modules/left-pad/index.js', 'pad')).toBe('left-pad');
  });
});
