/** What every corpus format writer is given, and what it returns. */
import type { CorpusDocument, DropCounts } from './document.js';
import type { SplitName } from './split.js';

/** The annotation layers asked for (`--tasks ner,phi,assertion,relation`). */
export interface CorpusLayers {
  readonly ner: boolean;
  readonly phi: boolean;
  readonly assertion: boolean;
  readonly relation: boolean;
}

export interface FormatInput {
  readonly splits: Readonly<Record<SplitName, readonly CorpusDocument[]>>;
  readonly layers: CorpusLayers;
  readonly drops: DropCounts;
}

/** Files to write, by path relative to the corpus folder, in a fixed order. */
export type CorpusFiles = Map<string, string>;

export const FORMATS = ['jsonl', 'bigbio', 'brat', 'conll', 'spacy', 'i2b2'] as const;
export type CorpusFormat = (typeof FORMATS)[number];
