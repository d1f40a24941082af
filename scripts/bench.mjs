#!/usr/bin/env node
// `npm run bench [-- <suite>]`: runs benchmark suites (reports, never timed tests). Each suite is a
// TypeScript file that measures keel and its peer side by side in one run and writes JSON under
// reports/bench/.
import { spawnSync } from 'node:child_process';

const SUITES = {
  resilience: 'libs/resilience/bench/resilience.bench.ts',
  gateway: 'bench/gateway.bench.ts',
  overload: 'bench/overload.bench.ts',
  // These two start the real stack (fixed ports): run them with no other stack up.
  failover: 'bench/failover.bench.ts',
  startup: 'bench/startup.bench.ts',
};

const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
// Flags (e.g. --quick) go to every suite.
const flags = process.argv.slice(2).filter((a) => a.startsWith('-') && a !== '--help');
if (process.argv.includes('--help')) {
  console.log(`usage: npm run bench [-- <suite> ...] [--quick]\n\nsuites: ${Object.keys(SUITES).join(', ')} (default: all)\n--quick: fewer rounds, for a smoke run`);
  process.exit(0);
}
const unknown = asked.filter((name) => !(name in SUITES));
if (unknown.length) {
  console.error(`unknown suite: ${unknown.join(', ')}; suites: ${Object.keys(SUITES).join(', ')}`);
  process.exit(2);
}
for (const name of asked.length ? asked : Object.keys(SUITES)) {
  console.log(`\n== bench: ${name}`);
  const run = spawnSync(process.execPath, ['-r', '@swc-node/register', SUITES[name], ...flags], { stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
