#!/usr/bin/env node
// `npm run bench [-- <suite>]`: runs benchmark suites (reports, never timed tests). Each suite is a
// TypeScript file that measures keel and its peer side by side in one run and writes JSON under
// reports/bench/.
import { spawnSync } from 'node:child_process';

const SUITES = {
  resilience: 'libs/resilience/bench/resilience.bench.ts',
};

const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
if (process.argv.includes('--help')) {
  console.log(`usage: npm run bench [-- <suite> ...]\n\nsuites: ${Object.keys(SUITES).join(', ')} (default: all)`);
  process.exit(0);
}
const unknown = asked.filter((name) => !(name in SUITES));
if (unknown.length) {
  console.error(`unknown suite: ${unknown.join(', ')}; suites: ${Object.keys(SUITES).join(', ')}`);
  process.exit(2);
}
for (const name of asked.length ? asked : Object.keys(SUITES)) {
  console.log(`\n== bench: ${name}`);
  const run = spawnSync(process.execPath, ['-r', '@swc-node/register', SUITES[name]], { stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
