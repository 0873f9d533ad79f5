/**
 * The fact sheet as the annotator reads it: a finder over every name the sheet gives its facts
 * (labels, code displays, synonyms), and which facts name each vocabulary or lexicon concept.
 * Built once per sheet (retries and the exporter reuse it).
 */
import type { Fact, FactSheet } from '../facts.js';
import { factsNaming, type Concept } from '../grounding/vocabulary.js';
import { plainDisplay } from '../plain-display.js';
import { termFinder, type Lexicon, type LexiconConcept, type TermFinder } from './lexicon.js';

export interface SheetIndex {
  readonly facts: TermFinder<readonly Fact[]>;
  /** Facts naming a vocabulary concept. */
  factsForConcept(concept: Concept): readonly Fact[];
  /** Facts naming a procedure or vaccine concept. */
  factsForLexicon(concept: LexiconConcept): readonly Fact[];
  /** Whether the encounter's reason or type names the concept. */
  encounterNames(concept: Concept): boolean;
  /** Lower-cased words of the sheet's texts and names: never unknown. */
  readonly words: ReadonlySet<string>;
  /** Every ISO date the sheet holds (facts, encounter, birth). */
  readonly dates: readonly string[];
}

/** Kinds the annotator labels; encounter and social facts are read by their own rules. */
const MENTIONED_KINDS = new Set<Fact['kind']>(['problem', 'medication', 'allergy', 'vital', 'lab', 'procedure', 'immunization', 'history']);

export function factNames(fact: Fact): string[] {
  const names = [fact.label, ...(fact.code === undefined ? [] : [plainDisplay(fact.code.display)]), ...(fact.synonyms ?? []).filter((s) => !s.startsWith('for '))];
  return [...new Set(names.map((n) => n.trim()).filter((n) => n.length >= 2))];
}

const cache = new WeakMap<FactSheet, WeakMap<Lexicon, SheetIndex>>();

export function sheetIndex(sheet: FactSheet, lexicon: Lexicon): SheetIndex {
  let byLexicon = cache.get(sheet);
  if (byLexicon === undefined) cache.set(sheet, (byLexicon = new WeakMap()));
  const hit = byLexicon.get(lexicon);
  if (hit !== undefined) return hit;

  const byName = new Map<string, Fact[]>();
  for (const fact of sheet.facts) {
    if (!MENTIONED_KINDS.has(fact.kind)) continue;
    for (const name of factNames(fact)) {
      const key = /^[A-Z0-9&/-]+$/.test(name) ? name : name.toLowerCase();
      const list = byName.get(key) ?? [];
      if (!list.includes(fact)) list.push(fact);
      byName.set(key, list);
    }
  }
  const entries = [...byName.entries()].map(([, facts]) => facts);
  // One entry per distinct fact list, with every name that maps to it.
  const grouped = new Map<readonly Fact[], string[]>();
  for (const [key, facts] of byName) {
    const same = entries.find((f) => f === facts)!;
    grouped.set(same, [...(grouped.get(same) ?? []), key]);
  }
  const finder = termFinder([...grouped.entries()].map(([concept, terms]) => ({ concept, terms })));

  const vocabulary = lexicon.vocabulary;
  const conceptFacts = new Map<Concept, readonly Fact[]>();
  const lexiconFacts = new Map<LexiconConcept, readonly Fact[]>();
  const encounterText = [sheet.encounter.reason ?? '', sheet.encounter.type].join('\n');
  const words = new Set<string>();
  const addWords = (t: string) => {
    for (const w of t.toLowerCase().split(/[^\p{L}0-9]+/u)) if (w !== '') words.add(w);
  };
  for (const fact of sheet.facts) factNames(fact).forEach(addWords);
  [sheet.patient.name, sheet.encounter.author, encounterText, sheet.encounter.disposition ?? '', ...sheet.negatives].forEach(addWords);
  const dates = new Set<string>([sheet.patient.birthDate, sheet.encounter.date, ...(sheet.encounter.endDate === undefined ? [] : [sheet.encounter.endDate])]);
  for (const fact of sheet.facts) if (fact.date !== undefined) dates.add(fact.date);

  const index: SheetIndex = {
    facts: finder,
    factsForConcept(concept) {
      let facts = conceptFacts.get(concept);
      if (facts === undefined) conceptFacts.set(concept, (facts = factsNaming(vocabulary, concept, sheet).filter((f) => MENTIONED_KINDS.has(f.kind))));
      return facts;
    },
    factsForLexicon(concept) {
      let facts = lexiconFacts.get(concept);
      if (facts === undefined) {
        facts = sheet.facts.filter((f) => MENTIONED_KINDS.has(f.kind) && factNames(f).some((n) => lexicon.concepts.find(n).some((h) => h.concept === concept)));
        lexiconFacts.set(concept, facts);
      }
      return facts;
    },
    encounterNames(concept) {
      return vocabulary.occursIn(concept, encounterText);
    },
    words,
    dates: [...dates].sort(),
  };
  byLexicon.set(lexicon, index);
  return index;
}
