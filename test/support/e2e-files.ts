/**
 * The end-to-end tier: test files that run the compiled CLI or its worker threads (so need the
 * `dist/` build) or generate CLI cohorts. Everything else under test/ is the unit tier, which runs
 * in seconds without a build. A new file that spawns `bin/chartwright.js` belongs here.
 */
export const E2E_FILES = [
  'test/check/cohort.test.ts',
  'test/dedup/cli-dedup.test.ts',
  'test/errors.test.ts',
  'test/fhir/validation/cli-validate.test.ts',
  'test/fhir/validation/cohort.test.ts',
  'test/run/clinical.test.ts',
  'test/run/corpus-llm.test.ts',
  'test/run/dedup-guard.test.ts',
  'test/run/generate-validate.test.ts',
  'test/run/generate.test.ts',
  'test/run/llm-notes.test.ts',
  'test/run/notes.test.ts',
  'test/run/worker-errors.test.ts',
  'test/serve/server.test.ts',
  'test/sinks/auth.test.ts',
  'test/sinks/faults.test.ts',
  'test/sinks/generated.test.ts',
  'test/sinks/delete-integrity.test.ts',
  'test/sinks/upload.test.ts',
] as const;
