import { ensureKafkaJars, KafkaSetupError } from './jars';

/**
 * `node -r @swc-node/register infra/kafka/src/ensure-jars-main.ts`: fetches the broker jars if
 * the cache lacks them, printing progress on stderr, and prints the lib dir on stdout. The
 * stack's `up` and CI run this before starting anything, so a first run shows a download, not
 * a broker start timeout. Exit codes: 0 ready, 2 Java or Maven missing (the message says what
 * to install), 1 otherwise.
 */

// Exit (rather than die) on a signal, so the fetch's exit hook stops Maven with us.
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));

ensureKafkaJars({ log: (line) => console.error(line) }).then(
  (lib) => console.log(lib),
  (error: Error) => {
    console.error(error.message);
    process.exit(error instanceof KafkaSetupError && error.kind === 'missing-tools' ? 2 : 1);
  },
);
