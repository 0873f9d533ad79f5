/**
 * What the annotator knows beyond the fact sheet, built once per vocabulary: the drug, condition,
 * symptom and lab vocabulary; procedures, vaccines and allergens by their chart names; ConText
 * trigger rules; tobacco statements; and the word shapes that mark an unknown word as clinical.
 * All of it is read from knowledge files (`note-clinical-terms.yaml`, `note-context-rules.yaml`).
 */
import { z } from 'zod';
import { loadKnowledgeFile, once } from '../../knowledge/load.js';
import type { Vocabulary } from '../grounding/vocabulary.js';
import { wholeWords } from '../grounding/whole-words.js';

const entrySchema = z.object({ name: z.string().min(1), synonyms: z.array(z.string().min(1)) }).strict();
const clinicalTermsSchema = z
  .object({
    procedures: z.array(entrySchema),
    vaccines: z.array(entrySchema),
    allergens: z.array(z.string().min(1)),
    shapes: z
      .object({
        drugSuffixes: z.array(z.string().min(2)),
        problemSuffixes: z.array(z.string().min(2)),
        procedureSuffixes: z.array(z.string().min(2)),
        notClinical: z.array(z.string().min(1)),
        units: z.array(z.string().min(1)),
      })
      .strict(),
    smoking: z.object({ never: z.array(z.string()), former: z.array(z.string()), current: z.array(z.string()) }).strict(),
  })
  .strict();

export const CONTEXT_CATEGORIES = ['negated', 'possible', 'hypothetical', 'historical', 'family', 'pseudo', 'terminate'] as const;
export type ContextCategory = (typeof CONTEXT_CATEGORIES)[number];
const contextRulesSchema = z
  .object({
    rules: z.array(
      z.object({ literal: z.string().min(1), category: z.enum(CONTEXT_CATEGORIES), direction: z.enum(['forward', 'backward', 'bidirectional']) }).strict(),
    ),
  })
  .strict();
export type ContextRule = z.infer<typeof contextRulesSchema>['rules'][number];

export type LexiconKind = 'procedure' | 'vaccine';

/** A named concept outside the vocabulary: a procedure or a vaccine, with its chart names. */
export interface LexiconConcept {
  readonly kind: LexiconKind;
  readonly name: string;
  readonly terms: readonly string[];
}

export interface LexiconHit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly concept: LexiconConcept;
}

/** A term finder over a fixed list of concepts: capitals-only terms match case-sensitively. */
export interface TermFinder<C> {
  find(text: string): { start: number; end: number; text: string; concept: C }[];
}

function isAbbreviation(term: string): boolean {
  return /^[A-Z0-9&/-]+$/.test(term) && /[A-Z]/.test(term);
}

/** One finder over many concepts' terms; the longest term wins where several start at one place. */
export function termFinder<C>(entries: readonly { readonly concept: C; readonly terms: readonly string[] }[]): TermFinder<C> {
  const exact = new Map<string, C>();
  const folded = new Map<string, C>();
  for (const { concept, terms } of entries) {
    for (const term of terms) {
      if (isAbbreviation(term)) {
        if (!exact.has(term)) exact.set(term, concept);
      } else if (!folded.has(term.toLowerCase())) folded.set(term.toLowerCase(), concept);
    }
  }
  const caps = wholeWords([...exact.keys()], 'g');
  const words = wholeWords([...folded.keys()], 'gi');
  return {
    find(text) {
      const hits: { start: number; end: number; text: string; concept: C }[] = [];
      if (caps !== undefined) {
        for (const m of text.matchAll(caps)) hits.push({ start: m.index, end: m.index + m[0].length, text: m[0], concept: exact.get(m[0])! });
      }
      if (words !== undefined) {
        for (const m of text.matchAll(words)) {
          const concept = folded.get(m[0].toLowerCase().replace(/\s+/g, ' '));
          if (concept !== undefined) hits.push({ start: m.index, end: m.index + m[0].length, text: m[0], concept });
        }
      }
      return longestFirst(hits);
    },
  };
}

/** Non-overlapping spans, the longest kept where they overlap, in text order. */
export function longestFirst<T extends { start: number; end: number }>(hits: T[]): T[] {
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: T[] = [];
  for (const hit of hits) {
    const last = kept.at(-1);
    if (last !== undefined && hit.start < last.end) {
      if (hit.end - hit.start > last.end - last.start) kept[kept.length - 1] = hit;
      continue;
    }
    kept.push(hit);
  }
  return kept;
}

export type SmokingClaim = 'never' | 'former' | 'current';

export interface Lexicon {
  readonly vocabulary: Vocabulary;
  readonly concepts: TermFinder<LexiconConcept>;
  readonly allergens: ReadonlySet<string>;
  readonly smoking: TermFinder<SmokingClaim>;
  readonly rules: readonly ContextRule[];
  /** All trigger literals, longest first at any position. */
  readonly triggers: RegExp;
  readonly ruleByLiteral: ReadonlyMap<string, ContextRule>;
  /** Words with a clinical ending: groups 1 drug, 2 problem, 3 procedure. */
  readonly shape: RegExp;
  readonly notClinical: ReadonlySet<string>;
  /** A number with a dose unit: "20 mg", "0.5 mcg", "10 units". */
  readonly doseNumber: RegExp;
  /** Every lower-cased word of every known term: words that are not unknown. */
  readonly knownWords: ReadonlySet<string>;
}

const clinicalTerms = once(() => loadKnowledgeFile('note-clinical-terms.yaml', clinicalTermsSchema));
const contextRules = once(() => loadKnowledgeFile('note-context-rules.yaml', contextRulesSchema));

const cache = new WeakMap<Vocabulary, Lexicon>();

function alternation(items: readonly string[]): string {
  return [...items].sort((a, b) => b.length - a.length).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}

/** The lexicon of a vocabulary, built on first use and kept for the vocabulary's lifetime. */
export function lexiconFor(vocabulary: Vocabulary): Lexicon {
  const hit = cache.get(vocabulary);
  if (hit !== undefined) return hit;
  const data = clinicalTerms();
  const rules = contextRules().rules;
  const concepts: LexiconConcept[] = [
    ...data.procedures.map((e) => ({ kind: 'procedure' as const, name: e.name, terms: [e.name, ...e.synonyms] })),
    ...data.vaccines.map((e) => ({ kind: 'vaccine' as const, name: e.name, terms: [e.name, ...e.synonyms] })),
  ];
  const knownWords = new Set<string>();
  const addWords = (term: string) => {
    for (const w of term.toLowerCase().split(/[^a-z0-9]+/)) if (w !== '') knownWords.add(w);
  };
  for (const c of concepts) c.terms.forEach(addWords);
  for (const c of vocabulary.concepts) c.terms.forEach(addWords);
  data.allergens.forEach(addWords);
  const shapes = data.shapes;
  const lexicon: Lexicon = {
    vocabulary,
    concepts: termFinder(concepts.map((concept) => ({ concept, terms: concept.terms }))),
    allergens: new Set(data.allergens.map((a) => a.toLowerCase())),
    smoking: termFinder((['never', 'former', 'current'] as const).map((status) => ({ concept: status, terms: data.smoking[status] }))),
    rules,
    triggers: new RegExp(`(?<![A-Za-z0-9/])(?:${alternation(rules.map((r) => r.literal))})(?![A-Za-z0-9])`, 'gi'),
    ruleByLiteral: new Map(rules.map((r) => [r.literal.toLowerCase(), r])),
    shape: new RegExp(
      `\\b(?:([A-Za-z]{3,}(?:${alternation(shapes.drugSuffixes)}))|([A-Za-z]{3,}(?:${alternation(shapes.problemSuffixes)}))|([A-Za-z]{3,}(?:${alternation(shapes.procedureSuffixes)})))\\b`,
      'g',
    ),
    notClinical: new Set(shapes.notClinical.map((w) => w.toLowerCase())),
    doseNumber: /\b(\d+(?:\.\d+)?)\s?(mg|mcg|µg|g|mL|units?|IU|mEq)\b/gi,
    knownWords,
  };
  cache.set(vocabulary, lexicon);
  return lexicon;
}
