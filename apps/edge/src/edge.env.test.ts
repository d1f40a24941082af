import { describe, expect, it } from 'vitest';
import { bootstrapService, InvalidEnvironmentError, parseEnv } from '@keel/service-kit';
import { checkEdgeEnv, edgeEnv } from './edge.env';
import { EdgeModule } from './edge.module';

const base = { KEEL_SERVICE: 'edge', PORT: '0', KEEL_EDGE_REGIONS: 'us-east=http://127.0.0.1:8101,eu-west=http://127.0.0.1:8201' };

describe('edge environment', () => {
  it('reads regions, the default region and the health interval, with defaults', () => {
    const env = parseEnv(edgeEnv, base);
    expect(env.KEEL_EDGE_REGIONS.map((r) => r.name)).toEqual(['us-east', 'eu-west']);
    expect(env.KEEL_EDGE_DEFAULT_REGION).toBe('us-east');
    expect(env.KEEL_EDGE_HEALTH_INTERVAL_MS).toBe(500);
    expect(() => checkEdgeEnv(env)).not.toThrow();
  });

  it('refuses bad regions and an interval longer than a second, naming each variable', () => {
    const attempt = () => parseEnv(edgeEnv, { ...base, KEEL_EDGE_REGIONS: 'us-east', KEEL_EDGE_HEALTH_INTERVAL_MS: '5000' });
    expect(attempt).toThrow(InvalidEnvironmentError);
    expect(attempt).toThrow(/KEEL_EDGE_REGIONS: .*name=url[\s\S]*KEEL_EDGE_HEALTH_INTERVAL_MS/);
  });

  it('refuses a default region that is not listed', () => {
    const env = parseEnv(edgeEnv, { ...base, KEEL_EDGE_DEFAULT_REGION: 'mars' });
    expect(() => checkEdgeEnv(env)).toThrow(InvalidEnvironmentError);
    expect(() => checkEdgeEnv(env)).toThrow(/KEEL_EDGE_DEFAULT_REGION: mars is not one of KEEL_EDGE_REGIONS \(us-east, eu-west\)/);
  });

  it('keeps edge from starting when the check fails', async () => {
    const starting = bootstrapService({ module: EdgeModule, env: edgeEnv, checkEnv: checkEdgeEnv, environment: { ...base, KEEL_EDGE_DEFAULT_REGION: 'mars' } });
    await expect(starting).rejects.toThrow(InvalidEnvironmentError);
  });
});
