/**
 * The vocabulary of drug, condition and symptom names (with synonyms) that the grounding checks
 * scan notes for, loaded from a knowledge file, and the term finder over it.
 */
import { basename, dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { KnowledgeError } from '../../errors.js';
import { loadKnowledgeFile } from '../../knowledge/load.js';
import type { Fact, FactSheet } from '../facts.js';
import { knowledgeTerms, type KnowledgeTerms } from './knowledge-terms.js';
import { wholeWords } from './whole-words.js';

const entrySchema = z.object({ name: z.string().min(1), synonyms: z.array(z.string().min(1)) }).strict();
export const vocabularyFileSchema = z
  .object({
    drugs: z.array(entrySchema),
    conditions: z.array(entrySchema),
    symptoms: z.array(entrySchema),
    /** Lab tests a note may only name when the sheet has a result of them. */
    labs: z.array(entrySchema).optional(),
  })
  .strict();
export type VocabularyFile = z.infer<typeof vocabularyFileSchema>;

export type ConceptKind = 'drug' | 'condition' | 'symptom' | 'lab';

export interface Concept {
  readonly kind: ConceptKind;
  readonly name: string;
  /** Name and synonyms. */
  readonly terms: readonly string[];
}

/** One vocabulary term found in a text. */
export interface TermHit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly concept: Concept;
}

export interface Vocabulary {
  readonly concepts: readonly Concept[];
  /** Non-overlapping hits, longest term first at any position, in text order. */
  find(text: string): TermHit[];
  /** Whether any term of the concept occurs in the text (overlaps allowed: "diabetes" in "type 2 diabetes"). */
  occursIn(concept: Concept, text: string): boolean;
}

/**
 * Loads the bundled vocabulary (`src/knowledge/data/note-vocabulary.yaml`) extended with every
 * disorder and drug the knowledge files can put in a record, or another file of the same shape
 * (as it is). Async for callers' sake; the reads are a few small files.
 */
export async function loadVocabulary(path?: string): Promise<Vocabulary> {
  const data = path === undefined
    ? withKnowledgeTerms(loadKnowledgeFile('note-vocabulary.yaml', vocabularyFileSchema), knowledgeTerms())
    : loadKnowledgeFile(basename(path), vocabularyFileSchema, pathToFileURL(`${dirname(resolve(path))}/`));
  return buildVocabulary(data);
}

/**
 * The vocabulary file plus the knowledge files' names that it does not already hold: each new
 * disorder or drug ingredient becomes a concept of its own (its brands as synonyms), so a note naming
 * it without the record is caught. Names the file already has (as any concept's term) are left to it.
 */
export function withKnowledgeTerms(file: VocabularyFile, terms: KnowledgeTerms): VocabularyFile {
  const taken = new Set<string>();
  for (const entry of [...file.drugs, ...file.conditions, ...file.symptoms, ...(file.labs ?? [])]) {
    for (const term of [entry.name, ...entry.synonyms]) taken.add(term.toLowerCase());
  }
  const conditions = [...file.conditions];
  for (const name of terms.conditions) {
    if (taken.has(name.toLowerCase())) continue;
    taken.add(name.toLowerCase());
    conditions.push({ name, synonyms: [] });
  }
  const drugs = [...file.drugs];
  for (const drug of terms.drugs) {
    if (taken.has(drug.name.toLowerCase())) continue;
    const synonyms = drug.synonyms.filter((s) => !taken.has(s.toLowerCase()));
    for (const term of [drug.name, ...synonyms]) taken.add(term.toLowerCase());
    drugs.push({ name: drug.name, synonyms });
  }
  return { ...file, drugs, conditions };
}

/** Terms in capitals only (HTN, T2DM) are abbreviations and match case-sensitively. */
function isAbbreviation(term: string): boolean {
  return /^[A-Z0-9-]+$/.test(term) && /[A-Z]/.test(term);
}

export function buildVocabulary(file: VocabularyFile): Vocabulary {
  const concepts: Concept[] = [];
  const byTerm = new Map<string, Concept>();
  const add = (kind: ConceptKind, entries: VocabularyFile['drugs']) => {
    for (const entry of entries) {
      const concept: Concept = { kind, name: entry.name, terms: [entry.name, ...entry.synonyms] };
      concepts.push(concept);
      for (const term of concept.terms) {
        const key = isAbbreviation(term) ? term : term.toLowerCase();
        if (byTerm.has(key)) throw new KnowledgeError(`note vocabulary: term "${term}" belongs to two concepts`);
        byTerm.set(key, concept);
      }
    }
  };
  add('drug', file.drugs);
  add('condition', file.conditions);
  add('symptom', file.symptoms);
  add('lab', file.labs ?? []);
  const all = [...byTerm.keys()];
  const sensitive = wholeWords(all.filter(isAbbreviation), 'g');
  const insensitive = wholeWords(all.filter((t) => !isAbbreviation(t)), 'gi');
  const termRegex = new Map<Concept, { caps: RegExp | undefined; words: RegExp | undefined }>();
  for (const concept of concepts) {
    termRegex.set(concept, {
      caps: wholeWords(concept.terms.filter(isAbbreviation), ''),
      words: wholeWords(concept.terms.filter((t) => !isAbbreviation(t)), 'i'),
    });
  }

  return {
    concepts,
    find(text) {
      const hits: TermHit[] = [];
      for (const [regex, caseSensitive] of [[sensitive, true], [insensitive, false]] as const) {
        if (regex === undefined) continue;
        for (const m of text.matchAll(regex)) {
          const term = m[0];
          const concept = byTerm.get(caseSensitive ? term : term.toLowerCase().replace(/\s+/g, ' '));
          if (concept !== undefined) hits.push({ start: m.index, end: m.index + term.length, text: term, concept });
        }
      }
      hits.sort((a, b) => a.start - b.start || b.end - a.end);
      const kept: TermHit[] = [];
      for (const hit of hits) {
        const last = kept.at(-1);
        if (last !== undefined && hit.start < last.end) continue;
        kept.push(hit);
      }
      return kept;
    },
    occursIn(concept, text) {
      const { caps, words } = termRegex.get(concept)!;
      return (caps?.test(text) ?? false) || (words?.test(text) ?? false);
    },
  };
}

/** The texts by which the record names its facts: labels, code displays, synonyms. */
export function factTexts(fact: Fact): string[] {
  return [fact.label, ...(fact.code === undefined ? [] : [fact.code.display]), ...(fact.synonyms ?? [])];
}

/** Facts whose names mention the concept. */
export function factsNaming(vocabulary: Vocabulary, concept: Concept, sheet: FactSheet): Fact[] {
  return sheet.facts.filter((fact) => factTexts(fact).some((text) => vocabulary.occursIn(concept, text)));
}
