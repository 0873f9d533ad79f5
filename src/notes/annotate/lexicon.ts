/**
 * What the annotator knows beyond the fact sheet, built once per vocabulary: the drug, condition,
 * symptom and lab vocabulary; procedures, vaccines and allergens by their chart names; ConText
 * trigger rules; tobacco statements; and the word shapes that mark an unknown word as clinical.
 * All of it is read from knowledge files (`note-clinical-terms.yaml`, `note-context-rules.yaml`).
 */
import { z } from 'zod';
import { normalExam } from '../../knowledge/exam-normal.js';
import { loadKnowledgeFile, once } from '../../knowledge/load.js';
import { presentationsByCode } from '../../knowledge/presentations.js';
import type { Concept, Vocabulary as VocabularyType } from '../grounding/vocabulary.js';
import { TokenTrie } from './tokens.js';

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
        labUnits: z.array(z.string().min(1)),
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
      z.object({ literal: z.string().min(1), category: z.enum(CONTEXT_CATEGORIES), direction: z.enum(['forward', 'backward', 'bidirectional']), claim: z.boolean().optional(), section: z.literal('past-history').optional() }).strict(),
    ),
    emptyScopes: z.array(z.string().min(1)),
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
  readonly vocabulary: VocabularyType;
  /** The vocabulary's drugs, conditions, symptoms and labs. */
  readonly terms: TokenTrie<Concept>;
  /** Procedures and vaccines. */
  readonly concepts: TokenTrie<LexiconConcept>;
  readonly allergens: ReadonlySet<string>;
  readonly smoking: TokenTrie<SmokingClaim>;
  readonly rules: readonly ContextRule[];
  readonly triggers: TokenTrie<ContextRule>;
  /** Words with a clinical ending: groups 1 drug, 2 problem, 3 procedure. */
  readonly shape: RegExp;
  /**
   * The group {@link shape} gives a whole word of ASCII letters (1 drug, 2 problem, 3 procedure),
   * or 0: its ending read back through a trie of reversed suffixes, instead of the expression's
   * alternatives tried at every word.
   */
  readonly shapeOf: (word: string) => 0 | 1 | 2 | 3;
  readonly notClinical: ReadonlySet<string>;
  /** A number with a dose unit: "20 mg", "0.5 mcg", "10 units". */
  readonly doseNumber: RegExp;
  /** A number in a lab unit: "40 U/L", "1.2 mg/dL". */
  readonly labValue: RegExp;
  /** What may follow "denies" without denying anything clinical ("denies any concerns"). */
  readonly emptyScopes: ReadonlySet<string>;
  /**
   * The words of the exam as the knowledge charts it (`exam-normal.yaml`, the presentations' findings),
   * lower-cased: "no lymphadenopathy or thyromegaly" is a normal exam, not a condition the record lacks.
   */
  readonly examWords: ReadonlySet<string>;
}

const examWords = once((): ReadonlySet<string> => {
  const texts = [
    ...normalExam().flatMap((system) => system.options.map((o) => o.text)),
    ...[...presentationsByCode().values()].flatMap((p) => p.findings.flatMap((f) => f.words)),
  ];
  return new Set(texts.flatMap((t) => t.toLowerCase().match(/[a-z]+/g) ?? []));
});

const clinicalTerms = once(() => loadKnowledgeFile('note-clinical-terms.yaml', clinicalTermsSchema));
const contextRules = once(() => loadKnowledgeFile('note-context-rules.yaml', contextRulesSchema));

const cache = new WeakMap<VocabularyType, Lexicon>();

function trie<C>(entries: readonly (readonly [string, C])[]): TokenTrie<C> {
  const t = new TokenTrie<C>();
  for (const [term, concept] of entries) t.add(term, concept);
  return t;
}

/** The lexicon of a vocabulary, built on first use and kept for the vocabulary's lifetime. */
export function lexiconFor(vocabulary: VocabularyType): Lexicon {
  const hit = cache.get(vocabulary);
  if (hit !== undefined) return hit;
  const data = clinicalTerms();
  const rules = contextRules().rules;
  const concepts: LexiconConcept[] = [
    ...data.procedures.map((e) => ({ kind: 'procedure' as const, name: e.name, terms: [e.name, ...e.synonyms] })),
    ...data.vaccines.map((e) => ({ kind: 'vaccine' as const, name: e.name, terms: [e.name, ...e.synonyms] })),
  ];
  const shapes = data.shapes;
  const lexicon: Lexicon = {
    vocabulary,
    terms: trie(vocabulary.concepts.flatMap((concept) => concept.terms.map((term) => [term, concept] as const))),
    concepts: trie(concepts.flatMap((concept) => concept.terms.map((term) => [term, concept] as const))),
    allergens: new Set(data.allergens.map((a) => a.toLowerCase())),
    smoking: trie((['never', 'former', 'current'] as const).flatMap((status) => data.smoking[status].map((term) => [term, status] as const))),
    rules,
    triggers: trie(rules.map((rule) => [rule.literal, rule] as const)),
    shape: new RegExp(
      `\\b(?:([A-Za-z]{3,}(?:${alternation(shapes.drugSuffixes)}))|([A-Za-z]{3,}(?:${alternation(shapes.problemSuffixes)}))|([A-Za-z]{3,}(?:${alternation(shapes.procedureSuffixes)})))\\b`,
      'g',
    ),
    shapeOf: suffixReader([shapes.drugSuffixes, shapes.problemSuffixes, shapes.procedureSuffixes]),
    notClinical: new Set(shapes.notClinical.map((w) => w.toLowerCase())),
    doseNumber: /\b(\d+(?:\.\d+)?)\s?(mg|mcg|µg|g|mL|units?|IU|mEq)\b/gi,
    labValue: new RegExp(`(?<![\\d.])(\\d+(?:\\.\\d+)?)\\s?(?:${alternation(shapes.labUnits)})(?![A-Za-z0-9/])`, 'g'),
    emptyScopes: new Set(contextRules().emptyScopes.map((s) => s.toLowerCase())),
    examWords: examWords(),
  };
  cache.set(vocabulary, lexicon);
  return lexicon;
}

interface SuffixNode {
  readonly next: Map<number, SuffixNode>;
  /** Bit k - 1 set when a suffix of group k ends here. */
  groups: number;
}

/**
 * What `\b(?:([A-Za-z]{3,}(?:g1))|([A-Za-z]{3,}(?:g2))|([A-Za-z]{3,}(?:g3)))\b` says of a word of
 * ASCII letters: the first group with a suffix the word ends with (case as written) after at least
 * three letters.
 */
function suffixReader(groups: readonly (readonly string[])[]): (word: string) => 0 | 1 | 2 | 3 {
  const root: SuffixNode = { next: new Map(), groups: 0 };
  groups.forEach((suffixes, k) => {
    for (const suffix of suffixes) {
      let node = root;
      for (let i = suffix.length - 1; i >= 0; i--) {
        const c = suffix.charCodeAt(i);
        let child = node.next.get(c);
        if (child === undefined) node.next.set(c, (child = { next: new Map(), groups: 0 }));
        node = child;
      }
      node.groups |= 1 << k;
    }
  });
  return (word) => {
    let mask = 0;
    let node: SuffixNode | undefined = root;
    for (let i = word.length - 1; i >= 3; i--) {
      node = node.next.get(word.charCodeAt(i));
      if (node === undefined) break;
      mask |= node.groups;
    }
    return mask === 0 ? 0 : (mask & 1) !== 0 ? 1 : (mask & 2) !== 0 ? 2 : 3;
  };
}

function alternation(items: readonly string[]): string {
  return [...items].sort((a, b) => b.length - a.length).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}
