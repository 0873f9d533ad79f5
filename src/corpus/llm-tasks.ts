/**
 * The task corpora written by a language model (`chartwright corpus --llm openai`): the summary of
 * an admission from its notes, and a paraphrased question with a written answer for each QA pair.
 * Each output is judged exactly like a note: read as a note, checked against the fact sheet of the
 * record it speaks of by {@link writeNote} (the grounding checks, {@link checkNote}), retried with
 * the violations as feedback up to `maxRetries`, then rejected and counted, never kept unchecked.
 * What has no fact sheet to check it against (a patient not re-simulated, a QA pair whose
 * supporting facts no sheet holds, a question whose answer is "not in the record") keeps its
 * template pair and is counted as such. De-identification pairs are not written by the model:
 * their surrogates stay the seeded, deterministic ones.
 */
import { z } from 'zod';
import type { FactSheet, NoteType } from '../notes/facts.js';
import { renderFactSheet } from '../notes/fact-sheet-text.js';
import type { Vocabulary } from '../notes/grounding/vocabulary.js';
import type { NoteModel, SamplingParams } from '../notes/llm/note-model.js';
import { noteMentionSchema, noteToText, type NoteOutput } from '../notes/note-output.js';
import { createLlmNoteWriter } from '../notes/note-writer.js';
import { DEFAULT_PROMPTS_DIR, loadChatTemplate, type ChatTemplate } from '../notes/prompt-set.js';
import { clinicalGold } from '../notes/note-annotations.js';
import type { Violation } from '../notes/grounding/violation.js';
import { writeNote, type AcceptedNote, type WriteNoteResult } from '../notes/write-note.js';
import { missingAnswerFacts, type AnswerReading } from './answer-facts.js';
import type { Mention, MentionRelation } from '../notes/annotate/types.js';
import { entityRecords } from './jsonl.js';
import type { CorpusDocument } from './document.js';
import type { CorpusFiles } from './format.js';
import { SPLITS, type SplitName } from './split.js';
import { jsonl, splitQaPairs, summaryPairs, taskCorpora, type BundleOf, type ChartFromOf, type TaskCorpora } from './tasks.js';

type Json = Record<string, unknown>;

/** A model's answer with its gold spans (offsets into the answer), as {@link missingAnswerFacts} reads it. */
type AnswerSpans = AnswerReading & { readonly relations: readonly MentionRelation[]; readonly unplaced: number };

/** A mention (with its parts and stated value) moved `by` characters to the left. */
function shift(m: Mention, by: number): Mention {
  return {
    ...m,
    start: m.start - by,
    end: m.end - by,
    ...(m.parts === undefined ? {} : { parts: m.parts.map((p) => ({ ...p, start: p.start - by, end: p.end - by })) }),
    ...(m.value === undefined ? {} : { value: { ...m.value, start: m.value.start - by, end: m.value.end - by } }),
  };
}

/** The fact sheet a stored note was written from, rebuilt from the record; undefined when unknown. */
export type SheetOf = (patientId: string, encounterId: string, noteType: NoteType) => FactSheet | undefined;

/** The model's answer for one QA pair: strict-schema friendly (every field required). */
export const qaOutputSchema = z.object({
  question: z.string().describe('The question, rephrased'),
  answer: z.string().describe("The answer in a full sentence, stating the record's answer"),
  mentions: z.array(noteMentionSchema),
});
export type QaOutput = z.infer<typeof qaOutputSchema>;

/** A QA pair as a note, so the grounding checks read the question and the answer alike. */
export function qaAsNote(value: QaOutput): NoteOutput {
  return { title: 'Question and answer', sections: [{ heading: 'Question', text: value.question }, { heading: 'Answer', text: value.answer }], mentions: value.mentions };
}

/** The task prompts: `prompts/corpus/summary.md` (after the notes' `system.md`) and `prompts/corpus/qa.md` (after `qa-system.md`). */
export interface TaskPrompts {
  readonly summary: ChatTemplate;
  readonly qa: ChatTemplate;
}

export async function loadTaskPrompts(dir: string = DEFAULT_PROMPTS_DIR): Promise<TaskPrompts> {
  return {
    summary: await loadChatTemplate(dir, 'system.md', 'corpus/summary.md', ['fact_sheet', 'source_notes']),
    qa: await loadChatTemplate(dir, 'corpus/qa-system.md', 'corpus/qa.md', ['fact_sheet', 'question', 'answer']),
  };
}

export interface LlmTaskOptions {
  /** Usually the runtime's runner (cache, limits, 429/5xx retries, timeout, Ctrl-C). */
  readonly model: NoteModel;
  readonly prompts: TaskPrompts;
  readonly vocabulary: Vocabulary;
  /** Rewrites after failed checks (`--max-retries`). */
  readonly maxRetries: number;
  readonly sheetOf: SheetOf;
  readonly sampling?: SamplingParams | undefined;
  readonly signal?: AbortSignal | undefined;
  /** The record window's start per patient, for the QA pairs' dates of diagnosis. */
  readonly chartFromOf?: ChartFromOf | undefined;
}

/** What the model wrote, for the datasheet. */
export interface LlmTaskReport {
  readonly writer: string;
  readonly model: string;
  readonly promptHashes: Readonly<Record<'summary' | 'qa', string>>;
  /**
   * Per task: outputs kept, rejected (by the first reason's code), template pairs kept because
   * nothing could check a model's, and the model's mentions of kept outputs that could not be
   * placed in their text by exact search (dropped, never guessed).
   */
  readonly tasks: Record<string, { kept: number; rejected: number; attempts: number; template: number; reasons: Record<string, number>; unplaced: number }>;
}

/**
 * The task files as {@link taskCorpora} writes them, with summaries and QA pairs written by the
 * model and checked against the record. Pairs are written in their template order, so the files
 * do not depend on which call finished first; a rerun against the response cache is identical.
 */
export async function llmTaskCorpora(
  documents: readonly CorpusDocument[],
  splitOf: ReadonlyMap<string, SplitName>,
  tasks: ReadonlySet<string>,
  bundleOf: BundleOf,
  options: LlmTaskOptions,
): Promise<TaskCorpora & { readonly llm: LlmTaskReport }> {
  // De-identification pairs are the template path's, byte for byte: surrogates stay seeded.
  const deid = taskCorpora(documents, splitOf, new Set(tasks.has('deid') ? ['deid'] : []), bundleOf, options.chartFromOf);
  const files: CorpusFiles = new Map(deid.files);
  const counts: Record<string, number> = { ...deid.counts };
  const report: LlmTaskReport = { writer: options.model.provider, model: options.model.model, promptHashes: { summary: options.prompts.summary.hash, qa: options.prompts.qa.hash }, tasks: {} };
  const tally = (task: string) => (report.tasks[task] ??= { kept: 0, rejected: 0, attempts: 0, template: 0, reasons: {}, unplaced: 0 });
  const byId = new Map(documents.map((d) => [d.id, d]));
  const byPatient = new Map<string, CorpusDocument[]>();
  for (const d of documents) byPatient.set(d.patientId, [...(byPatient.get(d.patientId) ?? []), d]);

  /**
   * Writes and checks one output; `further` checks an accepted one beyond the grounding checks
   * (a QA answer must state its answer), its violations sent back as feedback like theirs.
   */
  async function check(
    task: 'summary' | 'qa',
    sheet: FactSheet,
    writer: ReturnType<typeof createLlmNoteWriter>,
    further: (accepted: AcceptedNote) => Violation[] = () => [],
  ): Promise<WriteNoteResult> {
    const common = { sheet, writer, vocabulary: options.vocabulary, maxRetries: options.maxRetries, signal: options.signal };
    let result = await writeNote(common);
    let attempts = result.attempts;
    while (result.status === 'accepted') {
      const violations = further(result);
      if (violations.length === 0) break;
      if (attempts > options.maxRetries) {
        result = { status: 'rejected', reasons: violations, note: result.note, writer: result.writer, ...(result.model === undefined ? {} : { model: result.model }), attempts, usage: result.usage, history: [...result.history, violations] };
        break;
      }
      result = await writeNote({ ...common, firstAttempt: attempts, previous: { raw: result.raw, violations } });
      attempts = result.attempts;
    }
    const t = tally(task);
    t.attempts += result.attempts;
    if (result.status === 'accepted') t.kept++;
    else {
      t.rejected++;
      const code = result.reasons[0]?.code ?? 'unknown';
      t.reasons[code] = (t.reasons[code] ?? 0) + 1;
    }
    return result;
  }

  /**
   * The gold spans of an accepted QA pair's answer, offsets into the answer as stored (trimmed):
   * read over the whole pair (the question gives the answer its context), kept where they fall in
   * the answer. The model's mentions it cannot place anywhere are counted.
   */
  function answerSpans(accepted: AcceptedNote, sheet: FactSheet): AnswerSpans {
    const text = accepted.note.sections[1]?.text.trim() ?? '';
    // noteToText ends with the answer's section and one newline.
    const from = accepted.text.length - 1 - text.length;
    const gold = clinicalGold(accepted.note, accepted.text, sheet, options.vocabulary, from, from + text.length);
    const inside = (m: { start: number; end: number }) => m.start >= from && m.end <= from + text.length;
    const keep = new Map<number, number>();
    const mentions = gold.mentions.flatMap((m, i) => {
      if (!inside(m)) return [];
      keep.set(i, keep.size);
      return [shift(m, from)];
    });
    const relations = gold.relations.flatMap((r) => (keep.has(r.from) && keep.has(r.to) ? [{ type: r.type, from: keep.get(r.from)!, to: keep.get(r.to)! }] : []));
    return {
      text,
      mentions,
      relations,
      annotated: gold.annotation.mentions.filter(inside).map((m) => shift(m, from)),
      temporal: (gold.annotation.temporal ?? []).filter(inside).map((t) => ({ ...t, start: t.start - from, end: t.end - from })),
      unplaced: gold.unplaced,
    };
  }

  const summaryWriter = (source: string) =>
    createLlmNoteWriter({
      model: options.model,
      name: options.model.provider,
      label: 'corpus-summary',
      render: (sheet) => options.prompts.summary.render({ fact_sheet: renderFactSheet(sheet), source_notes: source }),
      ...(options.sampling === undefined ? {} : { sampling: options.sampling }),
    });
  const qaWriter = (question: string, answer: string) =>
    createLlmNoteWriter<QaOutput>({
      model: options.model,
      name: options.model.provider,
      label: 'corpus-qa',
      render: (sheet) => options.prompts.qa.render({ fact_sheet: renderFactSheet(sheet), question, answer }),
      output: { schema: qaOutputSchema, schemaName: 'qa_pair', toNote: qaAsNote },
      ...(options.sampling === undefined ? {} : { sampling: options.sampling }),
    });

  /** The latest of the patient's note sheets that holds every supporting resource (the last one when none are asked for). */
  function qaSheet(patientId: string, supporting: readonly string[]): FactSheet | undefined {
    const ids = supporting.map((ref) => ref.slice(ref.indexOf('/') + 1));
    const notes = byPatient.get(patientId) ?? [];
    for (let i = notes.length - 1; i >= 0; i--) {
      const n = notes[i]!;
      const sheet = options.sheetOf(patientId, n.encounterId, n.noteType as NoteType);
      if (sheet === undefined) continue;
      const held = new Set(sheet.facts.map((f) => f.resourceId));
      if (ids.every((id) => held.has(id))) return sheet;
    }
    return undefined;
  }

  for (const split of SPLITS) {
    const docs = documents.filter((d) => splitOf.get(d.patientId) === split);
    if (tasks.has('summary')) {
      const pairs = summaryPairs(docs);
      const rows = await Promise.all(
        pairs.map(async (pair): Promise<Json | undefined> => {
          const target = byId.get(pair['target_note_id'] as string)!;
          const sheet = options.sheetOf(target.patientId, target.encounterId, 'discharge-summary');
          if (sheet === undefined) {
            tally('summary').template++;
            return { ...pair, writer: 'template' };
          }
          const result = await check('summary', sheet, summaryWriter(pair['source'] as string));
          if (result.status === 'rejected') return undefined;
          const { target: _t, target_note_id: reference, target_entities: _e, target_relations: _r, ...rest } = pair;
          const gold = clinicalGold(result.note, result.text, sheet, options.vocabulary, 0, result.text.length);
          tally('summary').unplaced += gold.unplaced;
          return {
            ...rest,
            target: result.text,
            target_entities: entityRecords(result.text, gold.mentions, true),
            target_relations: gold.relations.map((r) => ({ type: r.type, from: r.from, to: r.to })),
            target_unplaced_mentions: gold.unplaced,
            reference_note_id: reference,
            writer: result.writer,
            model: result.model,
            attempts: result.attempts,
          };
        }),
      );
      const kept = rows.filter((r): r is Json => r !== undefined);
      files.set(`tasks/summary/${split}.jsonl`, jsonl(kept));
      counts['summary'] = (counts['summary'] ?? 0) + kept.length;
    }
    if (tasks.has('qa')) {
      const pairs = splitQaPairs(docs, bundleOf, options.chartFromOf);
      const rows = await Promise.all(
        pairs.map(async (pair): Promise<Json | undefined> => {
          const supporting = pair['supporting_resources'] as string[];
          const sheet = pair['answerable'] === true ? qaSheet(pair['patient_id'] as string, supporting) : undefined;
          if (sheet === undefined) {
            tally('qa').template++;
            return { ...pair, writer: 'template' };
          }
          const record = { kind: pair['kind'] as string, answer: pair['answer'] as string, supporting };
          let reading: AnswerSpans | undefined;
          const result = await check('qa', sheet, qaWriter(pair['question'] as string, pair['answer'] as string), (accepted) => {
            reading = answerSpans(accepted, sheet);
            return missingAnswerFacts(record, sheet, reading);
          });
          if (result.status === 'rejected' || reading === undefined) return undefined;
          tally('qa').unplaced += reading.unplaced;
          const [question] = result.note.sections;
          return {
            ...pair,
            question: question?.text.trim() ?? '',
            answer: reading.text,
            answer_entities: entityRecords(reading.text, reading.mentions, true),
            answer_relations: reading.relations.map((r) => ({ type: r.type, from: r.from, to: r.to })),
            answer_unplaced_mentions: reading.unplaced,
            record_question: pair['question'],
            record_answer: pair['answer'],
            writer: result.writer,
            model: result.model,
            attempts: result.attempts,
          };
        }),
      );
      const kept = rows.filter((r): r is Json => r !== undefined);
      files.set(`tasks/qa/${split}.jsonl`, jsonl(kept));
      counts['qa'] = (counts['qa'] ?? 0) + kept.length;
    }
  }
  return { files, counts, llm: report };
}
