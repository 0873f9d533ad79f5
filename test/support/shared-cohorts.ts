/**
 * Cohorts more than one end-to-end test reads, generated once per run by the e2e global setup
 * (test/e2e-setup.ts) and handed to tests with vitest's `provide`/`inject`: a test gets the folder
 * and the file hashes taken right after generation, so no test depends on what another wrote
 * into the folder afterwards (`chartwright check` adds check.json, for one).
 */
export const SHARED_COHORTS = {
  /** 400 patients: clinical breadth (run/clinical.test.ts) and the clean run resume is compared to (run/generate.test.ts). */
  clinical: ['generate', '--patients', '400', '--seed', '11', '--reference-date', '2025-06-01', '--quiet'],
} as const satisfies Record<string, readonly string[]>;

export type SharedCohortName = keyof typeof SHARED_COHORTS;

export interface SharedCohort {
  /** The CLI's exit code and stderr: the tests that own the cohort assert on them. */
  readonly code: number;
  readonly stderr: string;
  /** The output folder (tests may read it; only the test that owns a check writes into it). */
  readonly out: string;
  /** `treeHashes(out)` as generated: relative path -> sha256. */
  readonly hashes: Readonly<Record<string, string>>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    sharedCohorts: Record<SharedCohortName, SharedCohort>;
  }
}
