/**
 * The fact sheet as the annotator reads it: a finder over every name the sheet gives its facts
 * (labels, code displays, synonyms), and which facts name each vocabulary or lexicon concept.
 * Built once per sheet (retries and the exporter reuse it). A sheet is read by one note or a few,
 * so what does not depend on the sheet (a name's tokens, the concepts it names, the trie of names)
 * is kept across sheets: building it per sheet cost more than annotating the note.
 */
import type { Fact, FactSheet } from '../facts.js';
import type { Concept } from '../grounding/vocabulary.js';
import { plainDisplay } from '../plain-display.js';
import type { Lexicon, LexiconConcept } from './lexicon.js';
import { memoByText } from './text-memo.js';
import { termKey, tokenize, TokenTrie, type Tokens, type TrieHit } from './tokens.js';

export interface SheetIndex {
  /** The sheet's facts named in the tokens: leftmost-longest hits, each with the facts its name names. */
  findFacts(tokens: Tokens): TrieHit<readonly Fact[]>[];
  /** Facts naming a vocabulary concept. */
  factsForConcept(concept: Concept): readonly Fact[];
  /** Facts naming a procedure or vaccine concept. */
  factsForLexicon(concept: LexiconConcept): readonly Fact[];
  /** Whether the encounter's reason or type names the concept. */
  encounterNames(concept: Concept): boolean;
  /** Whether a lower-cased word is a word of the sheet's texts and names: those are never unknown. */
  knowsWord(word: string): boolean;
  /** Names of the concepts the sheet's pertinent negatives deny. */
  readonly negated: ReadonlySet<string>;
  /** Every ISO date the sheet holds (facts, encounter, birth). */
  readonly dates: readonly string[];
  /** The fact with this id. */
  fact(id: string): Fact | undefined;
  /** The names of a fact ({@link factNames}), computed once per sheet. */
  namesOf(fact: Fact): readonly string[];
}

/** Kinds the annotator labels; encounter and social facts are read by their own rules. */
const MENTIONED_KINDS = new Set<Fact['kind']>(['problem', 'medication', 'allergy', 'vital', 'lab', 'procedure', 'immunization', 'history', 'birth', 'prenatal']);

const displays = new Map<string, string>();
function plain(display: string): string {
  let p = displays.get(display);
  if (p === undefined) {
    if (displays.size > 50_000) displays.clear();
    displays.set(display, (p = plainDisplay(display)));
  }
  return p;
}

export function factNames(fact: Fact): string[] {
  const out: string[] = [];
  const push = (name: string) => {
    const n = name.trim();
    if (n.length >= 2 && !out.includes(n)) out.push(n);
  };
  push(fact.label);
  if (fact.code !== undefined) push(plain(fact.code.display));
  for (const s of fact.synonyms ?? []) if (!s.startsWith('for ')) push(s);
  return out;
}

/** A text's lower-cased words (letters and digits), as the unknown-word check compares them. */
const wordsOf = memoByText((text: string): ReadonlySet<string> => new Set(text.toLowerCase().split(/[^\p{L}0-9]+/u).filter((w) => w !== '')));

/** Every fact name seen so far, by its term key; a sheet accepts only the keys of its own names. */
let names = new TokenTrie<string>();
/**
 * What a sheet needs of one name, looked up once per name: its term key, the {@link wordHash} of its
 * first word, and the concepts it names under the lexicon last asked (one lexicon in practice).
 */
interface NameInfo {
  readonly key: string;
  readonly first: number;
  lexicon: Lexicon | undefined;
  named: Named | undefined;
}
const keys = new Map<string, NameInfo>();
function infoOf(name: string, lexicon: Lexicon): NameInfo {
  let info = keys.get(name);
  if (info === undefined) {
    if (keys.size > 100_000) {
      keys.clear();
      names = new TokenTrie<string>();
    }
    info = { key: termKey(name), first: tokenize(name).hashes[0] ?? -1, lexicon: undefined, named: undefined };
    keys.set(name, info);
    names.add(name, info.key);
  }
  if (info.lexicon !== lexicon) {
    info.named = namedIn(name, lexicon);
    info.lexicon = lexicon;
  }
  return info;
}

const cache = new WeakMap<FactSheet, WeakMap<Lexicon, SheetIndex>>();

export function sheetIndex(sheet: FactSheet, lexicon: Lexicon): SheetIndex {
  let byLexicon = cache.get(sheet);
  if (byLexicon === undefined) cache.set(sheet, (byLexicon = new WeakMap()));
  const hit = byLexicon.get(lexicon);
  if (hit !== undefined) return hit;

  const namesOf = new Map<Fact, readonly string[]>();
  /** Hashes of the first words of the sheet's names: only they can start a fact's name in a note. */
  const firstWords = new Set<number>();
  const byKey = new Map<string, Fact[]>();
  const conceptFacts = new Map<Concept, Fact[]>();
  const lexiconFacts = new Map<LexiconConcept, Fact[]>();
  const add = <K>(map: Map<K, Fact[]>, key: K, fact: Fact) => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [fact]);
    else if (!list.includes(fact)) list.push(fact);
  };
  for (const fact of sheet.facts) {
    const own = factNames(fact);
    namesOf.set(fact, own);
    if (!MENTIONED_KINDS.has(fact.kind)) continue;
    for (const name of own) {
      const info = infoOf(name, lexicon);
      add(byKey, info.key, fact);
      firstWords.add(info.first);
      const named = info.named!;
      for (const c of named.terms) add(conceptFacts, c, fact);
      for (const c of named.concepts) add(lexiconFacts, c, fact);
    }
  }
  const encounterText = [sheet.encounter.reason ?? '', sheet.encounter.type].join('\n');
  const accept = (key: string) => byKey.has(key);
  let encounterNamed: Named | undefined;
  /** The texts whose words are known, gathered when the first unknown-looking word is asked about. */
  let texts: string[] | undefined;
  let negated: Set<string> | undefined;
  let dates: string[] | undefined;
  let byId: Map<string, Fact> | undefined;

  const index: SheetIndex = {
    findFacts(tokens) {
      return names.find(tokens, accept, firstWords).map((h) => ({ start: h.start, end: h.end, text: h.text, concept: byKey.get(h.concept)!, first: h.first, last: h.last }));
    },
    factsForConcept: (concept) => conceptFacts.get(concept) ?? [],
    factsForLexicon: (concept) => lexiconFacts.get(concept) ?? [],
    encounterNames: (concept) => (encounterNamed ??= namedIn(encounterText, lexicon)).terms.has(concept),
    // Asked about a word or two per note, only when an unknown-looking word is found: each text's
    // words are remembered across sheets, and no set of the whole sheet's words is built.
    knowsWord(word) {
      if (texts === undefined) {
        texts = [];
        for (const own of namesOf.values()) texts.push(...own);
        texts.push(sheet.patient.name, sheet.encounter.author, encounterText, sheet.encounter.disposition ?? '', ...sheet.negatives);
      }
      for (const t of texts) if (wordsOf(t).has(word)) return true;
      return false;
    },
    get negated() {
      if (negated === undefined) {
        negated = new Set<string>();
        for (const n of sheet.negatives) for (const name of namedConcepts(n, lexicon)) negated.add(name);
      }
      return negated;
    },
    get dates() {
      if (dates === undefined) {
        const all = new Set<string>([sheet.patient.birthDate, sheet.encounter.date, ...(sheet.encounter.endDate === undefined ? [] : [sheet.encounter.endDate]), ...(sheet.encounter.noteDate === undefined ? [] : [sheet.encounter.noteDate])]);
        for (const fact of sheet.facts) if (fact.date !== undefined) all.add(fact.date);
        dates = [...all].sort();
      }
      return dates;
    },
    fact(id) {
      byId ??= new Map(sheet.facts.map((f) => [f.id, f]));
      return byId.get(id);
    },
    namesOf: (fact) => namesOf.get(fact) ?? factNames(fact),
  };
  byLexicon.set(lexicon, index);
  return index;
}

interface Named {
  readonly terms: ReadonlySet<Concept>;
  readonly concepts: ReadonlySet<LexiconConcept>;
  /** The concepts' names, terms first: made on first use ({@link namedConcepts}). */
  names?: readonly string[];
}

/** Names of the vocabulary and lexicon concepts a text names, terms first. */
function namedConcepts(text: string, lexicon: Lexicon): readonly string[] {
  const named = namedIn(text, lexicon);
  named.names ??= [...[...named.terms].map((c) => c.name), ...[...named.concepts].map((c) => c.name)];
  return named.names;
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
