import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readBrokerEnv } from './broker-env';
import { healthServer } from './health-server';
import { ensureKafkaJars, KAFKA_VERSION } from './jars';
import { describeCluster } from './metadata-probe';
import { brokerProperties } from './properties';
import { formatStorageOnce, storageLayout } from './storage';

/**
 * A Kafka broker dressed as a keel service: the stack (and `startKafkaProcess` in tests) run this
 * file like any app. It fetches the jars if needed, formats storage once, runs the JVM as its
 * child, serves /health/* on PORT, and ties the JVM's life to its own: SIGTERM stops the broker
 * cleanly, and if the JVM dies this process exits non-zero so the supervisor restarts it.
 */

const LOG4J_CONFIG = resolve(__dirname, '../log4j.properties');
/** Under the supervisor's 10 s stop timeout, so a slow broker shutdown is ours to cut, not its. */
const STOP_GRACE_MS = 8_000;

const say = (line: string) => process.stdout.write(`[broker-main] ${line}\n`);

async function main(): Promise<void> {
  const env = readBrokerEnv();
  const servedBy = `${env.region}/kafka@${KAFKA_VERSION}`;
  // Set once the JVM is spawned; signals can arrive before (during a jar fetch or format).
  const broker: { java?: ChildProcess; stopping: boolean } = { stopping: false };

  const running = () => broker.java !== undefined && broker.java.exitCode === null && broker.java.signalCode === null;
  const stop = (sig: NodeJS.Signals) => {
    if (broker.stopping) return;
    broker.stopping = true;
    if (!running()) process.exit(0); // still setting up: nothing to shut down
    say(`${sig}: stopping the broker (SIGKILL after ${STOP_GRACE_MS / 1000} s)`);
    broker.java?.kill('SIGTERM');
    setTimeout(() => broker.java?.kill('SIGKILL'), STOP_GRACE_MS).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  const health = healthServer({
    servedBy,
    alive: running,
    describe: () => describeCluster(env.host, env.brokerPort, 1000),
  });
  health.listen(env.healthPort, env.host);
  await once(health, 'listening');

  const lib = await ensureKafkaJars({ log: say });
  const layout = storageLayout(env.dataDir);
  const classpath = ['-cp', join(lib, '*')];
  const props = brokerProperties({ host: env.host, brokerPort: env.brokerPort, controllerPort: env.controllerPort, logDir: layout.logDir });
  // Rewritten on every start: ports come from the environment and may change between runs.
  mkdirSync(layout.root, { recursive: true });
  writeFileSync(layout.propertiesFile, props);
  await formatStorageOnce(layout, classpath, say);
  if (broker.stopping) process.exit(0);

  const jvm = [
    `-Xmx${env.heap}`,
    '-XX:+ExitOnOutOfMemoryError', // die and be restarted rather than limp
    '-Djava.awt.headless=true',
    `-Dlog4j.configuration=file:${LOG4J_CONFIG}`,
    `-Dkafka.logs.dir=${join(layout.root, 'logs')}`,
  ];
  say(`starting Kafka ${KAFKA_VERSION} for ${env.region}: broker ${env.host}:${env.brokerPort}, controller :${env.controllerPort}, health :${env.healthPort}, heap ${env.heap}`);
  // Same process group as us: whoever signals our group (the stack) reaches the JVM too.
  const java = spawn('java', [...jvm, ...classpath, 'kafka.Kafka', layout.propertiesFile], { stdio: ['ignore', 'inherit', 'inherit'] });
  java.once('error', (error) => {
    say(`could not start java: ${error.message}`);
    process.exit(1);
  });
  broker.java = java;
  java.once('exit', (code, sig) => {
    health.close();
    if (broker.stopping) {
      say(`broker stopped (${sig ? `signal ${sig}` : `exit code ${code}`})`);
      process.exit(0);
    }
    say(`the broker JVM exited unexpectedly (${sig ? `signal ${sig}` : `exit code ${code}`})`);
    process.exit(1);
  });
}

main().catch((error: Error) => {
  say(error.message);
  process.exit(1);
});
