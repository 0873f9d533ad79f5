/**
 * The notes stage of a generation run: for one record, plan its notes, build each fact sheet, write
 * and check the note (retrying with feedback), and turn accepted notes into DocumentReferences.
 * Rejected notes never reach the bundle; they are returned for `rejected.jsonl`.
 */
import type { Resource } from '@medplum/fhirtypes';
import type { MetaFactory } from '../fhir/meta.js';
import { instantToDateTime, type Instant } from '../core/time.js';
import type { PatientRecord } from '../record/types.js';
import { radiologyDiagnosticReportResource } from './diagnostic-report-note.js';
import { documentReferenceResource } from './document-reference.js';
import { buildFactSheet } from './fact-sheet.js';
import type { FactSheet, NoteType } from './facts.js';
import type { Vocabulary } from './grounding/vocabulary.js';
import type { TokenUsage } from './llm/note-model.js';
import { noteIdOf } from './note-ids.js';
import type { NoteWriter } from './note-writer.js';
import type { NoteScreen } from './note-screen.js';
import type { RejectedNote } from './rejected-log.js';
import { planNotes, type PlannedNote } from './selection.js';
import { writeNote, type AcceptedNote, type WriteNoteResult } from './write-note.js';
import { addUsage } from './llm/note-model.js';
import { clinicalGold, type NoteAnnotations } from './note-annotations.js';
import { fitFrame, frameNote, framePhiNames, noteFrame, type NoteFrame } from './phi/note-frame.js';
import { notePhi } from './phi/note-phi.js';

export interface NotesStageOptions {
  readonly types: ReadonlySet<NoteType>;
  readonly since: Instant | undefined;
  readonly writer: NoteWriter;
  readonly vocabulary: Vocabulary;
  readonly maxRetries: number;
  readonly meta: MetaFactory;
  /** The reference date: no note is dated after it (nor after death). */
  readonly referenceTime: Instant;
  readonly signal?: AbortSignal | undefined;
  /**
   * Screens each grounded note before it is kept (the memorization guard). A note it flags is
   * rewritten (a new attempt, with the findings as feedback) while retries remain, then rejected
   * with the screen's violations.
   */
  readonly screen?: NoteScreen | undefined;
}

export interface WrittenNote {
  readonly noteId: string;
  readonly noteType: NoteType;
  readonly text: string;
  /** Gold spans of the text (`notes/<patient>/<note>.json`). */
  readonly annotations: NoteAnnotations;
}

export interface RecordNotes {
  readonly resources: Resource[];
  readonly notes: WrittenNote[];
  readonly rejected: RejectedNote[];
  /** Per note type: kept, rejected, attempts and tokens. */
  readonly stats: Partial<Record<NoteType, NoteTypeStats>>;
}

export interface NoteTypeStats {
  kept: number;
  rejected: number;
  attempts: number;
  usage: TokenUsage;
  promptHash?: string;
}

export async function notesForRecord(record: PatientRecord, options: NotesStageOptions): Promise<RecordNotes> {
  const until = record.death?.time ?? options.referenceTime;
  const planned = planNotes(record, { types: options.types, since: options.since, until });
  const results = await Promise.all(
    planned.map(async (plan) => {
      const sheet = planSheet(record, plan, options.vocabulary);
      // The chart's header and footer (PHI as real notes carry it), added to every draft before its checks.
      const frame = noteFrame({ record, encounter: plan.encounter, noteType: plan.noteType, time: plan.time, age: sheet.patient.age });
      const result = await writeNote({
        sheet,
        writer: options.writer,
        vocabulary: options.vocabulary,
        maxRetries: options.maxRetries,
        patientId: record.id,
        signal: options.signal,
        compose: (note) => frameNote(note, frame),
        phiNames: framePhiNames(frame),
      });
      return { plan, sheet, frame, result };
    }),
  );
  // Screening runs in plan order, one note at a time, after every draft is in: what a note is
  // compared with (the notes kept before it) never depends on which draft finished first.
  if (options.screen !== undefined) {
    for (const item of results) item.result = await screenNote(record.id, item, options, options.screen);
  }
  const out: RecordNotes = { resources: [], notes: [], rejected: [], stats: {} };
  for (const { plan, sheet, frame, result } of results) {
    const stats = (out.stats[plan.noteType] ??= { kept: 0, rejected: 0, attempts: 0, usage: { promptTokens: 0, completionTokens: 0 } });
    stats.attempts += result.attempts;
    stats.usage = {
      promptTokens: stats.usage.promptTokens + result.usage.promptTokens,
      completionTokens: stats.usage.completionTokens + result.usage.completionTokens,
    };
    if (result.promptHash !== undefined) stats.promptHash = result.promptHash;
    if (result.status === 'rejected') {
      stats.rejected++;
      out.rejected.push({
        patientId: record.id,
        encounterId: plan.encounter.id,
        noteType: plan.noteType,
        writer: result.writer,
        ...(result.model === undefined ? {} : { model: result.model }),
        ...(result.promptHash === undefined ? {} : { promptHash: result.promptHash }),
        attempts: result.attempts,
        reasons: result.reasons,
        ...(result.note === undefined ? {} : { note: result.note }),
      });
      continue;
    }
    stats.kept++;
    const noteId = noteIdOf(record.id, plan.encounter.id, plan.noteType);
    out.notes.push({ noteId, noteType: plan.noteType, text: result.text, annotations: annotationsOf(record.id, noteId, plan, sheet, frame, result, options.vocabulary) });
    out.resources.push(
      documentReferenceResource(
        {
          id: noteId,
          noteType: plan.noteType,
          title: result.note.title,
          text: result.text,
          patientId: record.id,
          encounterId: plan.encounter.id,
          practitionerId: plan.encounter.practitionerId,
          organizationId: plan.encounter.organizationId,
          date: instantToDateTime(plan.time),
          period: { start: instantToDateTime(plan.encounter.start), end: instantToDateTime(plan.encounter.end) },
        },
        options.meta,
      ),
    );
    if (plan.noteType === 'radiology-report') {
      const issued = instantToDateTime(plan.time);
      out.resources.push(
        radiologyDiagnosticReportResource(
          {
            id: noteIdOf(record.id, plan.encounter.id, 'radiology-report/DiagnosticReport'),
            title: result.note.title,
            text: result.text,
            patientId: record.id,
            encounterId: plan.encounter.id,
            practitionerId: plan.encounter.practitionerId,
            effective: instantToDateTime(plan.encounter.start),
            issued: `${issued.slice(0, 19)}.000Z`,
          },
          options.meta,
        ),
      );
    }
  }
  return out;
}

/** The fact sheet of one planned note: what the record supports at its encounter, by its author. */
export function planSheet(record: PatientRecord, plan: PlannedNote, vocabulary: Vocabulary): FactSheet {
  const practitioner = record.providers.practitioners.find((p) => p.id === plan.encounter.practitionerId);
  const authorName = practitioner === undefined ? 'the clinician' : `${practitioner.givenNames[0]} ${practitioner.familyName}`;
  return buildFactSheet(record, plan.encounter, { authorName, noteType: plan.noteType, vocabulary, noteTime: plan.time });
}

/**
 * The fact sheet a stored note of `record` was written from (`generate` writes one note per
 * encounter and type), rebuilt for `chartwright corpus --llm`; undefined when no such note is planned.
 */
export function storedNoteSheet(record: PatientRecord, encounterId: string, noteType: NoteType, referenceTime: Instant, vocabulary: Vocabulary): FactSheet | undefined {
  const until = record.death?.time ?? referenceTime;
  const plan = planNotes(record, { types: new Set([noteType]), since: undefined, until }).find((p) => p.encounter.id === encounterId);
  return plan === undefined ? undefined : planSheet(record, plan, vocabulary);
}

/** Screens one grounded note, rewriting it while the screen flags it and retries remain. */
async function screenNote(
  patientId: string,
  item: { plan: PlannedNote; sheet: FactSheet; frame: NoteFrame; result: WriteNoteResult },
  options: NotesStageOptions,
  screen: NoteScreen,
): Promise<WriteNoteResult> {
  const noteId = noteIdOf(patientId, item.plan.encounter.id, item.plan.noteType);
  let result = item.result;
  let usage = result.usage;
  let history = [...result.history];
  while (result.status === 'accepted') {
    const note = { patientId, noteId, noteType: item.plan.noteType, text: result.text, attempt: result.attempts - 1 };
    const violations = screen.check(note);
    if (violations.length === 0) {
      screen.keep(note);
      return { ...result, usage, history };
    }
    history = [...history, [...violations]];
    if (result.attempts > options.maxRetries) {
      const { text: _text, raw: _raw, status: _status, ...common } = result;
      return { ...common, status: 'rejected', reasons: violations, usage, history };
    }
    const next = await writeNote({
      sheet: item.sheet,
      writer: options.writer,
      vocabulary: options.vocabulary,
      maxRetries: options.maxRetries,
      patientId,
      signal: options.signal,
      firstAttempt: result.attempts,
      previous: { raw: result.raw, violations },
      compose: (note) => frameNote(note, item.frame),
      phiNames: framePhiNames(item.frame),
    });
    usage = addUsage(usage, next.usage);
    history = [...history, ...next.history];
    result = { ...next, usage, history };
  }
  return result;
}

/**
 * The gold spans of an accepted note: the annotator's linked mentions in the body (and the pertinent
 * negatives it asserts), the writer's mentions where the annotator found nothing, their relations,
 * and the frame's PHI.
 */
function annotationsOf(patientId: string, noteId: string, plan: PlannedNote, sheet: FactSheet, frame: NoteFrame, result: AcceptedNote, vocabulary: Vocabulary): NoteAnnotations {
  const phi = notePhi(result.text, result.note, frame);
  const fitted = fitFrame(frame, result.note);
  const bodyFrom = result.note.title.trim().length + 2 + fitted.header.heading.length + 2 + fitted.header.text.length;
  const bodyTo = result.text.length - 1 - frame.footer.text.length;
  const { mentions, relations, unplaced } = clinicalGold(result.note, result.text, sheet, vocabulary, bodyFrom, bodyTo);
  return {
    noteId,
    patientId,
    encounterId: plan.encounter.id,
    noteType: plan.noteType,
    date: instantToDateTime(plan.time).slice(0, 10),
    title: result.note.title,
    writer: result.writer,
    mentions,
    relations,
    phi,
    unplaced,
  };
}
