/** What broker-main is told through its environment (the stack and `startKafkaProcess` set these). */
export interface BrokerEnv {
  host: string;
  region: string;
  /** The health HTTP port (`PORT`, as for every keel service). */
  healthPort: number;
  brokerPort: number;
  controllerPort: number;
  /** `KEEL_DATA_DIR`: storage goes under `<dir>/kafka`. */
  dataDir: string;
  /** JVM max heap, in `-Xmx` syntax (`512m`, `1g`). */
  heap: string;
}

const PORT_VARS = { healthPort: 'PORT', brokerPort: 'KEEL_KAFKA_PORT', controllerPort: 'KEEL_KAFKA_CONTROLLER_PORT' } as const;

/** Reads and checks the env; throws one message naming every bad or missing variable. */
export function readBrokerEnv(env: NodeJS.ProcessEnv = process.env): BrokerEnv {
  const problems: string[] = [];
  const ports = {} as Record<keyof typeof PORT_VARS, number>;
  for (const [key, name] of Object.entries(PORT_VARS) as Array<[keyof typeof PORT_VARS, string]>) {
    const port = Number(env[name]);
    if (!Number.isInteger(port) || port < 1 || port > 65_535) problems.push(`${name} must be a port number (got ${JSON.stringify(env[name] ?? null)})`);
    ports[key] = port;
  }
  if (!env.KEEL_DATA_DIR) problems.push('KEEL_DATA_DIR is required (the broker keeps its data under <dir>/kafka)');
  const heap = env.KEEL_KAFKA_HEAP || '512m';
  if (!/^\d+[kmg]$/i.test(heap)) problems.push(`KEEL_KAFKA_HEAP must look like 512m or 1g (got ${JSON.stringify(heap)})`);
  if (new Set(Object.values(ports)).size !== 3) problems.push('PORT, KEEL_KAFKA_PORT and KEEL_KAFKA_CONTROLLER_PORT must differ');
  if (problems.length > 0) throw new Error(`kafka broker: bad environment:\n  ${problems.join('\n  ')}`);
  return {
    host: env.KEEL_HOST || '127.0.0.1',
    region: env.KEEL_REGION || 'local',
    ...ports,
    dataDir: env.KEEL_DATA_DIR as string,
    heap,
  };
}
