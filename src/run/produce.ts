/**
 * One patient index, end to end: simulate its records, map them to FHIR, serialize the bundle and
 * the NDJSON lines. Pure apart from the `writeBundle` callback, so the same code runs inline and in
 * worker threads.
 */
import { InternalError } from '../errors.js';
import { MetaFactory } from '../fhir/meta.js';
import { recordToResources, SHARED_TYPES } from '../fhir/record-to-fhir.js';
import { provenanceResource } from '../fhir/provenance.js';
import { bundleText, serializeResources, toNdjsonLine } from '../fhir/serialize.js';
import { instantToDateTime } from '../core/time.js';
import type { NoteType } from '../notes/facts.js';
import { loadVocabulary, type Vocabulary } from '../notes/grounding/vocabulary.js';
import type { NoteWriter } from '../notes/note-writer.js';
import type { RejectedNote } from '../notes/rejected-log.js';
import { notesForRecord, type NoteTypeStats } from '../notes/stage.js';
import { createTemplateNoteWriter } from '../notes/template/template-note-writer.js';
import { dateToInstant, type IsoDate } from '../core/time.js';
import { createCohortContext, simulateIndex, type CohortContext, type CohortSpec } from '../timeline/cohort.js';
import { WriteTimeValidator, type ValidateSettings } from './validate-as-written.js';
import type { SharedReferences } from '../dedup/run-dedup.js';
import { NoteGuard, type CommittedNotes, type GuardSettings, type PatientScreenReport } from '../dedup/note-guard.js';
import type { PatientRecord } from '../record/types.js';
import { windowRecord, type RecordWindow, type WindowRules } from '../record/window.js';
import { loadRecordWindowKnowledge } from '../knowledge/record-window.js';

/** Clinical notes to write with each record (`generate --notes`). */
export interface NotesSettings {
  readonly types: readonly NoteType[];
  /** Only encounters on or after this date (`--notes-since`). */
  readonly since: IsoDate | undefined;
  /** `template` runs anywhere; an LLM writer is handed to the Producer on the main thread. */
  readonly writer: 'template' | 'external';
  readonly maxRetries: number;
}

export interface ProduceSettings {
  readonly spec: CohortSpec;
  readonly includeDeceased: boolean;
  /** The stretch of each life the charts hold; earlier life is carried as history. */
  readonly window: RecordWindow;
  readonly writeFhir: boolean;
  readonly writeNdjson: boolean;
  readonly notes: NotesSettings | undefined;
  /** `--validate`: check every resource before writing it; undefined to skip. */
  readonly validate: ValidateSettings | undefined;
  /** The memorization guard for notes (on with `--notes` unless `--no-dedup`); undefined for none. */
  readonly dedup?: GuardSettings | undefined;
}

/** Where a Producer's files go. */
export interface ProduceSinks {
  readonly writeBundle: (patientId: string, text: string) => void;
  /** A note's text (`.txt`) and its gold annotations (`.json`, for `chartwright corpus`). */
  readonly writeNote: (patientId: string, noteId: string, text: string, annotations: string) => void;
}

export interface ProducedIndex {
  readonly index: number;
  readonly living: number;
  readonly deceased: number;
  /** NDJSON by resource type, patient-specific resources only: text, or its UTF-8 bytes after a worker hand-off. */
  readonly ndjson: Record<string, string | Uint8Array>;
  /** Shared resources as [type, id, ndjson line]; the writer keeps the first of each id. */
  readonly shared: [string, string, string][];
  /** Resource counts by type, patient-specific resources only. */
  readonly counts: Record<string, number>;
  /** Notes that failed their checks, for `notes/rejected.jsonl`. */
  readonly rejectedNotes: RejectedNote[];
  readonly noteStats: Partial<Record<NoteType, NoteTypeStats>>;
  /** Validation warnings on this index's patient resources (`--validate`). */
  readonly validationWarnings: number;
  /** What the memorization guard screened, per record (with notes and the guard on). */
  readonly dedup: PatientScreenReport[];
}

/** Per-thread state: the cohort context and meta factory are built once. */
export class Producer {
  readonly ctx: CohortContext;
  private readonly meta: MetaFactory;
  private readonly timestamp: string;

  private constructor(
    readonly settings: ProduceSettings,
    private readonly sinks: ProduceSinks,
    private readonly notes: { writer: NoteWriter; vocabulary: Vocabulary } | undefined,
    /** Present with `--validate`. */
    readonly validator: WriteTimeValidator | undefined,
    /** Present with notes and the guard on. */
    readonly guard: NoteGuard | undefined,
  ) {
    this.ctx = createCohortContext(settings.spec);
    this.meta = new MetaFactory(this.ctx.runTag);
    this.timestamp = instantToDateTime(this.ctx.referenceTime);
    this.windowRules = { surgicalHistory: new Set(loadRecordWindowKnowledge().surgicalHistory.map((c) => c.code)) };
  }

  private readonly windowRules: WindowRules;

  /**
   * @param options.externalWriter the note writer when `settings.notes.writer` is `external` (an LLM
   *   writer, which lives on the main thread); the template writer is built here.
   * @param options.sharedReferences the guard's references as the main thread shared them (workers).
   */
  static async create(
    settings: ProduceSettings,
    sinks: ProduceSinks,
    options: { readonly externalWriter?: NoteWriter | undefined; readonly sharedReferences?: SharedReferences | undefined } = {},
  ): Promise<Producer> {
    const { externalWriter } = options;
    let notes: { writer: NoteWriter; vocabulary: Vocabulary } | undefined;
    if (settings.notes !== undefined) {
      const writer = settings.notes.writer === 'template' ? createTemplateNoteWriter() : externalWriter;
      if (writer === undefined) throw new InternalError('an external note writer is required for these settings');
      notes = { writer, vocabulary: await loadVocabulary() };
    }
    const validator = settings.validate === undefined ? undefined : await WriteTimeValidator.create(settings.validate);
    const guard = settings.notes !== undefined && settings.dedup !== undefined ? await NoteGuard.open(settings.dedup, options.sharedReferences) : undefined;
    return new Producer(settings, sinks, notes, validator, guard);
  }

  get runTag(): string {
    return this.ctx.runTag;
  }

  /**
   * @param committed the kept notes of the patients committed before this one (main thread); the
   *   guard then checks other patients' notes live. Workers pass none and report what they screened.
   */
  async produce(index: number, signal?: AbortSignal, committed?: CommittedNotes): Promise<ProducedIndex> {
    const records = simulateIndex(this.ctx, index);
    const ndjson: Record<string, string> = {};
    const shared: [string, string, string][] = [];
    const counts: Record<string, number> = {};
    const rejectedNotes: RejectedNote[] = [];
    const noteStats: Partial<Record<NoteType, NoteTypeStats>> = {};
    const dedup: PatientScreenReport[] = [];
    let living = 0;
    let deceased = 0;
    const warningsBefore = this.validator?.warnings ?? 0;
    for (const simulated of records) {
      const record = windowRecord(simulated, this.settings.window, this.windowRules, this.ctx.referenceTime);
      const isDeceased = record.death !== undefined;
      if (isDeceased && !this.settings.includeDeceased) continue;
      if (isDeceased) deceased++;
      else living++;
      const resources = recordToResources(record, this.meta);
      if (this.notes !== undefined && this.settings.notes !== undefined) {
        const screen = this.guard?.forPatient(record.id, namesOf(record), committed);
        const written = await notesForRecord(record, {
          types: new Set(this.settings.notes.types),
          since: this.settings.notes.since === undefined ? undefined : dateToInstant(this.settings.notes.since),
          writer: this.notes.writer,
          vocabulary: this.notes.vocabulary,
          maxRetries: this.settings.notes.maxRetries,
          meta: this.meta,
          referenceTime: this.ctx.referenceTime,
          signal,
          screen,
        });
        if (screen !== undefined) dedup.push(screen.report());
        resources.push(...written.resources);
        for (const note of written.notes) this.sinks.writeNote(record.id, note.noteId, note.text, `${JSON.stringify(note.annotations)}\n`);
        rejectedNotes.push(...written.rejected);
        mergeNoteStats(noteStats, written.stats);
      }
      // Last: it targets everything before it, notes included (split uploads and deletes rely on the order).
      resources.push(provenanceResource(record, resources, this.timestamp, this.meta));
      this.validator?.check(record.id, resources);
      const serialized = serializeResources(resources);
      if (this.settings.writeFhir) this.sinks.writeBundle(record.id, bundleText(record.id, this.timestamp, this.ctx.runTag, serialized));
      const typeById = new Map<string, string>();
      for (const r of serialized) typeById.set(r.id, r.type);
      for (const r of serialized) {
        if (SHARED_TYPES.has(r.type)) {
          if (this.settings.writeNdjson) shared.push([r.type, r.id, toNdjsonLine(r.json, (id) => typeById.get(id))]);
          continue;
        }
        counts[r.type] = (counts[r.type] ?? 0) + 1;
        if (this.settings.writeNdjson) {
          ndjson[r.type] = (ndjson[r.type] ?? '') + toNdjsonLine(r.json, (id) => typeById.get(id)) + '\n';
        }
      }
      if (!this.settings.writeNdjson) for (const r of serialized) if (SHARED_TYPES.has(r.type)) shared.push([r.type, r.id, '']);
    }
    const validationWarnings = (this.validator?.warnings ?? 0) - warningsBefore;
    return { index, living, deceased, ndjson, shared, counts, rejectedNotes, noteStats, validationWarnings, dedup };
  }

  close(): void {
    this.guard?.close();
  }
}

/** Names a record's notes may carry (the patient's, the clinicians'): masked by the guard. */
function namesOf(record: PatientRecord): string[] {
  const names = [...record.demographics.givenNames, record.demographics.familyName];
  for (const p of record.providers.practitioners) names.push(...p.givenNames, p.familyName);
  return names;
}

/** Adds per-type note statistics into a running total. */
export function mergeNoteStats(into: Partial<Record<NoteType, NoteTypeStats>>, add: Partial<Record<NoteType, NoteTypeStats>>): void {
  for (const [type, s] of Object.entries(add) as [NoteType, NoteTypeStats][]) {
    const t = (into[type] ??= { kept: 0, rejected: 0, attempts: 0, usage: { promptTokens: 0, completionTokens: 0 } });
    t.kept += s.kept;
    t.rejected += s.rejected;
    t.attempts += s.attempts;
    t.usage = { promptTokens: t.usage.promptTokens + s.usage.promptTokens, completionTokens: t.usage.completionTokens + s.usage.completionTokens };
    if (s.promptHash !== undefined) t.promptHash = s.promptHash;
  }
}
