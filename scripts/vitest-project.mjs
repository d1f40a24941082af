#!/usr/bin/env node
// Runs one Nx project's vitest files and keeps a JSON report for the whole-run summary.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

const [root, ...rest] = process.argv.slice(2);
if (!root || root === '--help') {
  console.log('usage: node scripts/vitest-project.mjs <projectRoot> [vitest args]');
  process.exit(root ? 0 : 2);
}
const name = root.replace(/[\\/]/g, '-');
mkdirSync('reports/vitest', { recursive: true });
const result = spawnSync(
  'vitest',
  ['run', '--dir', root, '--reporter=default', '--reporter=json', `--outputFile.json=reports/vitest/${name}.json`, ...rest],
  { stdio: 'inherit', shell: false },
);
process.exit(result.status ?? 1);
