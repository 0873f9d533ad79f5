/**
 * The generate run's side of the memorization guard: the manifest section, clean-up after a
 * patient is produced again on the main thread, and rebuilding the committed-notes index on
 * --resume. The guard itself lives in src/dedup/note-guard.ts.
 */
import { existsSync, openSync, readdirSync, readSync, closeSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { emptyGuardCounts, PATIENT_SHARES, type CommittedNotes, type GuardCounts, type GuardStats, type NoteGuard, type PatientShareName } from '../dedup/note-guard.js';
import type { GenerateOptions } from './options.js';
import type { ProducedIndex } from './produce.js';

/** The manifest's `notes.dedup`: parameters, references, what "other patients" means, the counts and shares. */
export function dedupSection(guard: NoteGuard, options: GenerateOptions, stats: GuardStats): Record<string, unknown> {
  const p = guard.params;
  return {
    params: {
      jaccard: p.jaccard,
      minSpan: p.minSpan,
      ngram: p.ngram,
      numPerm: p.numPerm,
      seed: p.seed,
      bands: p.bands,
      rows: p.rows,
      window: p.window,
      windowStride: p.windowStride,
      normalization: p.normalization,
      valueLists: p.flagValueLists ? 'flag' : 'ignore',
    },
    references: { paths: [...(options.dedup?.references ?? [])], db: options.dedup?.db ?? null, documents: guard.referenceCount },
    withinPatient: guard.withinPatient ? 'rejected' : 'reported',
    otherPatients: 'kept notes of patients of lower index in this run (this shard with --shard)',
    counts: Object.fromEntries(Object.keys(emptyGuardCounts()).map((key) => [key, stats[key as keyof GuardCounts]])),
    shares: guardShares(stats),
    perPatient: perPatientShares(stats),
  };
}

const round4 = (x: number): number => Math.round(x * 10000) / 10000;

/** One per-patient share over a run's patients: its mean, its largest value, and how many patients have any. */
export interface PatientShareSummary {
  readonly mean: number;
  readonly max: number;
  readonly patientsWithAny: number;
}

/**
 * The manifest's `notes.dedup.perPatient`: each patient's near-duplicate and shared-span shares,
 * within the patient (its kept notes against its own earlier ones) and across patients (its
 * screened drafts against other patients' kept notes), summarized over the run's patients.
 */
export function perPatientShares(stats: GuardStats): { patients: number } & Record<PatientShareName, PatientShareSummary> {
  const summary = (name: PatientShareName): PatientShareSummary => ({
    mean: stats.patients === 0 ? 0 : round4(stats[`${name}SumPpm`] / 1e6 / stats.patients),
    max: round4(stats[`${name}MaxPpm`] / 1e6),
    patientsWithAny: stats[`${name}Patients`],
  });
  const names = Object.keys(PATIENT_SHARES) as PatientShareName[];
  return { patients: stats.patients, ...(Object.fromEntries(names.map((name) => [name, summary(name)])) as Record<PatientShareName, PatientShareSummary>) };
}

/**
 * The guard's shares over the whole run, rounded to 1e-4: notes it rejected among the notes that
 * reached it (kept plus rejected by it); screened drafts it flagged against another patient's
 * note, and of those the near duplicates; kept notes near-duplicating an earlier note of the same
 * patient.
 */
export function guardShares(stats: GuardCounts): { rejected: number; flaggedAcrossPatients: number; nearDuplicateAcrossPatients: number; nearDuplicateWithinPatient: number } {
  const rejected = stats.rejectedMemorizedOverlap + stats.rejectedNearDuplicate;
  const share = (n: number, of: number): number => (of === 0 ? 0 : round4(n / of));
  return {
    rejected: share(rejected, stats.kept + rejected),
    flaggedAcrossPatients: share(stats.flaggedByOtherPatient, stats.screened),
    nearDuplicateAcrossPatients: share(stats.nearDuplicateOfOtherPatient, stats.screened),
    nearDuplicateWithinPatient: share(stats.keptWithinPatientNearDuplicate, stats.kept),
  };
}

/** Deletes the note files a worker wrote for notes the main thread's production did not keep. */
export function removeStaleNotes(notesDir: string, fromWorker: ProducedIndex, final: ProducedIndex): void {
  const keptNow = new Set(final.dedup.flatMap((r) => r.drafts.filter((d) => d.kept).map((d) => `${r.patientId}/${d.noteId}`)));
  for (const report of fromWorker.dedup) {
    for (const draft of report.drafts) {
      if (!draft.kept || keptNow.has(`${report.patientId}/${draft.noteId}`)) continue;
      rmSync(join(notesDir, report.patientId, `${draft.noteId}.txt`), { force: true });
      rmSync(join(notesDir, report.patientId, `${draft.noteId}.json`), { force: true });
    }
    const dir = join(notesDir, report.patientId);
    if (existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
  }
}

/** Rebuilds the committed-notes index from the first `size` bytes of the run's log (--resume). */
export function restoreCommitted(committed: CommittedNotes, logPath: string, size: number): void {
  if (size === 0 || !existsSync(logPath)) return;
  const buffer = Buffer.alloc(size);
  const fd = openSync(logPath, 'r');
  try {
    readSync(fd, buffer, 0, size, 0);
  } finally {
    closeSync(fd);
  }
  for (const line of buffer.toString('utf8').split('\n')) {
    if (line === '') continue;
    const entry = JSON.parse(line) as { patient: string; names: string[]; notes: string[] };
    committed.restore(entry.patient, entry.names, entry.notes);
  }
}
