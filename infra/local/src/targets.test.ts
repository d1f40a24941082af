import { describe, expect, it } from 'vitest';
import { resolveTarget, startGroups } from './targets';
import { stackInstances, loadStackConfig } from './topology';

const instances = stackInstances(loadStackConfig(), {}).map((spec) => ({ spec }));
const ids = (list: Array<{ spec: { id: string } }>) => list.map((i) => i.spec.id);

describe('resolveTarget', () => {
  it('resolves an instance id, a region, or all', () => {
    expect(ids(resolveTarget('us-east/catalog', instances))).toEqual(['us-east/catalog']);
    expect(ids(resolveTarget('global/provider-a', instances))).toEqual(['global/provider-a']);
    expect(ids(resolveTarget('eu-west', instances))).toEqual(['eu-west/kafka', 'eu-west/replicator', 'eu-west/catalog', 'eu-west/recommendations', 'eu-west/checkout', 'eu-west/gateway']);
    expect(ids(resolveTarget('global', instances))).toEqual(['global/provider-a', 'global/provider-b', 'global/carrier', 'global/edge']);
    expect(resolveTarget('all', instances)).toHaveLength(16);
  });

  it('names the valid kinds of target when one is unknown', () => {
    expect(() => resolveTarget('us-west', instances)).toThrow(/unknown target 'us-west'.*us-east, eu-west/);
  });
});

describe('startGroups', () => {
  it('starts the brokers first, then the third-party fakes, then each service in both regions together (replicators first), edge last', () => {
    expect(startGroups(instances).map(ids)).toEqual([
      ['us-east/kafka', 'eu-west/kafka'],
      ['global/provider-a', 'global/provider-b'],
      ['global/carrier'],
      ['us-east/replicator', 'eu-west/replicator'],
      ['us-east/catalog', 'eu-west/catalog'],
      ['us-east/recommendations', 'eu-west/recommendations'],
      ['us-east/checkout', 'eu-west/checkout'],
      ['us-east/gateway', 'eu-west/gateway'],
      ['global/edge'],
    ]);
  });
});
