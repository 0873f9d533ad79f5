/**
 * `chartwright generate`: the whole run. Resolves which patient indices this process owns, runs them
 * (inline or on worker threads), appends NDJSON in index order, checkpoints for `--resume`, and
 * writes the manifest last.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InterruptedError, OutputDirError } from '../errors.js';
import { writeFileAtomic } from '../sinks/atomic.js';
import { NdjsonWriter } from '../sinks/ndjson-writer.js';
import { outputLayout, prepareOutputDir, type OutputMode } from '../sinks/output-dir.js';
import { readRunState, writeRunState, type RunState } from '../sinks/run-state.js';
import { TOOL_VERSION } from '../version.js';
import type { Manifest } from './manifest.js';
import { cohortSpecOf, manifestOptions, outputOptions, parseGenerateOptions, type GenerateInput, type GenerateOptions } from './options.js';
import { flagOf } from '../core/option-schema.js';
import { runOrdered } from './pool.js';
import type { NoteType } from '../notes/facts.js';
import type { NoteWriter } from '../notes/note-writer.js';
import type { NoteTypeStats } from '../notes/stage.js';
import { mergeNoteStats, Producer, type ProduceSettings } from './produce.js';
import { fileSinks, type WorkerInit } from './worker.js';
import { shardSuffix } from './shard.js';
import { addGuardStats, emptyGuardStats, type GuardStats } from '../dedup/note-guard.js';
import { dedupSection, removeStaleNotes, restoreCommitted } from './dedup-guard.js';

export interface GenerateHooks {
  /** Called after each patient index is written. */
  readonly onProgress?: (progress: { done: number; total: number; resources: number }) => void;
  /** Abort to stop cleanly (Ctrl-C): progress is checkpointed and an InterruptedError thrown. */
  readonly signal?: AbortSignal;
  /** The note writer when `options.notes.writer` is `external` (an LLM writer; the run then stays on this thread). */
  readonly noteWriter?: NoteWriter;
  /** Extra facts for the manifest's notes section (LLM usage, cost, cache hits), read when the run ends. */
  readonly notesReport?: () => Record<string, unknown>;
}

export interface GenerateResult {
  readonly manifest: Manifest;
  /** True when `--resume` found the run already complete and did nothing. */
  readonly alreadyComplete: boolean;
}

const CHECKPOINT_EVERY_MS = 500;

/** Number of patient indices in [0, patients) that belong to a shard. */
export function shardSize(patients: number, shard: GenerateOptions['shard']): number {
  if (shard === undefined) return patients;
  return Math.max(0, Math.ceil((patients - shard.index) / shard.count));
}

function fingerprintOf(options: GenerateOptions): string {
  return createHash('sha256').update(JSON.stringify({ options: outputOptions(options.values), version: TOOL_VERSION })).digest('hex');
}

/** The first output-changing option whose value differs from the interrupted run's, as `--name`. */
function changedOption(before: Readonly<Record<string, unknown>>, now: Readonly<Record<string, unknown>>): string | undefined {
  for (const key of new Set([...Object.keys(before), ...Object.keys(now)])) {
    if (JSON.stringify(before[key] ?? null) !== JSON.stringify(now[key] ?? null)) {
      return `${flagOf(key)} was ${JSON.stringify(before[key] ?? null)}, now ${JSON.stringify(now[key] ?? null)}`;
    }
  }
  return undefined;
}

/**
 * Runs `generate` as a library call: `input` is validated by the same schema as the CLI's flags
 * (an OptionError names the first bad option), then the run goes as {@link generateParsed}.
 */
export async function generate(input: GenerateInput, hooks: GenerateHooks = {}): Promise<GenerateResult> {
  return generateParsed(parseGenerateOptions(input), hooks);
}

/** Runs `generate` with options already resolved by {@link parseGenerateOptions} (the CLI prints the seed first). */
export async function generateParsed(options: GenerateOptions, hooks: GenerateHooks = {}): Promise<GenerateResult> {
  const started = Date.now();
  const sharded = options.shard !== undefined && options.shard.count > 1;
  const layout = outputLayout(options.out, shardSuffix(options.shard));
  const fingerprint = fingerprintOf(options);
  const settings: ProduceSettings = {
    spec: cohortSpecOf(options),
    includeDeceased: options.includeDeceased,
    window: options.window,
    writeFhir: options.formats.has('fhir'),
    writeNdjson: options.formats.has('ndjson'),
    notes: options.notes,
    validate: options.validate,
    dedup: options.notes === undefined ? undefined : options.dedup,
  };

  let mode: OutputMode = options.force ? 'force' : 'fresh';
  let state: RunState | undefined;
  if (options.resume) {
    state = readRunState(layout.stateFile);
    if (state !== undefined) {
      if (state.fingerprint !== fingerprint) {
        const changed = state.options === undefined ? undefined : changedOption(state.options, outputOptions(options.values));
        throw new OutputDirError(
          'OUTPUT_MISMATCH',
          `${options.out} holds a run with other options (${changed ?? 'seed, patients, filters, formats, notes or the tool version'}); rerun it with the same options or use --force`,
        );
      }
      mode = 'resume';
    }
  }
  // Knowledge, prompts and IGs load before the output folder is touched: bad input changes nothing.
  const init = { settings, fhirDir: layout.fhirDir, notesDir: layout.notesDir, tmpDir: layout.tmpDir };
  const producer = await Producer.create(settings, fileSinks(init), { externalWriter: hooks.noteWriter });
  prepareOutputDir(layout, mode, sharded);
  const total = shardSize(options.patients, options.shard);
  const ndjson = new NdjsonWriter(layout.partialNdjsonDir, layout.ndjsonDir, layout.suffix);
  // Rejected notes are a JSONL log kept like NDJSON: assembled in the run folder, moved to notes/ at the end.
  const rejectedLog = new NdjsonWriter(join(layout.partialNdjsonDir, '..', 'notes'), layout.notesDir, layout.suffix, '.jsonl');
  // The guard's log of committed patients' kept notes, kept in the run folder so --resume can rebuild
  // the index of other patients' notes exactly as it stood at the checkpoint.
  const keptLog = new NdjsonWriter(join(layout.partialNdjsonDir, '..', 'dedup'), join(layout.partialNdjsonDir, '..', 'dedup'), '', '.jsonl');
  const committed = producer.guard?.committedNotes(layout.notesDir);
  const guardStats: GuardStats = { ...emptyGuardStats(), ...(state?.dedupStats ?? {}) };
  const noteStats: Partial<Record<NoteType, NoteTypeStats>> = (state?.noteStats ?? {}) as Partial<Record<NoteType, NoteTypeStats>>;
  const counts = new Map<string, number>(Object.entries(state?.resourceCounts ?? {}));
  const sharedIds = new Set(state?.sharedIds ?? []);
  let living = state?.living ?? 0;
  let deceased = state?.deceased ?? 0;
  let position = state?.nextPosition ?? 0;
  let validationWarnings = state?.validationWarnings ?? 0;
  const previousElapsed = state?.elapsedMs ?? 0;

  if (state?.complete === true) {
    const manifest = buildManifest(options, producer.runTag, counts, living, deceased, [], previousElapsed, notesSection(options, noteStats, hooks, producer, guardStats), validationSection(producer, state?.validationWarnings ?? 0));
    producer.close();
    return { manifest, alreadyComplete: true };
  }
  if (state !== undefined) {
    ndjson.resumeFrom(state.ndjsonSizes);
    rejectedLog.resumeFrom(state.rejectedNotesSizes);
    keptLog.resumeFrom(state.keptNotesSizes);
    if (committed !== undefined) restoreCommitted(committed, join(layout.partialNdjsonDir, '..', 'dedup', 'kept.jsonl'), state.keptNotesSizes.kept ?? 0);
  }

  mkdirSync(layout.fhirDir, { recursive: true });

  const checkpoint = (complete: boolean): void => {
    writeRunState(layout.stateFile, {
      version: 1,
      fingerprint,
      options: outputOptions(options.values),
      nextPosition: position,
      ndjsonSizes: ndjson.snapshot(),
      rejectedNotesSizes: rejectedLog.snapshot(),
      keptNotesSizes: keptLog.snapshot(),
      dedupStats: { ...guardStats },
      noteStats,
      resourceCounts: Object.fromEntries(counts),
      living,
      deceased,
      sharedIds: [...sharedIds],
      validationWarnings,
      complete,
      elapsedMs: previousElapsed + (Date.now() - started),
    });
  };

  let totalResources = [...counts.values()].reduce((a, b) => a + b, 0);
  let lastCheckpoint = Date.now();
  const shard = options.shard;
  const indexAt = (p: number): number => (shard === undefined ? p : shard.index + p * shard.count);
  // An LLM writer lives on this thread (its client, cache and limits are shared by every note).
  const workers = options.notes?.writer === 'external' ? 1 : Math.min(options.workers, Math.max(1, total - position));
  // Workers check against the references this thread loaded, in shared memory: one copy, loaded once.
  const workerInit: WorkerInit = workers > 1 && producer.guard !== undefined ? { ...init, sharedReferences: producer.guard.shareReferences() } : init;
  try {
    await runOrdered(
      {
        workers,
        init: workerInit,
        inline: (i) => producer.produce(i, hooks.signal, committed),
        indexAt,
        signal: hooks.signal,
      },
      position,
      total,
      async (p, produced) => {
        let result = produced;
        if (committed !== undefined) {
          // A worker could not see other patients' notes: if anything it screened matches one, the
          // patient is produced again here with the live check (see src/dedup/note-guard.ts).
          if (workers > 1 && result.dedup.some((r) => committed.matchesAny(r))) {
            result = await producer.produce(indexAt(p), hooks.signal, committed);
            removeStaleNotes(layout.notesDir, produced, result);
          }
          for (const report of result.dedup) {
            committed.commit(report);
            addGuardStats(guardStats, report.stats);
            const kept = report.drafts.filter((d) => d.kept).map((d) => d.noteId);
            keptLog.append('kept', `${JSON.stringify({ patient: report.patientId, names: report.names, notes: kept })}\n`);
          }
        }
        for (const [type, text] of Object.entries(result.ndjson)) ndjson.append(type, text);
        for (const [type, n] of Object.entries(result.counts)) {
          counts.set(type, (counts.get(type) ?? 0) + n);
          totalResources += n;
        }
        for (const [type, id, line] of result.shared) {
          if (sharedIds.has(id)) continue;
          sharedIds.add(id);
          counts.set(type, (counts.get(type) ?? 0) + 1);
          totalResources++;
          if (line !== '') ndjson.append(type, `${line}\n`);
        }
        for (const rejected of result.rejectedNotes) {
          rejectedLog.append('rejected', `${JSON.stringify(rejected)}\n`);
          const code = rejected.reasons[0]?.code;
          if (code === 'memorized-overlap') guardStats.rejectedMemorizedOverlap++;
          else if (code === 'near-duplicate') guardStats.rejectedNearDuplicate++;
        }
        mergeNoteStats(noteStats, result.noteStats);
        validationWarnings += result.validationWarnings;
        living += result.living;
        deceased += result.deceased;
        position = p + 1;
        hooks.onProgress?.({ done: position, total, resources: totalResources });
        if (Date.now() - lastCheckpoint >= CHECKPOINT_EVERY_MS) {
          checkpoint(false);
          lastCheckpoint = Date.now();
        }
      },
    );
  } catch (error) {
    ndjson.close();
    rejectedLog.close();
    keptLog.close();
    checkpoint(false);
    producer.close();
    throw error;
  }
  keptLog.close();
  producer.close();
  if (position < total) {
    ndjson.close();
    rejectedLog.close();
    checkpoint(false);
    throw new InterruptedError();
  }
  // notes/ exists only when notes were asked for.
  if (options.notes === undefined) rejectedLog.close();
  else rejectedLog.finalize();

  const ndjsonFiles = options.formats.has('ndjson') ? ndjson.finalize().map((f) => basename(f)) : (ndjson.close(), []);
  const elapsed = previousElapsed + (Date.now() - started);
  const manifest = buildManifest(options, producer.runTag, counts, living, deceased, ndjsonFiles, elapsed, notesSection(options, noteStats, hooks, producer, guardStats), validationSection(producer, validationWarnings));
  writeFileAtomic(layout.manifest, `${JSON.stringify(manifest, null, 2)}\n`, layout.tmpDir);
  checkpoint(true);
  return { manifest, alreadyComplete: false };
}

function buildManifest(
  options: GenerateOptions,
  runTag: string,
  counts: ReadonlyMap<string, number>,
  living: number,
  deceased: number,
  ndjsonFiles: readonly string[],
  wallTimeMs: number,
  notes: Manifest['notes'],
  validation: Manifest['validation'],
): Manifest {
  const resources = Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    tool: 'chartwright',
    version: TOOL_VERSION,
    seed: options.seed,
    referenceDate: options.referenceDate,
    runTag,
    options: manifestOptions(options.values),
    counts: {
      patients: { living, deceased },
      resources,
      totalResources: Object.values(resources).reduce((a, b) => a + b, 0),
    },
    files: { bundles: options.formats.has('fhir') ? living + deceased : 0, ndjson: ndjsonFiles },
    notes,
    validation,
    wallTimeMs,
  };
}

function validationSection(producer: Producer, warnings: number): Manifest['validation'] {
  return producer.validator === undefined ? null : { igs: producer.validator.igs, warnings };
}

function notesSection(
  options: GenerateOptions,
  stats: Partial<Record<NoteType, NoteTypeStats>>,
  hooks: GenerateHooks,
  producer: Producer,
  guardStats: GuardStats,
): Manifest['notes'] {
  if (options.notes === undefined) return null;
  const byType = Object.fromEntries(Object.entries(stats).sort(([a], [b]) => (a < b ? -1 : 1)));
  const kept = Object.values(stats).reduce((s, t) => s + t.kept, 0);
  const rejected = Object.values(stats).reduce((s, t) => s + t.rejected, 0);
  return {
    writer: options.notes.writer === 'template' ? 'template' : (hooks.noteWriter?.name ?? 'external'),
    types: [...options.notes.types],
    since: options.notes.since ?? null,
    maxRetries: options.notes.maxRetries,
    kept,
    rejected,
    byType,
    dedup: producer.guard === undefined ? null : dedupSection(producer.guard, options, guardStats),
    ...(hooks.notesReport?.() ?? {}),
  };
}
