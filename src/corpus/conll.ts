/**
 * CoNLL NER in IOB2 (Tjong Kim Sang & De Meulder 2003 layout): one token per line as
 * `token -X- O TAG`, a blank line between sentences, `-DOCSTART- -X- O O` before each note. One
 * file set per layer (`conll/ner/`, `conll/phi/`), since a token has one tag. Spans are flat:
 * where two overlap the longer stays and the other is counted, as is a span whose edges fall
 * inside a token. `python -m spacy convert -c ner` and seqeval read it.
 */
import { countDrop, flatSpans, type CorpusDocument, type DropCounts } from './document.js';
import type { CorpusFiles, FormatInput } from './format.js';
import { tokenize } from './tokens.js';
import { SPLITS } from './split.js';

/** The CoNLL lines of one note for one layer. */
export function conllDocument(d: CorpusDocument, layer: 'ner' | 'phi', drops: DropCounts): string {
  const key = `conll-${layer}`;
  const spans = flatSpans(d, { ner: layer === 'ner', phi: layer === 'phi' }, () => countDrop(drops.overlapping, key));
  const { count, starts, ends, sentenceStarts } = tokenize(d.text);
  // The tag of each token: 0 outside, 2k+1 = B- and 2k+2 = I- of span k. Spans come sorted by start
  // and never overlap, so one forward sweep over the tokens finds each span's first and last token.
  const tags = new Int32Array(count);
  let sentence = 0;
  let k = 0;
  spans.forEach((span, si) => {
    while (k < count && starts[k]! < span.start) k++;
    if (k === count || starts[k] !== span.start) {
      countDrop(drops.misaligned, key);
      return;
    }
    let last = k;
    while (last < count && ends[last]! < span.end) last++;
    while (sentenceStarts[sentence + 1]! <= k) sentence++;
    if (last === count || ends[last] !== span.end || last >= sentenceStarts[sentence + 1]!) {
      countDrop(drops.misaligned, key);
      return;
    }
    tags[k] = 2 * si + 1;
    for (let t = k + 1; t <= last; t++) tags[t] = 2 * si + 2;
    k = last + 1;
  });
  const { text } = d;
  const out: string[] = ['-DOCSTART- -X- O O', ''];
  for (let s = 0; s + 1 < sentenceStarts.length; s++) {
    for (let t = sentenceStarts[s]!; t < sentenceStarts[s + 1]!; t++) {
      const tag = tags[t]!;
      out.push(`${text.slice(starts[t], ends[t])} -X- O ${tag === 0 ? 'O' : `${tag % 2 === 1 ? 'B' : 'I'}-${spans[(tag - 1) >> 1]!.label}`}`);
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

export function writeConll(input: FormatInput): CorpusFiles {
  const layers = (['ner', 'phi'] as const).filter((l) => input.layers[l]);
  // Both layers of a note one after the other, so its tokens are computed once.
  const parts = new Map<string, string[]>();
  for (const layer of layers) for (const split of SPLITS) parts.set(`conll/${layer}/${split}.conll`, []);
  for (const split of SPLITS) {
    for (const d of input.splits[split]) for (const layer of layers) parts.get(`conll/${layer}/${split}.conll`)!.push(conllDocument(d, layer, input.drops));
  }
  return new Map([...parts].map(([path, docs]) => [path, docs.join('')]));
}
