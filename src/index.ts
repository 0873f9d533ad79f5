/**
 * Chartwright's library API. The CLI is a thin layer over these exports.
 */
export * from './errors.js';
export * from './record/types.js';
export * from './record/time.js';
export { Rng, toSeed, type Seed } from './timeline/random.js';
export { createCohortContext, simulateIndex, type CohortContext, type CohortSpec } from './timeline/cohort.js';
export { recordToResources } from './fhir/record-to-fhir.js';
export { MetaFactory, HTEST_TAG, RUN_TAG_SYSTEM } from './fhir/meta.js';
export { PROFILES, US_CORE_VERSION } from './fhir/profiles.js';
export { generate, type GenerateHooks, type GenerateResult } from './run/generate.js';
export type { GenerateOptions, OutputFormat, Shard } from './run/options.js';
export type { Manifest } from './run/manifest.js';
export * from './fhir/validation/index.js';
export { uploadOutput, defaultLedgerPath, type UploadOptions, type UploadSummary, type UploadProgress, type UploadFailure } from './sinks/fhir-server/upload.js';
export { deleteRun, type DeleteOptions, type DeleteSummary } from './sinks/fhir-server/delete.js';
export { bulkImport, type BulkImportOptions, type BulkImportResult } from './sinks/fhir-server/bulk.js';
export type { AuthConfig } from './sinks/fhir-server/auth.js';
export { startServer, type ServeOptions, type RunningServer } from './serve/server.js';
export { SandboxRepository } from './serve/repository.js';
export { preloadOutput, type PreloadResult } from './serve/preload.js';
export { ValidationPool } from './serve/validation-pool.js';
