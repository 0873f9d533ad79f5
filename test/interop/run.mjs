#!/usr/bin/env node
// `npm run test:interop`: the interop tier (vitest.interop.config.ts), installing its consumers by
// itself, then one plain `N passed, N failed` line read from vitest's JSON report (written to
// .vitest-interop-results.json, where .ci/run reads it to add the tier to npm test's count).
// Extra arguments go to vitest (a file filter, say). CHARTWRIGHT_INTEROP_SUMMARY=0 drops the line.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const report = join(root, '.vitest-interop-results.json');
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const run = spawnSync(
  process.execPath,
  [vitest, 'run', '--config', 'vitest.interop.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
const status = run.status ?? 1;
let results = {};
try {
  results = JSON.parse(readFileSync(report, 'utf8'));
} catch {
  // no report: the setup failed before any test ran; counted below
}
const passed = results.numPassedTests ?? 0;
let failed = results.numFailedTests ?? 0;
// A setup or suite that fails to load has no failed test of its own; still count it.
if (failed === 0 && status !== 0) failed = Math.max(1, results.numFailedTestSuites ?? 0);
const skipped = (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0);
if (process.env.CHARTWRIGHT_INTEROP_SUMMARY !== '0') {
  process.stdout.write(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
}
process.exit(status);
