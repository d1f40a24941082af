import { StackError } from './problem';

interface Targetable {
  spec: { id: string; region: string; service: string };
}

/**
 * Instances a target names: an instance id (`us-east/catalog`, `global/edge`,
 * `us-east/catalog~canary`), a region (`us-east`, `global`; includes its extras) or `all`.
 */
export function resolveTarget<T extends Targetable>(target: string, instances: T[]): T[] {
  if (target === 'all') return instances;
  const byId = instances.filter((i) => i.spec.id === target);
  if (byId.length > 0) return byId;
  const byRegion = instances.filter((i) => i.spec.region === target);
  if (byRegion.length > 0) return byRegion;
  const regions = [...new Set(instances.map((i) => i.spec.region))];
  throw new StackError(
    'unknown-target',
    `unknown target '${target}': use 'all', a region (${regions.join(', ')}) or an instance id (e.g. ${instances[0]?.spec.id ?? 'us-east/catalog'})`,
  );
}

/**
 * Start groups: instances of the same service start together (both regions' catalogs at once),
 * services in the order they first appear, which the topology lists dependencies first.
 */
export function startGroups<T extends Targetable>(instances: T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const instance of instances) {
    const group = groups.get(instance.spec.service) ?? [];
    group.push(instance);
    groups.set(instance.spec.service, group);
  }
  return [...groups.values()];
}

/**
 * Stops `instances` in reverse start order, one service at a time: the front door first, what
 * others depend on last. The brokers stop once every client of theirs has gone, so consumers leave
 * their groups while their broker is still there; a consumer that cannot reach its broker to leave
 * holds its group's next start for a whole session timeout (the replicators took 28 s to be ready
 * again after a `down` that stopped everything at once).
 */
export async function stopInReverse<T extends Targetable & { stop(): Promise<void> }>(instances: T[]): Promise<void> {
  for (const group of startGroups(instances).reverse()) await Promise.all(group.map((instance) => instance.stop()));
}
