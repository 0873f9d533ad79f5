/**
 * The clinical annotator: every clinical statement of a note as a span, linked to the fact-sheet
 * fact it states or left unlinked. The same annotation feeds the grounding checks (an unlinked or
 * conflicting mention is a violation) and the gold corpus (a linked mention is a label).
 */
import type { Fact, FactSheet } from '../facts.js';
import type { Concept, Vocabulary } from '../grounding/vocabulary.js';
import { noteToText, type NoteOutput } from '../note-output.js';
import { contextScopes, type ContextScopes } from './context.js';
import { dosageParts, hasConcentration, labelStrengths, normalizedStrength } from './dosage.js';
import { lexiconFor, longestFirst, type Lexicon, type LexiconConcept, type SmokingClaim } from './lexicon.js';
import { sheetIndex, type SheetIndex } from './sheet-index.js';
import { findingMentions } from './findings.js';
import { identityMentions } from './identity.js';
import { quantityMentions } from './quantities.js';
import { timeExpressions } from './temporal.js';
import { sexWords } from './sex-words.js';
import { memoByText } from './text-memo.js';
import { isRegexWordCode, tokenize, type Tokens } from './tokens.js';
import { isNumericFact, matchesWithinRounding, recordedValue, statedMatches, trendValueAfter, valueAfter, type StatedValue } from './values.js';
import type { Annotation, Assertion, DosagePart, Mention, MentionConflict, MentionEvidence, MentionLabel, MentionRelation, SmokingMention, TemporalMention } from './types.js';

type Writable<T> = { -readonly [K in keyof T]: T[K] };

interface Candidate {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly evidence: MentionEvidence;
  readonly label: MentionLabel;
  readonly facts: readonly Fact[];
  readonly concept?: string;
  readonly conceptKind?: Mention['conceptKind'];
  readonly encounter?: boolean;
}

/** The mention label of each fact kind a note names; `history` facts are labelled by what they record. */
export const LABEL_OF_KIND: Readonly<Partial<Record<Fact['kind'], MentionLabel>>> = {
  problem: 'PROBLEM',
  medication: 'MEDICATION',
  allergy: 'ALLERGY',
  vital: 'VITAL',
  lab: 'LAB',
  procedure: 'PROCEDURE',
  immunization: 'IMMUNIZATION',
};

/** What a `history.<kind>.<n>` fact records, as a label: a past course of dialysis is a procedure, a prior study too. */
const LABEL_OF_HISTORY: Readonly<Record<string, MentionLabel>> = {
  immunization: 'IMMUNIZATION',
  procedure: 'PROCEDURE',
  priorStudy: 'PROCEDURE',
  problem: 'PROBLEM',
  medication: 'MEDICATION',
};

/**
 * The entity label of a fact, or undefined for facts that are no entity (demographics, the
 * encounter, a planned next step). One table for the annotator and the writer's gold mentions, so
 * a fact the writer cites and the annotator links carry the same label.
 */
export function entityLabelOf(fact: Fact): MentionLabel | undefined {
  if (fact.kind !== 'history') return LABEL_OF_KIND[fact.kind];
  const kind = fact.id.split('.')[1] ?? '';
  return Object.hasOwn(LABEL_OF_HISTORY, kind) ? LABEL_OF_HISTORY[kind] : undefined;
}

function labelOfFact(fact: Fact): MentionLabel {
  return entityLabelOf(fact) ?? 'PROBLEM';
}

const VOCABULARY_LABEL: Readonly<Record<Concept['kind'], MentionLabel>> = { drug: 'MEDICATION', condition: 'PROBLEM', symptom: 'PROBLEM', lab: 'LAB' };

/**
 * Annotates one note against its fact sheet.
 *
 * Signature is stable: `annotateNote(note, sheet, vocabulary)`, where `note` is the writer's output
 * (rendered with {@link noteToText}) or that rendered text itself, `sheet` the fact sheet the note was
 * written from, and `vocabulary` the grounding vocabulary ({@link loadVocabulary}). Pure and
 * deterministic; offsets index the rendered text. Mentions come in text order, each with its
 * assertion (ConText rules), the fact id and FHIR resource id it states when the record has it, its
 * code, dosage parts for drugs, and a `conflict` when it names a record fact but states it otherwise.
 * `sexWords`, `temporal` and `smoking` carry the patient's sex words, time expressions and tobacco
 * statements. `phiNames` are the names and places the note's frame wrote (a town called Kenvir, a
 * clinic): words inside them are PHI, not clinical statements.
 */
export function annotateNote(note: NoteOutput | string, sheet: FactSheet, vocabulary: Vocabulary, phiNames: readonly string[] = []): Annotation {
  const text = typeof note === 'string' ? note : noteToText(note);
  const lexicon = lexiconFor(vocabulary);
  const index = sheetIndex(sheet, lexicon);
  const tokens = tokenize(text);

  const candidates: Candidate[] = [];
  for (const hit of index.findFacts(tokens)) {
    candidates.push({ start: hit.start, end: hit.end, text: hit.text, evidence: 'record', label: labelOfFact(hit.concept[0]!), facts: hit.concept });
  }
  for (const hit of lexicon.terms.find(tokens)) {
    const facts = index.factsForConcept(hit.concept);
    candidates.push({
      start: hit.start, end: hit.end, text: hit.text, evidence: 'vocabulary', label: facts[0] === undefined ? VOCABULARY_LABEL[hit.concept.kind] : labelOfFact(facts[0]),
      facts, concept: hit.concept.name, conceptKind: hit.concept.kind, ...(index.encounterNames(hit.concept) ? { encounter: true } : {}),
    });
  }
  for (const hit of lexicon.concepts.find(tokens)) {
    const facts = index.factsForLexicon(hit.concept);
    candidates.push({ start: hit.start, end: hit.end, text: hit.text, evidence: 'vocabulary', label: lexiconLabel(hit.concept), facts, concept: hit.concept.name, conceptKind: hit.concept.kind });
  }
  const kept = longestFirst(candidates);
  allergyStatements(text, sheet, lexicon, index, kept);
  unknownWords(text, lexicon, index, kept);
  // The patient's name, written as the record spells it, is no mention: a woman named Tia has no
  // "TIA", a man named Major no rank.
  const names = nameSpans(text, sheet);
  const places = phiSpans(text, phiNames);
  for (let i = kept.length - 1; i >= 0; i--) {
    const c = kept[i]!;
    if (names.some((n) => n.start === c.start && n.end === c.end) || places.some((p) => p.start <= c.start && c.end <= p.end)) kept.splice(i, 1);
  }
  kept.sort((a, b) => a.start - b.start);

  // The patient's own name is no cue either: a woman named Sister, a man named Major.
  const scopes = contextScopes(tokens, lexicon, [...kept, ...names, ...places]);
  // An exam finding charted as absent in the exam's own words ("no hepatosplenomegaly") is a normal
  // exam; the same word stated as present, or a word the exam data lacks, stays a violation.
  for (let i = kept.length - 1; i >= 0; i--) {
    const c = kept[i]!;
    if (c.evidence === 'shape' && lexicon.examWords.has(c.text.toLowerCase()) && scopes.assertionOf(c.start, c.end) === 'negated') kept.splice(i, 1);
  }
  deniedUnknowns(text, lexicon, scopes, kept);
  kept.sort((a, b) => a.start - b.start);
  const mentions: Mention[] = [];
  const relations: MentionRelation[] = [];
  kept.forEach((c, i) => {
    const next = kept[i + 1]?.start ?? text.length;
    let facts = c.facts;
    let label = c.label;
    // A name the sheet gives a problem and a vaccine ("Influenza"): listed as a past problem, it is the problem.
    if (facts.length > 1 && (scopes.inPastHistory(c.start, c.end) || PROBLEM_STATUS_AFTER.test(text.slice(c.end, c.end + 16)))) {
      const problems = facts.filter((f) => labelOfFact(f) === 'PROBLEM');
      if (problems.length > 0 && problems.length < facts.length) {
        facts = problems;
        label = 'PROBLEM';
      }
    }
    let parts: DosagePart[] | undefined;
    let conflict: MentionConflict | undefined;
    if (label === 'MEDICATION') {
      parts = dosageParts(text, c.end, next);
      const strength = parts.find((p) => p.kind === 'strength');
      const stated = normalizedStrength(strength?.text ?? c.text);
      const judged = facts.filter((f) => !hasConcentration(f.label) && labelStrengths(f.label).length === 1);
      if (stated !== undefined && judged.length > 0 && judged.length === facts.length) {
        const matching = facts.filter((f) => labelStrengths(f.label).includes(stated));
        if (matching.length > 0) facts = matching;
        else {
          const span = strength ?? { start: c.start, end: c.end, text: c.text };
          conflict = { kind: 'dose', span: { start: span.start, end: span.end }, stated: span.text, expected: facts.map((f) => f.label).join(' or ') };
        }
      }
      if (parts.length === 0) parts = undefined;
    }
    if (label === 'ALLERGY' && c.evidence === 'record') conflict = reactionConflict(text, c, next);
    let fact = preferred(facts);
    // "BP 138/86": the value a measurement's name states is the record's, within rounding.
    const measured = c.evidence === 'record' ? facts.find(isNumericFact) : undefined;
    let value: Mention['value'];
    let trend: StatedValue | undefined;
    if (measured !== undefined) {
      const stated = valueAfter(text, c.end);
      if (stated !== undefined) value = { start: stated.start, end: stated.end, text: text.slice(stated.start, stated.end) };
      if (stated !== undefined && !statedMatches(stated, measured)) {
        fact = measured;
        conflict = { kind: 'value', span: { start: stated.start, end: stated.end }, stated: text.slice(stated.start, stated.end), expected: recordedValue(measured) };
      }
      if (stated !== undefined) trend = trendValueAfter(text, stated.end, next);
    }
    // Built property by property, in the order the spreads gave (a literal of conditional spreads cost a copy per property).
    const mention: Writable<Mention> = { start: c.start, end: c.end, text: c.text, label, assertion: sectionAssertion(scopes, c.start, c.end, fact) };
    if (fact !== undefined) {
      mention.factId = fact.id;
      if (fact.resourceId !== undefined) mention.resourceId = fact.resourceId;
      if (fact.code !== undefined) mention.code = fact.code;
    }
    if (parts !== undefined) mention.parts = parts;
    if (value !== undefined) mention.value = value;
    if (c.concept !== undefined) mention.concept = c.concept;
    if (c.conceptKind !== undefined) mention.conceptKind = c.conceptKind;
    if (c.encounter === true) mention.encounter = true;
    mention.evidence = c.evidence;
    if (conflict !== undefined) mention.conflict = conflict;
    mentions.push(mention);
    if (trend !== undefined) mentions.push(trendMention(text, trend, measured!, label, mention.assertion, lexicon));
  });
  // A drug linked to a problem it treats, when both are in the note.
  mentions.forEach((m, i) => {
    if (m.label !== 'MEDICATION' || m.factId === undefined) return;
    const fact = index.fact(m.factId);
    for (const problemId of fact?.relatesTo ?? []) {
      const to = mentions.findIndex((p) => p.factId === problemId);
      if (to >= 0) relations.push({ type: 'treats', from: i, to });
    }
  });

  return {
    mentions,
    relations,
    sexWords: sexWords(text),
    temporal: temporalMentions(text, sheet, index, mentions),
    smoking: smokingMentions(tokens, sheet, lexicon, scopes),
    identity: identityMentions(tokens, sheet.patient.givenName),
    quantities: quantityMentions(tokens),
    findings: findingMentions(tokens, sheet, lexicon, scopes),
  };
}

/** "Influenza (resolved)", "Asthma (dx 2009)": the status a problem list gives a problem after its name. */
const PROBLEM_STATUS_AFTER = /^\s*\((?:resolved|inactive|in remission|remission|dx|diagnosed|since)\b/i;

/**
 * The value a stay's lab moved from ("down from 12.4 g/dL on admission"): a mention of the same
 * fact, its span the number and unit, checked against the record like the latest value; linked to
 * the first result's resource when it states that one.
 */
function trendMention(text: string, stated: StatedValue, fact: Fact, label: MentionLabel, assertion: Assertion, lexicon: Lexicon): Mention {
  const unit = new RegExp(lexicon.labValue.source, 'y');
  unit.lastIndex = stated.start;
  const end = unit.exec(text) === null ? stated.end : unit.lastIndex;
  const number = text.slice(stated.start, stated.end);
  const first = fact.firstOfStay;
  const ofFirst = first !== undefined && stated.values.length === 1 && matchesWithinRounding(stated.values[0]!, first.value, fact.unit) && !(fact.value !== undefined && matchesWithinRounding(stated.values[0]!, fact.value, fact.unit));
  const mention: Writable<Mention> = { start: stated.start, end, text: text.slice(stated.start, end), label, assertion, factId: fact.id };
  const resourceId = ofFirst ? first.resourceId : fact.resourceId;
  if (resourceId !== undefined) mention.resourceId = resourceId;
  if (fact.code !== undefined) mention.code = fact.code;
  mention.value = { start: stated.start, end: stated.end, text: number };
  mention.evidence = 'record';
  if (!statedMatches(stated, fact)) mention.conflict = { kind: 'value', span: { start: stated.start, end: stated.end }, stated: number, expected: recordedValue(fact) };
  return mention;
}

function lexiconLabel(concept: LexiconConcept): MentionLabel {
  return concept.kind === 'vaccine' ? 'IMMUNIZATION' : 'PROCEDURE';
}

/** A current fact before a past one: a mention names what the patient has now, if both are on the sheet. */
function preferred(facts: readonly Fact[]): Fact | undefined {
  return facts.find((f) => f.status === undefined || f.status === 'active' || f.status === 'completed') ?? facts[0];
}

const ALLERGY_CUE = /\b(?:[Aa]llergic to|[Aa]llerg(?:y|ies) to|[Aa]llergies include|[Aa]llergies:|[Aa]llergy:|ALLERGIES:|ALL:)[^\S\n]*\n?([^\n.;]*)/g;
/**
 * "Penicillin allergy": read back from each " allergy", since a pattern starting anywhere before it
 * (a lazy run of 30 characters tried at every position of the note) was the annotator's costliest regex.
 */
const NAMED_ALLERGY = /([A-Z]?[a-z][\w' -]{1,30}?) allergy$/;

/** Allergy statements as [list, offset of the list] in text order: cue lists, then "X allergy" outside them. */
function allergyLists(text: string): [string, number][] {
  const out: [string, number][] = [];
  for (const m of text.matchAll(ALLERGY_CUE)) out.push([m[1]!, m.index + m[0].length - m[1]!.length]);
  const cues = out.map(([list, at]) => [at - 40, at + list.length] as const);
  for (let at = text.indexOf(' allergy'); at >= 0; at = text.indexOf(' allergy', at + 1)) {
    const end = at + ' allergy'.length;
    if (/\w/.test(text[end] ?? '')) continue;
    const from = Math.max(0, at - 32);
    const m = NAMED_ALLERGY.exec(text.slice(from, end));
    if (m === null) continue;
    const start = from + m.index;
    if (cues.some(([a, b]) => a < end && start < b)) continue;
    out.push([m[1]!, start]);
  }
  return out;
}
const NO_ALLERGY = /^(?:nkda|nka|none|no known|no drug|denies|not? )/i;

/**
 * Allergy statements: each item of "Allergies: X, Y" or "allergic to X" is an allergy claim. Items
 * already found as drugs or foods become ALLERGY mentions linked to the sheet's allergies; the rest
 * are unlinked ALLERGY mentions.
 */
function allergyStatements(text: string, sheet: FactSheet, lexicon: Lexicon, index: SheetIndex, kept: Candidate[]): void {
  const allergies = sheet.facts.filter((f) => f.kind === 'allergy');
  for (const [list, listStart] of allergyLists(text)) {
    if (NO_ALLERGY.test(list.trim())) continue;
    for (const item of list.matchAll(/[^,/]+/g)) {
      const raw = item[0].replace(/\band\b/gi, ' ');
      const name = raw.replace(/\(.*$/, '').trim();
      if (name === '' || NO_ALLERGY.test(name)) continue;
      const start = listStart + item.index + item[0].indexOf(name);
      const end = start + name.length;
      const lower = name.toLowerCase();
      const facts = allergies.filter((f) => index.namesOf(f).some((n) => {
        const fn = n.toLowerCase().replace(/\s*\(.*$/, '');
        return fn === lower || fn.includes(lower) || lower.includes(fn);
      }));
      const overlapping = kept.filter((c) => c.start < end && start < c.end);
      if (facts.length === 0 && overlapping.length === 0 && !lexicon.allergens.has(lower) && !/^[A-Z]/.test(name) && name.split(/\s+/).length > 3) continue;
      for (const c of overlapping) kept.splice(kept.indexOf(c), 1);
      kept.push({ start, end, text: text.slice(start, end), evidence: facts.length > 0 ? 'record' : 'vocabulary', label: 'ALLERGY', facts, concept: name, conceptKind: 'allergen' });
    }
  }
}

/** "Penicillin (anaphylaxis)" where the record has penicillin with hives. */
function reactionConflict(text: string, c: Candidate, next: number): MentionConflict | undefined {
  const after = /^\s*\(([^)]{2,40})\)/.exec(text.slice(c.end, c.end + 44));
  if (after === null) return undefined;
  const stated = after[1]!.trim().toLowerCase();
  const reactions = c.facts.flatMap((f) => (f.synonyms ?? []).map((s) => /\(([^)]+)\)\s*$/.exec(s)?.[1]?.toLowerCase()).filter((r): r is string => r !== undefined));
  if (reactions.length === 0 || reactions.some((r) => stated.split(/\s*(?:,|and)\s*/).every((part) => r.includes(part) || reactions.includes(part)))) return undefined;
  const start = c.end + after[0].indexOf(after[1]!);
  return { kind: 'reaction', span: { start, end: start + after[1]!.length }, stated: after[1]!, expected: reactions.join(', ') };
}

/**
 * Words that look clinical but no list knows ("-itis", "-ectomy", "-pril", a word right before a
 * dose): unknown means unsupported, so they become unlinked mentions found by shape.
 */
function unknownWords(text: string, lexicon: Lexicon, index: SheetIndex, kept: Candidate[]): void {
  const covered = (start: number, end: number) => kept.some((c) => c.start <= start && end <= c.end);
  const isKnown = (word: string) => {
    const w = word.toLowerCase();
    return lexicon.notClinical.has(w) || index.knowsWord(w);
  };
  // The words `lexicon.shape` matches: whole runs of word characters ([A-Za-z0-9_]) that are all
  // ASCII letters, with a clinical ending after three letters; found by one scan of the text.
  const n = text.length;
  for (let i = 0; i < n; ) {
    if (!isRegexWordCode(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    let letters = true;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (!isRegexWordCode(c)) break;
      if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90))) letters = false;
    }
    if (!letters || i - start < 5) continue;
    const word = text.slice(start, i);
    const group = lexicon.shapeOf(word);
    if (group === 0 || covered(start, i) || isKnown(word)) continue;
    const label: MentionLabel = group === 1 ? 'MEDICATION' : group === 2 ? 'PROBLEM' : 'PROCEDURE';
    kept.push({ start, end: i, text: word, evidence: 'shape', label, facts: [] });
  }
  for (const m of text.matchAll(lexicon.doseNumber)) {
    if (text[m.index + m[0].length] === '/' || text[m.index - 1] === '/') continue;
    if (kept.some((c) => c.start <= m.index && m.index < c.end)) continue;
    // The drug is the word before the dose ("Xarelto 20 mg"); a dose after a known drug's name was read with it.
    const before = /([A-Za-z][A-Za-z-]{2,})\s*$/.exec(text.slice(Math.max(0, m.index - 30), m.index));
    if (before === null) continue;
    const start = m.index - before[0].length;
    const end = start + before[1]!.length;
    const prior = kept.find((c) => c.end <= start && start - c.end <= 12 && c.label === 'MEDICATION');
    if (prior !== undefined || covered(start, end) || isKnown(before[1]!) || /^(?:of|to|by|at|and|or|with|dose|total|daily|take|taking|given)$/i.test(before[1]!)) continue;
    kept.push({ start, end, text: before[1]!, evidence: 'shape', label: 'MEDICATION', facts: [] });
  }
  // A value in a lab unit belongs to the lab or vital named just before it, in the same clause.
  for (const m of text.matchAll(lexicon.labValue)) {
    if (covered(m.index, m.index + m[0].length)) continue;
    const owner = kept.filter((c) => c.end <= m.index && (c.label === 'LAB' || c.label === 'VITAL')).at(-1);
    if (owner !== undefined && m.index - owner.end <= 40 && !/[;\n]|\.(?!\d)/.test(text.slice(owner.end, m.index))) continue;
    const before = /([A-Za-z][A-Za-z0-9-]{1,})[\s:]*$/.exec(text.slice(Math.max(0, m.index - 30), m.index));
    const start = before === null ? m.index : m.index - before[0].length;
    const end = before === null ? m.index + m[0].length : start + before[1]!.length;
    if (covered(start, end)) continue;
    kept.push({ start, end, text: text.slice(start, end), evidence: 'shape', label: 'LAB', facts: [] });
  }
}

/** "Denies seizures": a claiming negation whose scope holds no known concept denies an unknown one. */
function deniedUnknowns(text: string, lexicon: Lexicon, scopes: ReturnType<typeof contextScopes>, kept: Candidate[]): void {
  for (const scope of scopes.claims) {
    if (kept.some((c) => c.start >= scope.start && c.end <= scope.end)) continue;
    const raw = text.slice(scope.start, scope.end);
    const words = raw.trim().replace(/^(?:any|all)\s+/i, '');
    const start = scope.start + raw.indexOf(raw.trim());
    if (words === '' || lexicon.emptyScopes.has(words.toLowerCase()) || !/[A-Za-z]{3}/.test(words)) continue;
    kept.push({ start, end: start + raw.trim().length, text: raw.trim(), evidence: 'vocabulary', label: 'PROBLEM', facts: [] });
  }
}

/** The sex words: a pronoun or a noun, and the sex it names. */
/**
 * Where each clause for dating a mention starts: 0, and one past every sentence end (a full stop not
 * before a digit), semicolon and line break; then one past the text's end.
 */
function dateClauseBounds(text: string): number[] {
  const bounds = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 59 || c === 10 || (c === 46 && !isDigitCode(text.charCodeAt(i + 1)))) bounds.push(i + 1);
  }
  bounds.push(text.length + 1);
  return bounds;
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

function temporalMentions(text: string, sheet: FactSheet, index: SheetIndex, mentions: readonly Mention[]): TemporalMention[] {
  const expressions = timeExpressions(text, sheet.encounter.date, sheet.patient.birthDate);
  if (expressions.length === 0) return [];
  const bounds = dateClauseBounds(text);
  // The clause holding `at`: the last bound at or before it, by binary search.
  const clauseOf = (at: number) => {
    let lo = 0;
    let hi = bounds.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (bounds[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  // Each clause's mentions, in text order, found once for all expressions.
  const inClause = new Map<number, number[]>();
  mentions.forEach((m, i) => {
    const k = clauseOf(m.start);
    const list = inClause.get(k);
    if (list === undefined) inClause.set(k, [i]);
    else list.push(i);
  });
  const out: TemporalMention[] = [];
  for (const e of expressions) {
    const clause = inClause.get(clauseOf(e.start)) ?? [];
    const dated = clause
      .map((i) => ({ m: mentions[i]!, i }))
      .filter(({ m }) => m.factId !== undefined && index.fact(m.factId)?.date !== undefined && m.label !== 'VITAL');
    // A relative expression ("3 days ago") dates what it stands next to; one a phrase away from the
    // nearest dated fact ("known URI, who comes in with burning with urination that began 3 days ago") dates nothing the record holds.
    const near = (m: Mention) => e.kind !== 'relative' || (m.end <= e.start ? e.start - m.end : m.start - e.end) <= 30;
    const before = dated.filter(({ m }) => m.end <= e.start).at(-1);
    const candidate = before ?? dated.find(({ m }) => m.start >= e.end);
    const target = candidate !== undefined && near(candidate.m) ? candidate : undefined;
    // "burning with urination that began 3 days ago": a symptom's onset is the patient's account,
    // which the record does not date; the expression dates the symptom right before it, not an older fact.
    const nearest = clause.map((i) => mentions[i]!).filter((m) => m.end <= e.start).at(-1);
    const symptomDated = nearest !== undefined && (nearest.conceptKind === 'symptom' || (nearest.factId !== undefined && ['symptom', 'finding'].includes(index.fact(nearest.factId)?.kind ?? '')));
    let supported: boolean;
    let expected: string | undefined;
    if (symptomDated && e.kind !== 'date' && e.kind !== 'year') {
      supported = true;
    } else if (target !== undefined) {
      const fact = index.fact(target.m.factId!)!;
      const date = fact.date!;
      // The same concept done on other dates (a prior study a report compares with) dates it too.
      const dates = fact.code === undefined ? [date] : sheet.facts.filter((f) => f.code?.code === fact.code!.code && f.date !== undefined).map((f) => f.date!);
      supported = dates.some((d) => e.earliest <= d && d <= e.latest);
      expected = `${target.m.text} is dated ${date} in the record`;
    } else if (e.kind === 'date' || e.kind === 'year') {
      supported = index.dates.some((d) => e.earliest <= d && d <= e.latest);
      expected = 'the record has no event then';
    } else {
      supported = true;
    }
    out.push({
      start: e.start, end: e.end, text: e.text, kind: e.kind, earliest: e.earliest, latest: e.latest, supported,
      ...(target === undefined ? {} : { mention: target.i }),
      ...(supported || expected === undefined ? {} : { expected }),
    });
  }
  return out;
}

/** The tobacco statements of a text (a smoking fact's label or synonym), remembered per text: every note of a patient reads the same ones. */
const smokingClaims = new WeakMap<Lexicon, (text: string) => readonly SmokingClaim[]>();
function smokingClaimsOf(text: string, lexicon: Lexicon): readonly SmokingClaim[] {
  let claims = smokingClaims.get(lexicon);
  if (claims === undefined) smokingClaims.set(lexicon, (claims = memoByText((t) => lexicon.smoking.find(tokenize(t)).map((h) => h.concept))));
  return claims(text);
}

function smokingMentions(tokens: Tokens, sheet: FactSheet, lexicon: Lexicon, scopes: ReturnType<typeof contextScopes>): SmokingMention[] {
  const fact = sheet.facts.find((f) => f.id === 'social.smoking');
  // The record's status in the same words a note uses: the fact's label and synonyms read by the tobacco phrases.
  const recorded = fact === undefined ? undefined : ([fact.label, ...(fact.synonyms ?? [])].flatMap((t) => smokingClaimsOf(t, lexicon))[0]
    ?? (/never/i.test(fact.label) ? 'never' : /ex-|former/i.test(fact.label) ? 'former' : 'current'));
  return lexicon.smoking.find(tokens).map((hit) => {
    const negated = scopes.assertionOf(hit.start, hit.end) === 'negated';
    const claim = negated && hit.concept === 'current' ? 'never' : hit.concept;
    return {
      start: hit.start, end: hit.end, text: hit.text, claim,
      ...(fact === undefined ? {} : { factId: fact.id, ...(fact.resourceId === undefined ? {} : { resourceId: fact.resourceId }) }),
      ...(recorded === undefined ? {} : { recorded }),
    };
  });
}

/** Where the patient's given and family names occur in `text`, as whole words. */
/** Where the frame's names and places occur in the text, as whole words. */
function phiSpans(text: string, values: readonly string[]): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const value of values) {
    if (value.length === 0) continue;
    for (let at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + value.length)) {
      if (!/\w/.test(at === 0 ? '' : text[at - 1]!) && !/\w/.test(text[at + value.length] ?? '')) out.push({ start: at, end: at + value.length });
    }
  }
  return out;
}

function nameSpans(text: string, sheet: FactSheet): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const { givenName, familyName } = sheet.patient;
  const bounded = (at: number, length: number) => !/[A-Za-z]/.test(at === 0 ? '' : text[at - 1]!) && !/[A-Za-z]/.test(text[at + length] ?? '');
  for (const name of [givenName, familyName]) {
    if (name.length === 0) continue;
    for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
      if (bounded(at, name.length)) out.push({ start: at, end: at + name.length });
    }
  }
  // Headers write the whole name in capitals ("OBERBRUNNER, TIA"): its parts are names only there,
  // so a capital "TIA" elsewhere in the note is still the abbreviation.
  if (givenName.length > 0 && familyName.length > 0) {
    const given = givenName.toUpperCase();
    const family = familyName.toUpperCase();
    for (const [whole, givenAt] of [[`${family}, ${given}`, family.length + 2], [`${given} ${family}`, 0]] as const) {
      for (let at = text.indexOf(whole); at >= 0; at = text.indexOf(whole, at + whole.length)) {
        if (!bounded(at, whole.length)) continue;
        const familyAt = givenAt === 0 ? given.length + 1 : 0;
        out.push({ start: at + givenAt, end: at + givenAt + given.length }, { start: at + familyAt, end: at + familyAt + family.length });
      }
    }
  }
  return out;
}

const PAST_STATUSES: ReadonlySet<string> = new Set(['resolved', 'inactive', 'stopped', 'remission']);

/**
 * ConText's assertion, section-aware: under a past-history title a mention is historical when the
 * record fact it states is over (a resolved infection), and present when it is an active problem
 * (hypertension listed under PMH is still current).
 */
function sectionAssertion(scopes: ContextScopes, start: number, end: number, fact: Fact | undefined): Assertion {
  const assertion = scopes.assertionOf(start, end);
  if (assertion !== 'present' || !scopes.inPastHistory(start, end)) return assertion;
  return fact !== undefined && (fact.kind === 'history' || PAST_STATUSES.has(fact.status ?? '')) ? 'historical' : 'present';
}
