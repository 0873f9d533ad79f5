/**
 * The fact sheet as the annotator reads it: a finder over every name the sheet gives its facts
 * (labels, code displays, synonyms), and which facts name each vocabulary or lexicon concept.
 * Built once per sheet (retries and the exporter reuse it).
 */
import type { Fact, FactSheet } from '../facts.js';
import type { Concept } from '../grounding/vocabulary.js';
import { plainDisplay } from '../plain-display.js';
import type { Lexicon, LexiconConcept } from './lexicon.js';
import { tokenize, TokenTrie } from './tokens.js';

export interface SheetIndex {
  readonly facts: TokenTrie<readonly Fact[]>;
  /** Facts naming a vocabulary concept. */
  factsForConcept(concept: Concept): readonly Fact[];
  /** Facts naming a procedure or vaccine concept. */
  factsForLexicon(concept: LexiconConcept): readonly Fact[];
  /** Whether the encounter's reason or type names the concept. */
  encounterNames(concept: Concept): boolean;
  /** Lower-cased words of the sheet's texts and names: never unknown. */
  readonly words: ReadonlySet<string>;
  /** Names of the concepts the sheet's pertinent negatives deny. */
  readonly negated: ReadonlySet<string>;
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
      const list = byName.get(name) ?? [];
      if (!list.includes(fact)) list.push(fact);
      byName.set(name, list);
    }
  }
  const finder = new TokenTrie<readonly Fact[]>();
  for (const [name, facts] of byName) finder.add(name, facts);

  const conceptFacts = new Map<Concept, readonly Fact[]>();
  const lexiconFacts = new Map<LexiconConcept, readonly Fact[]>();
  const encounterText = [sheet.encounter.reason ?? '', sheet.encounter.type].join('\n');
  const words = new Set<string>();
  const addWords = (t: string) => {
    for (const w of t.toLowerCase().split(/[^\p{L}0-9]+/u)) if (w !== '') words.add(w);
  };
  for (const fact of sheet.facts) factNames(fact).forEach(addWords);
  [sheet.patient.name, sheet.encounter.author, encounterText, sheet.encounter.disposition ?? '', ...sheet.negatives].forEach(addWords);
  const dates = new Set<string>([sheet.patient.birthDate, sheet.encounter.date, ...(sheet.encounter.endDate === undefined ? [] : [sheet.encounter.endDate]), ...(sheet.encounter.noteDate === undefined ? [] : [sheet.encounter.noteDate])]);
  for (const fact of sheet.facts) if (fact.date !== undefined) dates.add(fact.date);

  const index: SheetIndex = {
    facts: finder,
    factsForConcept(concept) {
      let facts = conceptFacts.get(concept);
      if (facts === undefined) {
        facts = sheet.facts.filter((f) => MENTIONED_KINDS.has(f.kind) && factNames(f).some((n) => namedIn(n, lexicon).terms.has(concept)));
        conceptFacts.set(concept, facts);
      }
      return facts;
    },
    factsForLexicon(concept) {
      let facts = lexiconFacts.get(concept);
      if (facts === undefined) {
        facts = sheet.facts.filter((f) => MENTIONED_KINDS.has(f.kind) && factNames(f).some((n) => namedIn(n, lexicon).concepts.has(concept)));
        lexiconFacts.set(concept, facts);
      }
      return facts;
    },
    encounterNames(concept) {
      return namedIn(encounterText, lexicon).terms.has(concept);
    },
    words,
    negated: new Set(sheet.negatives.flatMap((n) => {
      const named = namedIn(n, lexicon);
      return [...[...named.terms].map((c) => c.name), ...[...named.concepts].map((c) => c.name)];
    })),
    dates: [...dates].sort(),
  };
  byLexicon.set(lexicon, index);
  return index;
}

interface Named {
  readonly terms: ReadonlySet<Concept>;
  readonly concepts: ReadonlySet<LexiconConcept>;
}

/** The concepts a fact's name names, overlaps included ("diabetes" in "type 2 diabetes"); names recur across sheets, so they are kept. */
const namedCache = new WeakMap<Lexicon, Map<string, Named>>();
function namedIn(name: string, lexicon: Lexicon): Named {
  let byName = namedCache.get(lexicon);
  if (byName === undefined) namedCache.set(lexicon, (byName = new Map()));
  let named = byName.get(name);
  if (named === undefined) {
    const tokens = tokenize(name);
    named = { terms: lexicon.terms.concepts(tokens), concepts: lexicon.concepts.concepts(tokens) };
    if (byName.size > 50_000) byName.clear();
    byName.set(name, named);
  }
  return named;
}
