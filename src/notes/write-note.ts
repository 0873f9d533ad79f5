/**
 * The note pipeline's entry point: write a note for one fact sheet, check it against the sheet,
 * and on violations try again with them as feedback (`--max-retries`, default 2). A note that still
 * fails is rejected (and logged to `rejected.jsonl` when a log is given); only an accepted note
 * may go into a bundle. Transport failures that outlast the runner's retries and Ctrl-C propagate.
 */
import { LlmOutputError, LlmRefusalError, RequestRejectedError } from '../errors.js';
import type { FactSheet } from './facts.js';
import { checkNote } from './grounding/check-note.js';
import type { Vocabulary } from './grounding/vocabulary.js';
import { violation, type Violation } from './grounding/violation.js';
import { addUsage, NO_USAGE, type TokenUsage } from './llm/note-model.js';
import { noteToText, type NoteOutput } from './note-output.js';
import type { NoteDraft, NoteWriter } from './note-writer.js';
import type { RejectedNoteLog } from './rejected-log.js';

export interface WriteNoteOptions {
  readonly sheet: FactSheet;
  readonly writer: NoteWriter;
  readonly vocabulary: Vocabulary;
  /** Retries after a failed check (`--max-retries`, default 2): at most 1 + maxRetries attempts. */
  readonly maxRetries?: number;
  /** Where rejections go; default nowhere (the result still says why). */
  readonly rejectedLog?: RejectedNoteLog | undefined;
  /** Recorded in the rejection log. */
  readonly patientId?: string;
  /**
   * Continue an earlier call: the first attempt's number (so a template writer draws a new
   * variant) and the text it is to improve on with the problems found in it (e.g. by a screen).
   */
  readonly firstAttempt?: number;
  readonly previous?: { readonly raw: string; readonly violations: readonly Violation[] };
  readonly signal?: AbortSignal | undefined;
  /**
   * Completes each draft before it is checked, e.g. with the chart's header and footer
   * ({@link frameNote}): the note is checked, stored and annotated as composed.
   */
  readonly compose?: ((note: NoteOutput) => NoteOutput) | undefined;
  /** The names and places `compose` writes, which the checks read as PHI, not clinical words. */
  readonly phiNames?: readonly string[] | undefined;
}

interface Common {
  readonly writer: string;
  readonly model?: string;
  readonly promptHash?: string;
  readonly attempts: number;
  /** Tokens of every attempt (0 for cache hits' billing is the ledger's business; this is what the model reported). */
  readonly usage: TokenUsage;
  /** Violations of each failed attempt, in order. */
  readonly history: readonly (readonly Violation[])[];
}

export interface AcceptedNote extends Common {
  readonly status: 'accepted';
  readonly note: NoteOutput;
  /** The note as stored (`.txt`, attachment). */
  readonly text: string;
  /** The writer's output, shown back to it if the note must be rewritten. */
  readonly raw: string;
}

export interface RejectedNoteResult extends Common {
  readonly status: 'rejected';
  readonly reasons: readonly Violation[];
  readonly note?: NoteOutput;
}

export type WriteNoteResult = AcceptedNote | RejectedNoteResult;

export async function writeNote(options: WriteNoteOptions): Promise<WriteNoteResult> {
  const { sheet, writer, vocabulary } = options;
  const maxRetries = options.maxRetries ?? 2;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) throw new RangeError('maxRetries must be a non-negative integer');
  const history: Violation[][] = [];
  let usage: TokenUsage = NO_USAGE;
  let previous: { raw: string; violations: readonly Violation[] } | undefined = options.previous;
  let last: { draft?: NoteDraft; raw: string; violations: Violation[] } | undefined =
    options.previous === undefined ? undefined : { raw: options.previous.raw, violations: [...options.previous.violations] };
  let meta: { model?: string; promptHash?: string } = {};

  const firstAttempt = options.firstAttempt ?? 0;
  for (let attempt = firstAttempt; attempt <= maxRetries; attempt++) {
    let draft: NoteDraft;
    try {
      draft = await writer.write({ sheet, attempt, ...(previous === undefined ? {} : { previous }), signal: options.signal });
    } catch (error) {
      if ((error instanceof LlmRefusalError || error instanceof LlmOutputError) && error.usage !== undefined) usage = addUsage(usage, error.usage);
      if (error instanceof LlmRefusalError) {
        last = { raw: '', violations: [violation('refused', error.refusal)] };
        history.push(last.violations);
        return reject(attempt + 1);
      }
      if (isTooLarge(error)) {
        last = { raw: '', violations: [violation('request-rejected', (error as RequestRejectedError).message)] };
        history.push(last.violations);
        return reject(attempt + 1);
      }
      if (!(error instanceof LlmOutputError)) throw error;
      const violations = [violation('malformed-output', `the output was not a valid note: ${error.problems.join('; ')}`)];
      history.push(violations);
      last = { raw: error.rawOutput, violations };
      previous = { raw: error.rawOutput, violations };
      continue;
    }
    usage = addUsage(usage, draft.usage ?? NO_USAGE);
    meta = { ...(draft.model === undefined ? {} : { model: draft.model }), ...(draft.promptHash === undefined ? {} : { promptHash: draft.promptHash }) };
    const composed = options.compose === undefined ? draft.note : options.compose(draft.note);
    const violations = checkNote(composed, sheet, vocabulary, options.phiNames);
    if (violations.length === 0) {
      return { status: 'accepted', note: composed, text: noteToText(composed), raw: draft.raw, writer: writer.name, ...meta, attempts: attempt + 1, usage, history };
    }
    history.push(violations);
    last = { draft, raw: draft.raw, violations };
    previous = { raw: draft.raw, violations };
  }
  return reject(Math.max(maxRetries + 1, firstAttempt));

  async function reject(attempts: number): Promise<RejectedNoteResult> {
    const reasons = last?.violations ?? [];
    const note = last?.draft?.note;
    const result: RejectedNoteResult = {
      status: 'rejected',
      reasons,
      ...(note === undefined ? {} : { note }),
      writer: writer.name,
      ...meta,
      attempts,
      usage,
      history,
    };
    if (options.rejectedLog !== undefined) {
      await options.rejectedLog.append({
        ...(options.patientId === undefined ? {} : { patientId: options.patientId }),
        encounterId: sheet.encounter.id,
        noteType: sheet.encounter.noteType,
        writer: writer.name,
        ...meta,
        attempts,
        reasons,
        ...(note === undefined ? (last?.raw ? { raw: last.raw } : {}) : { note }),
      });
    }
    return result;
  }
}

/**
 * A request too large for the model's context is this note's problem, not the run's: reject the
 * note and go on. Every other request failure (auth, bad options, server down) stops the run.
 */
function isTooLarge(error: unknown): boolean {
  return error instanceof RequestRejectedError
    && (error.status === 400 || error.status === 413)
    && /context[ _]length|maximum context|too many tokens|too large/i.test(error.message);
}
