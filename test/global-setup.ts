import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Tests that spawn the CLI or start worker threads run the compiled `dist/`; compile it once per
 * test run so they always see the current source. Every temporary folder of the run (tests' own,
 * and those of the CLIs they spawn) lives under one TMPDIR removed at the end: cohorts are large.
 */
export default function setup(): () => void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.json`], {
    cwd: root,
    stdio: 'inherit',
  });
  const scratch = mkdtempSync(join(tmpdir(), 'chartwright-tests-'));
  // Test workers are forked after global setup, so they (and what they spawn) inherit it.
  process.env.TMPDIR = scratch;
  return () => rmSync(scratch, { recursive: true, force: true });
}
