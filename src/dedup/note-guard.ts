/**
 * The memorization guard inside `generate --notes`: every grounded note is screened against the
 * reference corpora (`--reference`, `--db`), against the kept notes of other patients, and against
 * the patient's own earlier notes, before it is kept.
 *
 * "Other patients' kept notes" are those of the patients this run has already committed, i.e. of
 * lower index, committed in index order on the main thread. A worker screens a patient against the
 * references and the patient's own notes only, and reports every text it screened; the main
 * thread then looks those texts up among the committed notes. When none matches, the worker's
 * result is exactly what a live check would have produced and is kept; otherwise the patient is
 * produced again on the main thread with the live check. Either way patient i's notes depend only
 * on (i, the notes of patients 0..i−1), never on the worker count.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InternalError } from '../errors.js';
import { violation, type Violation } from '../notes/grounding/violation.js';
import type { NoteScreen, ScreenedNote } from '../notes/note-screen.js';
import type { DocumentMatches, ExactOverlap, NearDuplicate } from './findings.js';
import { MemoryIndex } from './memory-index.js';
import { createSigner, preparedFromParts, prepareText, type DedupDocument, type PreparedText, type Signer } from './prepared-text.js';
import { attachReferences, loadReferences, type References, type SharedReferences } from './run-dedup.js';
import { resolveDedupParams, type DedupParams, type DedupSettingsInput } from './settings.js';

/** The guard's settings as `generate` passes them (plain data: they cross to worker threads). */
export interface GuardSettings {
  readonly settings: DedupSettingsInput;
  readonly references: readonly string[];
  readonly db: string | undefined;
  readonly field: string | undefined;
  readonly column: string | undefined;
  /** Reject overlap between one patient's own notes too (`--dedup-within-patient`). */
  readonly withinPatient: boolean;
}

/** Deterministic counts for the manifest, per patient and (summed) over a run. */
export interface GuardCounts {
  /** Grounded drafts screened. */
  screened: number;
  /** Screened drafts flagged, by what they matched. */
  flaggedByReference: number;
  flaggedByOtherPatient: number;
  flaggedBySamePatient: number;
  /** Screened drafts flagged against another patient's note, by kind of finding (a draft may have both). */
  nearDuplicateOfOtherPatient: number;
  overlapWithOtherPatient: number;
  /** Findings on flagged drafts, by kind. */
  memorizedOverlaps: number;
  nearDuplicates: number;
  /**
   * Shared spans found with the references and the patient's own earlier notes that are value lists
   * (vitals lines, lab panels; see value-fields.ts): not flagged. Those shared with other patients'
   * notes are not counted: workers cannot see those notes, and the count must not depend on the
   * worker count (`chartwright dedup OUT` counts them).
   */
  valueListOverlaps: number;
  /** Notes kept after screening. */
  kept: number;
  /** Kept notes that were flagged at least once before (rewritten). */
  rewrittenKept: number;
  /** Notes rejected with a guard violation after every retry, by the first violation's code. */
  rejectedMemorizedOverlap: number;
  rejectedNearDuplicate: number;
  /** Kept notes sharing a span with, or near-duplicating, an earlier note of the same patient. */
  keptWithinPatientOverlap: number;
  keptWithinPatientNearDuplicate: number;
}

/**
 * The per-patient shares the manifest reports, each folded over patients as it is committed: the
 * number of patients with a share above 0, the sum and the largest of the shares. Shares are kept
 * in parts per million (integers), so a run's checkpoint restores them exactly on --resume.
 */
export const PATIENT_SHARES = {
  /** Of a patient's kept notes, those near-duplicating an earlier kept note of the same patient. */
  nearDuplicateWithin: (c: GuardCounts) => [c.keptWithinPatientNearDuplicate, c.kept],
  /** Of a patient's screened drafts, those near-duplicating another patient's kept note. */
  nearDuplicateAcross: (c: GuardCounts) => [c.nearDuplicateOfOtherPatient, c.screened],
  /** The same for shared spans of `minSpan` tokens (value lists not counted). */
  overlapWithin: (c: GuardCounts) => [c.keptWithinPatientOverlap, c.kept],
  overlapAcross: (c: GuardCounts) => [c.overlapWithOtherPatient, c.screened],
} as const satisfies Record<string, (c: GuardCounts) => [number, number]>;

export type PatientShareName = keyof typeof PATIENT_SHARES;
type TallyKey = `${PatientShareName}${'Patients' | 'SumPpm' | 'MaxPpm'}`;

/** A run's totals: the counts summed over patients, the patients screened, and the per-patient share tallies. */
export type GuardStats = GuardCounts & { patients: number } & Record<TallyKey, number>;

export function emptyGuardCounts(): GuardCounts {
  return {
    screened: 0,
    flaggedByReference: 0,
    flaggedByOtherPatient: 0,
    flaggedBySamePatient: 0,
    nearDuplicateOfOtherPatient: 0,
    overlapWithOtherPatient: 0,
    memorizedOverlaps: 0,
    nearDuplicates: 0,
    valueListOverlaps: 0,
    kept: 0,
    rewrittenKept: 0,
    rejectedMemorizedOverlap: 0,
    rejectedNearDuplicate: 0,
    keptWithinPatientOverlap: 0,
    keptWithinPatientNearDuplicate: 0,
  };
}

export function emptyGuardStats(): GuardStats {
  const tallies = Object.fromEntries(
    (Object.keys(PATIENT_SHARES) as PatientShareName[]).flatMap((name) => [`${name}Patients`, `${name}SumPpm`, `${name}MaxPpm`].map((key) => [key, 0])),
  ) as Record<TallyKey, number>;
  return { ...emptyGuardCounts(), patients: 0, ...tallies };
}

/** Adds one screened patient's counts to a run's totals (patients in commit order). */
export function addGuardStats(into: GuardStats, patient: GuardCounts): void {
  for (const key of Object.keys(emptyGuardCounts()) as (keyof GuardCounts)[]) into[key] += patient[key];
  into.patients++;
  for (const [name, share] of Object.entries(PATIENT_SHARES) as [PatientShareName, (c: GuardCounts) => [number, number]][]) {
    const [count, of] = share(patient);
    const ppm = of === 0 ? 0 : Math.round((count / of) * 1e6);
    if (ppm > 0) into[`${name}Patients`]++;
    into[`${name}SumPpm`] += ppm;
    into[`${name}MaxPpm`] = Math.max(into[`${name}MaxPpm`], ppm);
  }
}

/** A draft a worker screened, with its keys, for the main thread's look-up among other patients' notes. */
export interface ScreenedDraft {
  readonly noteId: string;
  readonly text: string;
  readonly bandKeys: Float64Array;
  /** Key of the window at every position. */
  readonly windowKeys: Float64Array;
  /** Token hashes and signature, so the main thread's look-up signs nothing again. */
  readonly tokenHashes: Uint32Array;
  readonly signature: Uint32Array;
  /** This draft is the text the patient kept. */
  readonly kept: boolean;
}

/** What a patient's screening leaves for the main thread. */
export interface PatientScreenReport {
  readonly patientId: string;
  readonly names: readonly string[];
  readonly stats: GuardCounts;
  readonly drafts: readonly ScreenedDraft[];
}

/** At most this many findings per source become violations (and feedback). */
const MAX_FINDINGS = 3;

/** The id under which a kept note is reported: its path in OUT. */
export function noteDocumentId(patientId: string, noteId: string): string {
  return `notes/${patientId}/${noteId}.txt`;
}

function exactViolation(f: ExactOverlap, what: string): Violation {
  return violation(
    'memorized-overlap',
    `copies a ${f.tokens}-word passage of ${what} ${f.reference.id} (characters ${f.reference.start}-${f.reference.end} there): "${f.excerpt}"; write that part in your own words`,
    { start: f.query.start, end: f.query.end },
    { id: f.reference.id, span: { start: f.reference.start, end: f.reference.end } },
  );
}

function nearViolation(f: NearDuplicate, what: string, threshold: number): Violation {
  return violation(
    'near-duplicate',
    `is a near duplicate of ${what} ${f.referenceId} (word 5-gram Jaccard ${f.jaccard.toFixed(2)}, limit ${threshold}); vary the wording and structure`,
    undefined,
    { id: f.referenceId, jaccard: Number(f.jaccard.toFixed(4)) },
  );
}

/** The committed notes of other patients (main thread only). */
export class CommittedNotes {
  readonly index: MemoryIndex;
  private readonly paths: string[] = [];
  private readonly names: (readonly string[])[] = [];

  constructor(
    signer: Signer,
    /** `OUT/notes`, where committed notes are read back to confirm a hit. */
    private readonly notesDir: string,
  ) {
    this.index = new MemoryIndex(signer, (ordinal) => ({ text: readFileSync(this.paths[ordinal]!, 'utf8'), names: this.names[ordinal] }));
  }

  get size(): number {
    return this.index.size;
  }

  /** Adds a committed patient's kept notes. */
  commit(report: PatientScreenReport): void {
    const stride = this.index.signer.params.windowStride;
    for (const draft of report.drafts) {
      if (!draft.kept) continue;
      const keys = { bandKeys: draft.bandKeys, windowKeys: stride === 1 ? draft.windowKeys : strided(draft.windowKeys, stride) };
      this.index.addKeys(noteDocumentId(report.patientId, draft.noteId), report.patientId, keys);
      this.paths.push(join(this.notesDir, report.patientId, `${draft.noteId}.txt`));
      this.names.push(report.names);
    }
  }

  /** Re-commits a patient from the run's log on --resume: its kept notes are read back from OUT. */
  restore(patientId: string, names: readonly string[], noteIds: readonly string[]): void {
    const drafts = noteIds.map((noteId): ScreenedDraft => {
      const text = readFileSync(join(this.notesDir, patientId, `${noteId}.txt`), 'utf8');
      const prepared = prepareText(text, names, this.index.signer);
      return { noteId, text, ...draftKeys(prepared), kept: true };
    });
    this.commit({ patientId, names, stats: emptyGuardCounts(), drafts });
  }

  /**
   * True when a draft a worker screened matches a committed note: the worker's result then is not
   * what the live check gives, and the patient must be produced again on the main thread.
   */
  matchesAny(report: PatientScreenReport): boolean {
    for (const draft of report.drafts) {
      if (!this.index.mayMatch(draft.bandKeys, draft.windowKeys)) continue;
      const doc: DedupDocument = { id: noteDocumentId(report.patientId, draft.noteId), group: report.patientId, text: draft.text, names: report.names };
      const m = this.index.check(doc, preparedFromParts(draft.text, report.names, this.index.signer, draft), { maxFindings: 1 });
      if (m.exact.length > 0 || m.near.length > 0) return true;
    }
    return false;
  }
}

function draftKeys(prepared: PreparedText): Pick<ScreenedDraft, 'bandKeys' | 'windowKeys' | 'tokenHashes' | 'signature'> {
  return { bandKeys: prepared.bandKeys, windowKeys: prepared.windowKeys, tokenHashes: prepared.tokenHashes, signature: prepared.signature };
}

function strided(keys: Float64Array, stride: number): Float64Array {
  const out = new Float64Array(Math.ceil(keys.length / stride));
  for (let i = 0, k = 0; i < keys.length; i += stride, k++) out[k] = keys[i]!;
  return out;
}

/** Screens one patient's notes (implements the notes layer's {@link NoteScreen}). */
export class PatientScreen implements NoteScreen {
  readonly stats = emptyGuardCounts();
  private readonly own: MemoryIndex;
  private readonly drafts: ScreenedDraft[] = [];
  private readonly pending = new Map<string, { prepared: PreparedText; within: DocumentMatches; flagged: boolean; draft: number }>();
  private readonly flaggedBefore = new Set<string>();

  constructor(
    private readonly guard: NoteGuard,
    readonly patientId: string,
    readonly names: readonly string[],
    private readonly committed: CommittedNotes | undefined,
  ) {
    // Sized for one patient's notes: a few hundred at most.
    this.own = new MemoryIndex(guard.signer, undefined, { documents: 128, windowKeys: 4096 });
  }

  check(note: ScreenedNote): readonly Violation[] {
    const params = this.guard.params;
    const doc: DedupDocument = { id: noteDocumentId(note.patientId, note.noteId), group: note.patientId, text: note.text, names: this.names };
    const prepared = prepareText(note.text, this.names, this.guard.signer);
    this.stats.screened++;
    const limit = { maxFindings: MAX_FINDINGS };
    const violations: Violation[] = [];
    const collect = (m: DocumentMatches, what: string): boolean => {
      for (const f of m.exact) violations.push(exactViolation(f, what));
      for (const f of m.near) violations.push(nearViolation(f, what, params.jaccard));
      this.stats.memorizedOverlaps += m.exact.length;
      this.stats.nearDuplicates += m.near.length;
      return m.exact.length + m.near.length > 0;
    };
    const fromReferences = this.guard.references.index.check(doc, prepared, limit);
    if (collect(fromReferences, 'the reference text')) this.stats.flaggedByReference++;
    if (this.committed !== undefined) {
      const other = this.committed.index.check(doc, prepared, limit);
      if (collect(other, "another patient's note")) this.stats.flaggedByOtherPatient++;
      if (other.near.length > 0) this.stats.nearDuplicateOfOtherPatient++;
      if (other.exact.length > 0) this.stats.overlapWithOtherPatient++;
    }
    const within = this.own.check(doc, prepared, limit);
    this.stats.valueListOverlaps += fromReferences.valueLists.length + within.valueLists.length;
    if (this.guard.withinPatient && collect(within, "this patient's note")) this.stats.flaggedBySamePatient++;
    this.drafts.push({ noteId: note.noteId, text: note.text, ...draftKeys(prepared), kept: false });
    if (violations.length > 0) this.flaggedBefore.add(note.noteId);
    this.pending.set(note.noteId, { prepared, within, flagged: violations.length > 0, draft: this.drafts.length - 1 });
    return violations;
  }

  keep(note: ScreenedNote): void {
    const entry = this.pending.get(note.noteId);
    if (entry === undefined) throw new InternalError(`keep() before check() for ${note.noteId}`);
    this.own.add({ id: noteDocumentId(note.patientId, note.noteId), group: note.patientId, text: note.text, names: this.names }, entry.prepared);
    const draft = this.drafts[entry.draft]!;
    this.drafts[entry.draft] = { ...draft, kept: true };
    this.stats.kept++;
    if (this.flaggedBefore.has(note.noteId)) this.stats.rewrittenKept++;
    if (entry.within.exact.length > 0) this.stats.keptWithinPatientOverlap++;
    if (entry.within.near.length > 0) this.stats.keptWithinPatientNearDuplicate++;
  }

  report(): PatientScreenReport {
    return { patientId: this.patientId, names: this.names, stats: this.stats, drafts: this.drafts };
  }
}

/** Per thread: the parameters and the loaded references. */
export class NoteGuard {
  private constructor(
    readonly params: DedupParams,
    readonly signer: Signer,
    readonly references: References,
    readonly withinPatient: boolean,
  ) {}

  /**
   * @param shared the references as the main thread loaded and shared them (worker threads): used
   *   as they are instead of loading the corpora again.
   */
  static async open(settings: GuardSettings, shared?: SharedReferences): Promise<NoteGuard> {
    const params = resolveDedupParams(settings.settings);
    const signer = createSigner(params);
    const references = shared === undefined ? await loadReferences(signer, settings) : attachReferences(signer, shared);
    return new NoteGuard(params, signer, references, settings.withinPatient);
  }

  /** The references in shared memory, for worker threads' {@link NoteGuard.open}. */
  shareReferences(): SharedReferences {
    return this.references.share();
  }

  /** The committed-notes index of a run (main thread). */
  committedNotes(notesDir: string): CommittedNotes {
    return new CommittedNotes(this.signer, notesDir);
  }

  /** A screen for one patient's notes; with `committed`, other patients' kept notes are checked live. */
  forPatient(patientId: string, names: readonly string[], committed: CommittedNotes | undefined): PatientScreen {
    return new PatientScreen(this, patientId, names, committed);
  }

  /** Reference documents loaded. */
  get referenceCount(): number {
    return this.references.index.size;
  }

  close(): void {
    this.references.close();
  }
}
