/**
 * A corpus from annotated notes: split by patient, optionally oversample a rare label, write each
 * requested format, and the datasheet. Pure: the same documents and options give the same files,
 * byte for byte.
 */
import { writeBigbio } from './bigbio.js';
import { writeBrat } from './brat.js';
import { writeConll } from './conll.js';
import { datasheet } from './datasheet.js';
import { emptyDrops, type CorpusDocument, type DropCounts } from './document.js';
import type { CorpusFiles, CorpusFormat, CorpusLayers, FormatInput } from './format.js';
import { writeI2b2 } from './i2b2.js';
import { writeJsonl } from './jsonl.js';
import type { LlmTaskReport } from './llm-tasks.js';
import { writeSpacy } from './spacy.js';
import { assignSplits, balanceTraining, splitDocuments, type SplitRatios } from './split.js';
import { corpusStats, type CorpusStats } from './stats.js';

export const TASKS = ['ner', 'phi', 'assertion', 'relation', 'summary', 'qa', 'deid'] as const;
export type CorpusTask = (typeof TASKS)[number];

export interface BuildCorpusOptions {
  readonly formats: readonly CorpusFormat[];
  readonly tasks: ReadonlySet<CorpusTask>;
  readonly split: SplitRatios;
  readonly seed: number;
  readonly balance?: string | undefined;
  /** For the datasheet. */
  readonly source: string;
  readonly manifest: Record<string, unknown>;
  readonly unannotated?: number;
  /** Spans already dropped while reading. */
  readonly drops?: DropCounts;
  /**
   * The datasheet's statistics when already computed for these documents, split and balance (a
   * caller writing one format at a time computes them once, not once per format).
   */
  readonly stats?: CorpusStats | undefined;
  /** Task corpora (QA, de-identification, summarization) built outside, by path, with their pair counts. */
  readonly taskFiles?: { readonly files: CorpusFiles; readonly counts: Readonly<Record<string, number>> } | undefined;
  /** What a language model wrote of the task corpora, kept and rejected (`--llm`). */
  readonly llm?: LlmTaskReport | undefined;
}

export interface BuiltCorpus {
  readonly files: CorpusFiles;
  readonly stats: CorpusStats;
  readonly drops: DropCounts;
  readonly splitOf: ReadonlyMap<string, string>;
}

const WRITERS: Readonly<Record<CorpusFormat, (input: FormatInput) => CorpusFiles>> = {
  jsonl: writeJsonl,
  bigbio: writeBigbio,
  brat: writeBrat,
  conll: writeConll,
  spacy: writeSpacy,
  i2b2: writeI2b2,
};

export function layersOf(tasks: ReadonlySet<CorpusTask>): CorpusLayers {
  return { ner: tasks.has('ner') || tasks.has('assertion') || tasks.has('relation'), phi: tasks.has('phi') || tasks.has('deid'), assertion: tasks.has('assertion'), relation: tasks.has('relation') };
}

export function buildCorpus(documents: readonly CorpusDocument[], options: BuildCorpusOptions): BuiltCorpus {
  const drops = options.drops ?? emptyDrops();
  const splitOf = assignSplits(documents.map((d) => d.patientId), options.split, options.seed);
  const splits = splitDocuments(documents, splitOf);
  let balance: { label: string; added: number } | undefined;
  if (options.balance !== undefined) {
    const balanced = balanceTraining(splits.train, options.balance);
    splits.train = balanced.documents;
    balance = { label: options.balance, added: balanced.added };
  }
  const input: FormatInput = { splits, layers: layersOf(options.tasks), drops };
  const files: CorpusFiles = new Map();
  for (const format of options.formats) for (const [path, content] of WRITERS[format](input)) files.set(path, content);
  for (const [path, content] of options.taskFiles?.files ?? []) files.set(path, content);
  const stats = options.stats ?? corpusStats(splits);
  files.set(
    'README.md',
    datasheet({
      source: options.source,
      manifest: options.manifest,
      formats: options.formats,
      tasks: [...options.tasks],
      split: options.split,
      seed: options.seed,
      balance,
      stats,
      drops,
      unannotated: options.unannotated ?? 0,
      taskCounts: options.taskFiles?.counts ?? {},
      llm: options.llm,
    }),
  );
  return { files, stats, drops, splitOf };
}

