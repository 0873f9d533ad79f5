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

export interface CorpusRunOptions {
  readonly input: string;
  readonly out?: string | undefined;
  readonly formats: readonly CorpusFormat[];
  readonly tasks: ReadonlySet<CorpusTask>;
  readonly split: SplitRatios;
  /** Default: the generation's seed (manifest), else 0. */
  readonly seed?: number | undefined;
  readonly balance?: string | undefined;
}

export interface CorpusRunResult {
  readonly out: string;
  readonly files: number;
  readonly stats: CorpusStats;
  readonly drops: DropCounts;
  readonly taskCounts: Readonly<Record<string, number>>;
  readonly seconds: number;
}

export function runCorpus(options: CorpusRunOptions): CorpusRunResult {
  const started = performance.now();
  const out = options.out ?? join(options.input, 'corpus');
  const drops = emptyDrops();
  const read = readGenerateOutput(options.input, drops);
  const manifestSeed = read.manifest['seed'];
  const seed = options.seed ?? (typeof manifestSeed === 'number' ? manifestSeed : 0);
  const wantsTasks = ['summary', 'qa', 'deid'].some((t) => options.tasks.has(t as CorpusTask));
  let taskFiles: ReturnType<typeof taskCorpora> | undefined;
  if (wantsTasks) {
    const bundleOf = (patientId: string) => {
      const path = join(options.input, 'fhir', `${patientId}.json`);
      return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : undefined;
    };
    taskFiles = taskCorpora(read.documents, assignSplits(read.documents.map((d) => d.patientId), options.split, seed), options.tasks, bundleOf);
  }
  const built = buildCorpus(read.documents, { formats: options.formats, tasks: options.tasks, split: options.split, seed, balance: options.balance, source: options.input, manifest: read.manifest, unannotated: read.unannotated, drops, taskFiles });
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
  return { out, files: built.files.size, stats: built.stats, drops: built.drops, taskCounts: taskFiles?.counts ?? {}, seconds: (performance.now() - started) / 1000 };
}
