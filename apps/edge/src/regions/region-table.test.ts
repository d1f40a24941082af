import { Logger } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { RegionTable } from './region-table';

// The table logs each region it takes in or out; outside an app that is only noise.
Logger.overrideLogger(false);

function table() {
  return new RegionTable({
    KEEL_EDGE_REGIONS: [
      { name: 'us-east', url: 'http://127.0.0.1:1' },
      { name: 'eu-west', url: 'http://127.0.0.1:2' },
    ],
    KEEL_EDGE_DEFAULT_REGION: 'us-east',
  });
}

function healthy(t: RegionTable, name: string) {
  t.healthCheckFinished(t.healthCheckStarting(name), true, 'ready');
}

describe('RegionTable', () => {
  it('routes nowhere until a health check passes', () => {
    const t = table();
    expect(t.choose('us-east')).toBeUndefined();
    healthy(t, 'eu-west');
    expect(t.choose('us-east')).toBe('eu-west');
  });

  it('prefers the asked-for region, then the first routable other, skipping those tried', () => {
    const t = table();
    healthy(t, 'us-east');
    healthy(t, 'eu-west');
    expect(t.choose('eu-west')).toBe('eu-west');
    expect(t.choose('us-east')).toBe('us-east');
    expect(t.choose('us-east', ['us-east'])).toBe('eu-west');
    expect(t.choose('us-east', ['us-east', 'eu-west'])).toBeUndefined();
  });

  it('takes a failed region out until a health check that started after the failure passes', () => {
    const t = table();
    healthy(t, 'us-east');
    const inFlight = t.healthCheckStarting('us-east');
    t.markFailed('us-east', 'ECONNREFUSED');
    t.healthCheckFinished(inFlight, true, 'ready');
    expect(t.all()[0].routable).toBe(false);
    healthy(t, 'us-east');
    expect(t.all()[0].routable).toBe(true);
  });

  it('takes a region out when its health check fails', () => {
    const t = table();
    healthy(t, 'us-east');
    t.healthCheckFinished(t.healthCheckStarting('us-east'), false, 'answered 503');
    expect(t.choose('us-east')).toBeUndefined();
    expect(t.all()[0].lastChange).toMatchObject({ routable: false, reason: 'answered 503' });
  });
});
