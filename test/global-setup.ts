import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';

/**
 * Both tiers: every temporary folder of the run (tests' own, and those of the CLIs they spawn)
 * lives under one TMPDIR removed at the end: cohorts are large. Under CI a missing US Core package
 * fails the run instead of skipping the tests that need it.
 */
export default function setup(): () => void {
  const usCore = fileURLToPath(new URL('../../shared/fhir/us-core-6.1.0', import.meta.url));
  if (process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false' && !existsSync(usCore)) {
    throw new Error(`CI is set and the US Core 6.1.0 package is missing at ${usCore}: the tests that validate against it would be skipped`);
  }
  const scratch = mkdtempSync(join(tmpdir(), 'chartwright-tests-'));
  // Test workers are forked after global setup, so they (and what they spawn) inherit it.
  process.env.TMPDIR = scratch;
  return () => rmSync(scratch, { recursive: true, force: true });
}
