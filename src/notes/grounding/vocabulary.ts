/**
 * The vocabulary of drug, condition and symptom names (with synonyms) that the grounding checks
 * scan notes for, loaded from a knowledge file, and the term finder over it.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { KnowledgeError } from '../../errors.js';
import type { Fact, FactSheet } from '../facts.js';

const entrySchema = z.object({ name: z.string().min(1), synonyms: z.array(z.string().min(1)) }).strict();
export const vocabularyFileSchema = z
  .object({ drugs: z.array(entrySchema), conditions: z.array(entrySchema), symptoms: z.array(entrySchema) })
  .strict();
export type VocabularyFile = z.infer<typeof vocabularyFileSchema>;

export type ConceptKind = 'drug' | 'condition' | 'symptom';

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

export const DEFAULT_VOCABULARY_PATH = fileURLToPath(new URL('../../../src/knowledge/data/note-vocabulary.yaml', import.meta.url));

/** Loads the bundled vocabulary or the file given. */
export async function loadVocabulary(path: string = DEFAULT_VOCABULARY_PATH): Promise<Vocabulary> {
  let data: unknown;
  try {
    data = parseYaml(await readFile(path, 'utf8'));
  } catch (error) {
    throw new KnowledgeError(`${path}: cannot read note vocabulary: ${(error as Error).message}`, { cause: error });
  }
  const parsed = vocabularyFileSchema.safeParse(data);
  if (!parsed.success) {
    throw new KnowledgeError(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return buildVocabulary(parsed.data);
}

/** Terms in capitals only (HTN, T2DM) are abbreviations and match case-sensitively. */
function isAbbreviation(term: string): boolean {
  return /^[A-Z0-9-]+$/.test(term) && /[A-Z]/.test(term);
}

function escape(term: string): string {
  return term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
}

function alternation(terms: readonly string[], flags: string): RegExp | undefined {
  if (terms.length === 0) return undefined;
  const sorted = [...terms].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  return new RegExp(`(?<![A-Za-z0-9])(?:${sorted.map(escape).join('|')})(?![A-Za-z0-9])`, flags);
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
  const all = [...byTerm.keys()];
  const sensitive = alternation(all.filter(isAbbreviation), 'g');
  const insensitive = alternation(all.filter((t) => !isAbbreviation(t)), 'gi');
  const termRegex = new Map<Concept, { caps: RegExp | undefined; words: RegExp | undefined }>();
  for (const concept of concepts) {
    termRegex.set(concept, {
      caps: alternation(concept.terms.filter(isAbbreviation), ''),
      words: alternation(concept.terms.filter((t) => !isAbbreviation(t)), 'i'),
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
