import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { runCliAsync as cli } from '../support/cli.js';
import { ROOT } from './support/paths.js';
import { runPython } from './support/python.js';

/**
 * `chartwright corpus` (every format) on the tier's small cohort with notes (10 patients, generated
 * by global setup), read by the NLP tools people train with: spaCy (the README's
 * converter lines, and `python -m spacy convert -c ner`), seqeval, Hugging Face `datasets` and
 * lxml, all in one Python process (python/corpus_consumers.py; it runs spaCy's CLI once per CoNLL file). Each section of its answer lists
 * every disagreement with the corpus's own JSONL; each test asserts its section's is empty and its
 * counts are the corpus summary's.
 */
const SPLITS = ['train', 'validation', 'test'] as const;

interface Section {
  counts: Record<string, number>;
  problems: string[];
  problemCount: number;
  seconds: number;
}

interface Answer {
  versions: Record<string, string>;
  notes: Record<(typeof SPLITS)[number], number>;
  spacy_jsonl: Section;
  spacy_conll: Record<'ner' | 'phi', Section>;
  seqeval: Record<'ner' | 'phi', Section>;
  datasets: { jsonl: Section; bigbio: Section };
  lxml: Section;
}

interface Summary {
  stats: { notes: number; bySplit: Record<(typeof SPLITS)[number], { notes: number }> };
  drops: { overlapping: Record<string, number>; misaligned: Record<string, number> };
}

interface JsonlRecord {
  entities: unknown[];
  phi: unknown[];
  relations: unknown[];
}

let answer: Answer;
let summary: Summary;
let records: JsonlRecord[];
let corpus: string;

/** What a section's problems are, for a failure message that names them. */
const problems = (s: Section): { count: number; first: string[] } => ({ count: s.problemCount, first: s.problems });
const none = { count: 0, first: [] };

beforeAll(async () => {
  const scratch = inject('interopScratch');
  corpus = join(scratch, 'corpus');
  const made = await cli(['corpus', inject('interopSmallCohort'), '--out', corpus, '--json']);
  expect(made.code, made.stderr).toBe(0);
  summary = JSON.parse(made.stdout) as Summary;
  records = SPLITS.flatMap((split) =>
    readFileSync(join(corpus, 'jsonl', `${split}.jsonl`), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as JsonlRecord),
  );
  const run = await runPython(join(ROOT, 'test', 'interop', 'python', 'corpus_consumers.py'), [corpus, join(ROOT, 'README.md'), join(scratch, 'nlp-consumers')]);
  // Nothing on stderr: a consumer's warning (a dataset card it ignores part of, say) is a finding too.
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  answer = JSON.parse(run.stdout) as Answer;
  const s = (x: Section): string => `${x.seconds} s`;
  process.stderr.write(
    `interop: NLP consumers on ${summary.stats.notes} notes (spaCy ${answer.versions.spacy}, datasets ${answer.versions.datasets}, seqeval ${answer.versions.seqeval}, lxml ${answer.versions.lxml}): ` +
      `spaCy JSONL ${s(answer.spacy_jsonl)}, spacy convert ${s(answer.spacy_conll.ner)} + ${s(answer.spacy_conll.phi)}, seqeval ${s(answer.seqeval.ner)} + ${s(answer.seqeval.phi)}, ` +
      `datasets ${s(answer.datasets.jsonl)} + ${s(answer.datasets.bigbio)}, lxml ${s(answer.lxml)}\n`,
  );
});

const total = (kind: 'entities' | 'phi'): number => records.reduce((n, r) => n + r[kind].length, 0);
const dropped = (key: string): number => (summary.drops.overlapping[key] ?? 0) + (summary.drops.misaligned[key] ?? 0);

describe('chartwright corpus read by the NLP tools', () => {
  it('writes a corpus with notes in every split, so each consumer reads each split', () => {
    for (const split of SPLITS) expect(summary.stats.bySplit[split].notes, split).toBeGreaterThan(0);
    expect(answer.notes).toEqual(Object.fromEntries(SPLITS.map((s) => [s, summary.stats.bySplit[s].notes])));
    expect(total('entities')).toBeGreaterThan(100);
    expect(total('phi')).toBeGreaterThan(100);
  });

  it("spaCy: the README's converter lines turn the spaCy JSONL into DocBins with every span as an entity, each accepted by char_span strict", () => {
    const s = answer.spacy_jsonl;
    expect(problems(s)).toEqual(none);
    expect(s.counts.readmeLines).toBeLessThanOrEqual(12);
    expect(s.counts.docs).toBe(summary.stats.notes);
    // Every entity and PHI span of the JSONL is in the DocBins, or counted by the corpus as dropped.
    expect(s.counts.ents).toBe(s.counts.spans);
    expect(s.counts.ents! + dropped('spacy')).toBe(total('entities') + total('phi'));
  });

  it('spaCy: python -m spacy convert -c ner reads both CoNLL layers into DocBins with the same words and entities', () => {
    for (const layer of ['ner', 'phi'] as const) {
      const s = answer.spacy_conll[layer];
      expect(problems(s), layer).toEqual(none);
      expect(s.counts.converted, layer).toBe(3);
      expect(s.counts.docs, layer).toBe(summary.stats.notes);
      expect(s.counts.ents! + dropped(`conll-${layer}`), layer).toBe(total(layer === 'ner' ? 'entities' : 'phi'));
    }
  });

  it('seqeval: every CoNLL tag sequence is well-formed IOB2 and reads the same entities as spaCy', () => {
    for (const layer of ['ner', 'phi'] as const) {
      const s = answer.seqeval[layer];
      expect(problems(s), layer).toEqual(none);
      expect(s.counts.entities, layer).toBe(answer.spacy_conll[layer].counts.ents);
      expect(s.counts.labels, layer).toBeGreaterThan(3);
    }
  });

  it('datasets: load_dataset("json") loads the JSONL splits with every entity and PHI span selecting its text', () => {
    const s = answer.datasets.jsonl;
    expect(problems(s)).toEqual(none);
    for (const split of SPLITS) expect(s.counts[`rows.${split}`], split).toBe(summary.stats.bySplit[split].notes);
    expect(s.counts.spans).toBe(total('entities') + total('phi'));
  });

  it('datasets: load_dataset(<bigbio folder>) loads the bigbio_kb splits with the dataset card’s features', () => {
    const s = answer.datasets.bigbio;
    expect(problems(s)).toEqual(none);
    expect(s.counts.splits).toBe(3);
    for (const split of SPLITS) expect(s.counts[`rows.${split}`], split).toBe(summary.stats.bySplit[split].notes);
    expect(s.counts.entities).toBe(total('entities') + total('phi'));
    expect(s.counts.relations).toBe(records.reduce((n, r) => n + r.relations.length, 0));
    expect(s.counts.normalized).toBeGreaterThan(total('entities') / 2);
  });

  it('lxml: every i2b2 2014 XML file parses strictly, and each tag is a PHI span of its note whose offsets select its text', () => {
    const s = answer.lxml;
    expect(problems(s)).toEqual(none);
    expect(s.counts.files).toBe(summary.stats.notes);
    expect(s.counts.tags).toBe(total('phi'));
  });
});
