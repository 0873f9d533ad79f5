/**
 * The output folder's layout (a contract other tools read) and the rules for reusing a folder:
 * refuse a non-empty folder unless `--force` (replace our earlier output) or `--resume` (finish it).
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { OutputDirError } from '../errors.js';

/** Paths inside an output folder. `suffix` keeps shards sharing one folder apart (empty when unsharded). */
export interface OutputLayout {
  readonly root: string;
  readonly fhirDir: string;
  readonly ndjsonDir: string;
  readonly notesDir: string;
  readonly manifest: string;
  /** Our working folder: temporary files, run state, NDJSON being written. */
  readonly workDir: string;
  readonly tmpDir: string;
  readonly stateFile: string;
  readonly partialNdjsonDir: string;
  readonly suffix: string;
}

export function outputLayout(root: string, suffix = ''): OutputLayout {
  const workDir = join(root, '.chartwright');
  const runDir = join(workDir, `run${suffix}`);
  return {
    root,
    fhirDir: join(root, 'fhir'),
    ndjsonDir: join(root, 'ndjson'),
    notesDir: join(root, 'notes'),
    manifest: join(root, `manifest${suffix}.json`),
    workDir,
    tmpDir: join(runDir, 'tmp'),
    stateFile: join(runDir, 'state.json'),
    partialNdjsonDir: join(runDir, 'ndjson'),
    suffix,
  };
}

/** What we write into an output folder; `--force` removes only these. */
const OWN_ENTRIES = ['fhir', 'ndjson', 'notes', '.chartwright', 'validation.json', 'check.json'];

export type OutputMode = 'fresh' | 'force' | 'resume';

/**
 * Makes the folder ready. Sharded runs writing into one shared folder check only their own
 * manifest and state, since the other shards' files are expected there.
 */
export function prepareOutputDir(layout: OutputLayout, mode: OutputMode, sharded: boolean): void {
  if (mode === 'resume') {
    mkdirSync(layout.root, { recursive: true });
    return;
  }
  const entries = existsSync(layout.root) ? readdirSync(layout.root) : [];
  if (mode === 'force') {
    if (sharded) {
      rmSync(layout.manifest, { force: true });
      rmSync(join(layout.workDir, `run${layout.suffix}`), { recursive: true, force: true });
    } else {
      for (const name of entries) {
        if (OWN_ENTRIES.includes(name) || /^manifest(\..+)?\.json$/.test(name)) rmSync(join(layout.root, name), { recursive: true, force: true });
      }
    }
  } else if (sharded) {
    if (existsSync(layout.manifest) || existsSync(layout.stateFile)) {
      throw new OutputDirError('OUTPUT_NOT_EMPTY', `${layout.root} already holds this shard's output; use --force to replace it or --resume to finish it`);
    }
  } else if (entries.length > 0) {
    throw new OutputDirError('OUTPUT_NOT_EMPTY', `${layout.root} is not empty; use --force to replace its output or --resume to finish an interrupted run`);
  }
  mkdirSync(layout.root, { recursive: true });
}
