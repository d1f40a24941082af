#!/usr/bin/env node
// Adds up every vitest JSON report of this run into the one closing line CI reads.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

if (process.argv.includes('--help')) {
  console.log('usage: node scripts/test-summary.mjs   (reads reports/vitest/*.json)');
  process.exit(0);
}
const dir = 'reports/vitest';
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of existsSync(dir) ? readdirSync(dir) : []) {
  if (!file.endsWith('.json')) continue;
  const report = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  // A file that failed to load (or whose hooks failed) has no failed test, but is a failure all the same.
  for (const file of report.testResults ?? []) {
    if (file.status === 'failed' && !(file.assertionResults ?? []).some((t) => t.status === 'failed')) failed += 1;
  }
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
