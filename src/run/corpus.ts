/**
 * `chartwright corpus OUT`: reads a generate output's annotated notes (and bundles, for the QA
 * task), builds the corpus and writes it to `OUT/corpus/` (or `--out`). The folder is built beside
 * the target and swapped in whole, so a reader never sees half a corpus.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildCorpus, type CorpusTask } from '../corpus/build.js';
import { emptyDrops, type DropCounts } from '../corpus/document.js';
import type { CorpusFormat } from '../corpus/format.js';
import { readGenerateOutput } from '../corpus/read-output.js';
import { assignSplits, type SplitRatios } from '../corpus/split.js';
import type { CorpusStats } from '../corpus/stats.js';
import { taskCorpora } from '../corpus/tasks.js';
import { llmTaskCorpora, type LlmTaskOptions, type LlmTaskReport, type SheetOf } from '../corpus/llm-tasks.js';
import type { NoteType } from '../notes/facts.js';
import type { Vocabulary } from '../notes/grounding/vocabulary.js';
import { storedNoteSheet } from '../notes/stage.js';
import type { PatientRecord } from '../record/types.js';
import { windowRecord, windowStart } from '../record/window.js';
import { dateToInstant, instantToDate } from '../core/time.js';
import type { ChartFromOf } from '../corpus/tasks.js';
import { loadRecordWindowKnowledge } from '../knowledge/record-window.js';
import { createCohortContext, simulateIndex } from '../timeline/cohort.js';
import { z } from 'zod';
import { option } from '../core/option-schema.js';
import { LLM_OPTIONS } from '../notes/llm/llm-runtime.js';
import { cohortSpecOf, GENERATE_OPTIONS, parseGenerateOptions, type GenerateInput } from './options.js';

/**
 * `corpus`'s writer options: the same LLM flags as `generate` (model, limits, cache, retries,
 * timeout, prices) and prompts folder, read through the same option schema.
 */
export const CORPUS_LLM_OPTIONS = {
  llm: option(z.enum(['template', 'openai'], { error: (i) => `expected template (default) or openai (any OpenAI-compatible endpoint), got ${JSON.stringify(i.input)}` }).default('template'), {
    value: '<writer>',
    help: 'writer of the summary and QA pairs: template (the notes and bundles as they are) or openai (OPENAI_API_KEY, OPENAI_BASE_URL), checked against the record',
    affectsOutput: true,
  }),
  ...LLM_OPTIONS,
  prompts: GENERATE_OPTIONS.prompts,
};

export const corpusLlmOptionsSchema = z.strictObject(CORPUS_LLM_OPTIONS);
export type CorpusLlmOptions = z.infer<typeof corpusLlmOptionsSchema>;

export interface CorpusRunOptions {
  readonly input: string;
  readonly out?: string | undefined;
  readonly formats: readonly CorpusFormat[];
  readonly tasks: ReadonlySet<CorpusTask>;
  readonly split: SplitRatios;
  /** Default: the generation's seed (manifest), else 0. */
  readonly seed?: number | undefined;
  readonly balance?: string | undefined;
  /**
   * Write the summaries and QA pairs with a language model (`--llm openai`), each checked against
   * the record it speaks of; the record is simulated again from the manifest's options.
   */
  readonly llm?: Omit<LlmTaskOptions, 'sheetOf' | 'vocabulary'> & { readonly vocabulary: Vocabulary } | undefined;
}

export interface CorpusRunResult {
  readonly out: string;
  readonly files: number;
  readonly stats: CorpusStats;
  readonly drops: DropCounts;
  readonly taskCounts: Readonly<Record<string, number>>;
  /** What the model wrote, kept and rejected (with `llm`). */
  readonly llm?: LlmTaskReport | undefined;
  readonly seconds: number;
}

/**
 * The fact sheets of a generate output's notes, rebuilt by simulating its patients again from the
 * manifest's options (the simulation is seeded, so the records are the ones the notes were written
 * from). Patients are simulated index by index until every wanted id is found, or the cohort's size
 * is reached; a patient not found has no sheets (its pairs keep their template form).
 */
/** The generation's options as the manifest holds them (absent ones as null), validated again. */
function manifestGenerateOptions(manifest: Record<string, unknown>) {
  const raw = (manifest['options'] ?? {}) as Record<string, unknown>;
  const given = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== null)) as GenerateInput;
  return parseGenerateOptions({ ...given, workers: 1 }, {});
}

/**
 * The first day each patient's chart holds: the record window of the manifest's options, back from
 * the reference date or the patient's death; undefined for whole-life charts or an older manifest.
 */
export function manifestChartFrom(manifest: Record<string, unknown>): ChartFromOf {
  let options: ReturnType<typeof manifestGenerateOptions>;
  if (typeof manifest['options'] !== 'object' || manifest['options'] === null) return () => undefined;
  try {
    options = manifestGenerateOptions(manifest);
  } catch {
    return () => undefined;
  }
  const reference = dateToInstant(options.referenceDate);
  return (_patientId, bundle) => {
    const entries = (bundle['entry'] as { resource?: Record<string, unknown> }[] | undefined) ?? [];
    const death = entries.map((e) => e.resource).find((r) => r?.['resourceType'] === 'Patient')?.['deceasedDateTime'];
    const start = windowStart(options.window, typeof death === 'string' ? Date.parse(death) : reference);
    return start === undefined ? undefined : instantToDate(start);
  };
}

export function manifestSheets(manifest: Record<string, unknown>, patientIds: ReadonlySet<string>, vocabulary: Vocabulary): SheetOf {
  // Without the options (an older manifest) the records cannot be rebuilt: no sheets, template pairs.
  if (typeof manifest['options'] !== 'object' || manifest['options'] === null) return () => undefined;
  const options = manifestGenerateOptions(manifest);
  const ctx = createCohortContext(cohortSpecOf(options));
  const rules = { surgicalHistory: new Set(loadRecordWindowKnowledge().surgicalHistory.map((c) => c.code)) };
  const records = new Map<string, PatientRecord>();
  const step = options.shard?.count ?? 1;
  const limit = options.patients * step;
  for (let index = options.shard?.index ?? 0; index < limit && records.size < patientIds.size; index += step) {
    for (const simulated of simulateIndex(ctx, index)) {
      if (patientIds.has(simulated.id)) records.set(simulated.id, windowRecord(simulated, options.window, rules, ctx.referenceTime));
    }
  }
  return (patientId: string, encounterId: string, noteType: NoteType) => {
    const record = records.get(patientId);
    return record === undefined ? undefined : storedNoteSheet(record, encounterId, noteType, ctx.referenceTime, vocabulary);
  };
}

export async function runCorpus(options: CorpusRunOptions): Promise<CorpusRunResult> {
  const started = performance.now();
  const out = options.out ?? join(options.input, 'corpus');
  const drops = emptyDrops();
  const read = readGenerateOutput(options.input, drops);
  const manifestSeed = read.manifest['seed'];
  const seed = options.seed ?? (typeof manifestSeed === 'number' ? manifestSeed : 0);
  const wantsTasks = ['summary', 'qa', 'deid'].some((t) => options.tasks.has(t as CorpusTask));
  let taskFiles: ReturnType<typeof taskCorpora> | undefined;
  let llm: LlmTaskReport | undefined;
  if (wantsTasks) {
    const bundleOf = (patientId: string) => {
      const path = join(options.input, 'fhir', `${patientId}.json`);
      return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : undefined;
    };
    const splitOf = assignSplits(read.documents.map((d) => d.patientId), options.split, seed);
    const chartFromOf = manifestChartFrom(read.manifest);
    if (options.llm === undefined) taskFiles = taskCorpora(read.documents, splitOf, options.tasks, bundleOf, chartFromOf);
    else {
      const sheetOf = manifestSheets(read.manifest, new Set(read.documents.map((d) => d.patientId)), options.llm.vocabulary);
      const written = await llmTaskCorpora(read.documents, splitOf, options.tasks, bundleOf, { ...options.llm, sheetOf, chartFromOf });
      taskFiles = written;
      llm = written.llm;
    }
  }
  const built = buildCorpus(read.documents, { formats: options.formats, tasks: options.tasks, split: options.split, seed, balance: options.balance, source: options.input, manifest: read.manifest, unannotated: read.unannotated, drops, taskFiles, llm });
  const tmp = `${out}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  // Plain writes into the private folder: the swap below is what makes the corpus appear whole.
  const made = new Set<string>();
  for (const [path, content] of built.files) {
    const target = join(tmp, path);
    const dir = dirname(target);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    writeFileSync(target, content);
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(dirname(out), { recursive: true });
  renameSync(tmp, out);
  return { out, files: built.files.size, stats: built.stats, drops: built.drops, taskCounts: taskFiles?.counts ?? {}, llm, seconds: (performance.now() - started) / 1000 };
}
