import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { runCliAsync, tempDir, treeHashes } from './support/cli.js';
import { SHARED_COHORTS, type SharedCohort, type SharedCohortName } from './support/shared-cohorts.js';

/**
 * The end-to-end tier's setup (after test/global-setup.ts): tests that spawn the CLI or start
 * worker threads run the compiled `dist/`, so it is compiled once per run; then the shared cohorts
 * are generated once and provided to the tests.
 */
export default async function setup(project: TestProject): Promise<void> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], { cwd: root, stdio: 'inherit' });
  const cohorts = {} as Record<SharedCohortName, SharedCohort>;
  for (const [name, args] of Object.entries(SHARED_COHORTS) as [SharedCohortName, readonly string[]][]) {
    const out = tempDir(`chartwright-shared-${name}-`);
    const r = await runCliAsync([...args, '--out', out]);
    // A failed generation is reported by the tests that read the cohort (they assert code and stderr).
    cohorts[name] = { out, code: r.code, stderr: r.stderr, hashes: r.code === 0 ? Object.fromEntries(treeHashes(out)) : {} };
  }
  project.provide('sharedCohorts', cohorts);
}
