import { randomBytes } from 'node:crypto';

export interface BrokerPorts {
  host: string;
  brokerPort: number;
  controllerPort: number;
  /** Where the broker keeps its partitions and the KRaft metadata log. */
  logDir: string;
}

/**
 * `server.properties` for a single-node KRaft cluster: one process is both broker and controller,
 * and every internal topic has one replica (the defaults of 3 would leave consumer groups without
 * a coordinator, since the offsets topic could never be created).
 */
export function brokerProperties({ host, brokerPort, controllerPort, logDir }: BrokerPorts): string {
  const lines: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@${host}:${controllerPort}`,
    listeners: `PLAINTEXT://${host}:${brokerPort},CONTROLLER://${host}:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${host}:${brokerPort}`,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': logDir,
    'num.partitions': 3,
    'offsets.topic.replication.factor': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    // A lone broker has nobody to wait for; the 3 s default only delays every first consumer.
    'group.initial.rebalance.delay.ms': 0,
    // After a crash, the restarted broker cannot register until its old session expires
    // (DUPLICATE_BROKER_REGISTRATION): the 9 s default made every kill a ~19 s outage; 4 s keeps
    // a margin for GC or CPU starvation on a loaded dev machine.
    'broker.session.timeout.ms': 4000,
    'broker.heartbeat.interval.ms': 1000,
    // Small segments and short retention: a dev stack's disk should not grow without bound.
    'log.segment.bytes': 16 * 1024 * 1024,
    'log.retention.hours': 24,
    'auto.create.topics.enable': true,
  };
  return `${Object.entries(lines).map(([key, value]) => `${key}=${value}`).join('\n')}\n`;
}

/**
 * A cluster id in Kafka's own format (16 random bytes, URL-safe base64, no padding), made here
 * rather than by `StorageTool random-uuid` to save a JVM start. Kafka rejects ids that start
 * with '-' (they read as a CLI flag), so those are drawn again, as Kafka's own generator does.
 */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
