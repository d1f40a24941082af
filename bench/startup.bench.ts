/**
 * Stack start-up and memory (a benchmark, not a test): `up --detach` on a fresh data dir (cold:
 * databases seeded, broker storage formatted), then again on the same data dir (warm), each timed
 * to "every instance ready"; and the resident memory of every instance once it is up, a broker
 * counted with its JVM. Writes reports/bench/startup.json.
 *
 *   node -r @swc-node/register bench/startup.bench.ts
 *
 * Needs the stack's ports free: it starts its own stack on a temporary data dir and stops it.
 */
import { describeMachine, machine, table, writeReport } from './support/report';
import { residentMiB, upStack } from './stack/local-stack';

async function main(): Promise<void> {
  const where = machine();
  console.log(`startup bench: ${describeMachine(where)}`);
  const cold = await upStack();
  cold.down();
  const warm = await upStack(cold.dataDir);
  try {
    // Let start-up work (JIT, first health checks, topic creation) settle before reading memory.
    await new Promise((r) => setTimeout(r, 10_000));
    const instances = await warm.client.instances();
    const rows = instances
      .filter((i) => typeof i.pid === 'number')
      .map((i) => ({ id: i.id, service: i.service, rssMiB: Math.round(residentMiB(i.pid as number)) }));
    const total = rows.reduce((sum, r) => sum + r.rssMiB, 0);
    const nodeOnly = rows.filter((r) => r.service !== 'kafka');
    console.log(
      `\n${table(['start', 'to all ready'], [
        ['cold (fresh data dir)', `${cold.upSeconds.toFixed(1)} s`],
        ['warm (same data dir, caches warm)', `${warm.upSeconds.toFixed(1)} s`],
      ])}\n\n${table(['instance', 'RSS'], rows.map((r) => [r.id, `${r.rssMiB} MiB`]))}\n\n` +
        `${rows.length} instances, ${total} MiB in all; Node services ${Math.round(nodeOnly.reduce((s, r) => s + r.rssMiB, 0) / nodeOnly.length)} MiB on average`,
    );
    console.log(`report: ${writeReport('startup', { machine: where, coldSeconds: cold.upSeconds, warmSeconds: warm.upSeconds, instances: rows, totalMiB: total })}`);
  } finally {
    warm.down();
    warm.remove();
  }
}

main().catch((error: unknown) => {
  console.error(`startup bench: ${(error as Error).message}`);
  process.exitCode = 1;
});
