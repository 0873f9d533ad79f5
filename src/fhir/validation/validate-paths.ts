/**
 * `validate` as a library call: reads files or folders, validates every resource, and writes
 * `validation.json` (one OperationOutcome per failing resource) next to the input.
 */
import { renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { IoError } from '../../errors.js';
import { canonicalUrl, loadProfiles, type ProfileSet } from '../profiles/load.js';
import { listInputFiles, readInputFile } from './inputs.js';
import { outcomesBundle, ReportBuilder, type ValidationReport } from './report.js';
import { createValidator } from './validator.js';

/** Options of {@link validatePaths}. */
export interface ValidatePathsOptions {
  /** IG packages to load (ignored when `profileSet` is given). */
  readonly igPaths?: readonly string[];
  /** A profile set loaded earlier, to skip loading again. */
  readonly profileSet?: ProfileSet;
  /**
   * Where to write the OperationOutcomes: a file path, or `false` for nowhere. Default:
   * `validation.json` in the first input folder (or beside the first input file).
   */
  readonly outcomeFile?: string | false;
}

/** Validates every resource under `paths`. Throws InputError only for a path that does not exist. */
export async function validatePaths(paths: readonly string[], options: ValidatePathsOptions = {}): Promise<ValidationReport> {
  const files = listInputFiles(paths);
  const profileSet = options.profileSet ?? (await loadProfiles({ igPaths: options.igPaths ?? [] }));
  const validator = createValidator(profileSet);
  const builder = new ReportBuilder();
  for (const file of files) {
    for (const item of readInputFile(file)) {
      if (item.kind === 'problem') {
        builder.addProblem(item.location, item.message);
        continue;
      }
      const issues = validator.validate(item.resource);
      const r = (typeof item.resource === 'object' && item.resource !== null ? item.resource : {}) as { resourceType?: unknown; id?: unknown; meta?: { profile?: unknown } };
      const resourceType = typeof r.resourceType === 'string' ? r.resourceType : '(unknown)';
      const id = typeof r.id === 'string' ? r.id : undefined;
      const profiles = Array.isArray(r.meta?.profile) ? r.meta.profile.filter((p): p is string => typeof p === 'string').map(canonicalUrl) : [];
      builder.add(item.location, resourceType, id, profiles, issues);
    }
  }
  const report: Omit<ValidationReport, 'outcomeFile'> = {
    files: files.length,
    resources: builder.resources,
    errors: builder.errors,
    warnings: builder.warnings,
    failingResources: builder.failing,
    summary: builder.summary(),
    results: builder.results,
    unverifiedBindings: [...validator.unverifiedBindings]
      .map(([valueSet, v]) => ({ valueSet, count: v.count, reason: v.reason }))
      .sort((a, b) => b.count - a.count || a.valueSet.localeCompare(b.valueSet)),
    igs: profileSet.igs.map((ig) => ({ name: ig.name, version: ig.version, source: ig.source })),
  };
  const target = options.outcomeFile === undefined ? defaultOutcomeFile(paths) : options.outcomeFile;
  if (target === false || target === undefined) return report;
  writeAtomic(target, `${JSON.stringify(outcomesBundle(report), null, 2)}\n`);
  return { ...report, outcomeFile: target };
}

function defaultOutcomeFile(paths: readonly string[]): string | undefined {
  const first = paths[0];
  if (first === undefined) return undefined;
  return statSync(first).isDirectory() ? join(first, 'validation.json') : join(dirname(first), 'validation.json');
}

function writeAtomic(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, text);
    renameSync(temp, file);
  } catch (error) {
    throw new IoError(`cannot write ${file} (${(error as Error).message})`, { cause: error });
  }
}
