/**
 * CoNLL NER in IOB2 (Tjong Kim Sang & De Meulder 2003 layout): one token per line as
 * `token -X- O TAG`, a blank line between sentences, `-DOCSTART- -X- O O` before each note. One
 * file set per layer (`conll/ner/`, `conll/phi/`), since a token has one tag. Spans are flat:
 * where two overlap the longer stays and the other is counted, as is a span whose edges fall
 * inside a token. `python -m spacy convert -c ner` and seqeval read it.
 */
import { countDrop, flatSpans, type CorpusDocument, type DropCounts } from './document.js';
import type { CorpusFiles, FormatInput } from './format.js';
import { tokenizeSentences } from './tokens.js';
import { SPLITS } from './split.js';

/** The CoNLL lines of one note for one layer. */
export function conllDocument(d: CorpusDocument, layer: 'ner' | 'phi', drops: DropCounts): string {
  const key = `conll-${layer}`;
  const spans = flatSpans(d, { ner: layer === 'ner', phi: layer === 'phi' }, () => countDrop(drops.overlapping, key));
  const sentences = tokenizeSentences(d.text);
  // Tag per token: find each span's first and last token by offset.
  const tags = new Map<number, string>();
  const startAt = new Map<number, number>();
  const endAt = new Map<number, number>();
  const sentenceOf: number[] = [];
  let k = 0;
  sentences.forEach((s, si) => {
    for (const t of s) {
      startAt.set(t.start, k);
      endAt.set(t.end, k);
      sentenceOf.push(si);
      k++;
    }
  });
  for (const span of spans) {
    const first = startAt.get(span.start);
    const last = endAt.get(span.end);
    if (first === undefined || last === undefined || last < first || sentenceOf[first] !== sentenceOf[last]) {
      countDrop(drops.misaligned, key);
      continue;
    }
    tags.set(first, `B-${span.label}`);
    for (let i = first + 1; i <= last; i++) tags.set(i, `I-${span.label}`);
  }
  const out: string[] = ['-DOCSTART- -X- O O', ''];
  k = 0;
  for (const s of sentences) {
    for (const t of s) {
      out.push(`${d.text.slice(t.start, t.end)} -X- O ${tags.get(k) ?? 'O'}`);
      k++;
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

export function writeConll(input: FormatInput): CorpusFiles {
  const files: CorpusFiles = new Map();
  const layers = (['ner', 'phi'] as const).filter((l) => input.layers[l]);
  for (const layer of layers) {
    for (const split of SPLITS) {
      files.set(`conll/${layer}/${split}.conll`, input.splits[split].map((d) => conllDocument(d, layer, input.drops)).join(''));
    }
  }
  return files;
}
