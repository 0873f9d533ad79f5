/**
 * Pertinent negatives. A negation cue ("denies", "no", "not on", "negative for", "without", "no
 * history of"...) opens a scope that runs to the end of the clause; every drug, condition or
 * symptom named in the scope is stated as absent. That is allowed only when the sheet lists the
 * negative and the record does not have the thing. "NKDA" and its spellings are the allergy
 * negative. Negations of anything outside the vocabulary ("no acute distress") are not claims
 * about the record and pass.
 */
import type { Fact, FactSheet } from '../facts.js';
import { factsNaming, factTexts, type TermHit, type Vocabulary } from './vocabulary.js';
import { violation, type Span, type Violation } from './violation.js';
import { wholeWords } from './whole-words.js';

const CUE = /\b(?:denies|denied|denying|negative for|not on|not taking|not currently taking|does not take|no longer (?:on|taking)|no history of|no hx of|no h\/o|no prior|no|without|free of|never had|absence of)\b/gi;
/** "No change in metformin" and the like negate the change, not the drug. */
const NOT_A_NEGATIVE = /^\s*(?:changes?|dose changes?|adjustments?|new|further|additional|refills?|side effects|issues with|problems with|concerns? about)\b/i;
const SCOPE_END = /[.;:\n!?]|\bbut\b|\bhowever\b|\balthough\b/i;
const NO_ALLERGIES = /\b(?:NKDA|NKA|no known (?:drug |medication )?allergies|no drug allergies)\b/gi;

/** Where a negation is and what it negates. */
export interface Negation {
  readonly cue: Span;
  readonly scope: Span;
  readonly negated: readonly TermHit[];
}

/** A fact the record has as current (not resolved, inactive or stopped). */
function isCurrent(fact: Fact): boolean {
  return fact.status !== 'resolved' && fact.status !== 'inactive' && fact.status !== 'stopped';
}

export function findNegations(text: string, vocabulary: Vocabulary): Negation[] {
  const out: Negation[] = [];
  // A cue inside a concept's own name ("Concussion with no loss of consciousness") negates nothing.
  const names = vocabulary.find(text);
  for (const m of text.matchAll(CUE)) {
    if (names.some((n) => n.start <= m.index && m.index + m[0].length <= n.end)) continue;
    const from = m.index + m[0].length;
    const rest = text.slice(from, from + 160);
    if (NOT_A_NEGATIVE.test(rest)) continue;
    const end = SCOPE_END.exec(rest);
    const scopeText = end === null ? rest : rest.slice(0, end.index);
    const negated = vocabulary.find(scopeText).map((hit) => ({ ...hit, start: hit.start + from, end: hit.end + from }));
    out.push({ cue: { start: m.index, end: from }, scope: { start: from, end: from + scopeText.length }, negated });
  }
  return out;
}

export function checkNegations(text: string, sheet: FactSheet, vocabulary: Vocabulary, negations: readonly Negation[]): Violation[] {
  const out: Violation[] = [];
  const negativesText = sheet.negatives.join('\n');
  for (const negation of negations) {
    for (const hit of negation.negated) {
      const span = { start: negation.cue.start, end: hit.end };
      const stated = text.slice(span.start, span.end);
      const present = factsNaming(vocabulary, hit.concept, sheet).filter(isCurrent).map((f) => `${f.label} (${f.id})`);
      const reason = sheet.encounter.reason;
      if (reason !== undefined && vocabulary.occursIn(hit.concept, reason)) present.push(`the encounter reason "${reason}"`);
      if (present.length > 0) {
        out.push(violation('negative-contradicts-record', `"${stated}" but the record has ${present.join(', ')}`, span));
      } else if (!vocabulary.occursIn(hit.concept, negativesText)) {
        out.push(violation('unsupported-negative', `"${stated}" is not among the pertinent negatives the record supports; leave it out`, span));
      }
    }
    // Facts named in the scope outside the vocabulary, e.g. a rare drug: denying them contradicts the record.
    const scope = text.slice(negation.scope.start, negation.scope.end);
    for (const fact of sheet.facts) {
      if (!isCurrent(fact) || !['problem', 'medication', 'allergy'].includes(fact.kind)) continue;
      if (negation.negated.some((hit) => factsNaming(vocabulary, hit.concept, sheet).includes(fact))) continue;
      if (factTexts(fact).some((t) => t.length >= 4 && containsWord(scope, t))) {
        out.push(violation('negative-contradicts-record', `"${text.slice(negation.cue.start, negation.scope.end)}" but the record has ${fact.label} (${fact.id})`, { start: negation.cue.start, end: negation.scope.end }));
      }
    }
  }
  for (const m of text.matchAll(NO_ALLERGIES)) {
    const span = { start: m.index, end: m.index + m[0].length };
    const allergies = sheet.facts.filter((f) => f.kind === 'allergy' && isCurrent(f));
    if (allergies.length > 0) {
      out.push(violation('negative-contradicts-record', `"${m[0]}" but the record has allergies: ${allergies.map((f) => `${f.label} (${f.id})`).join(', ')}`, span));
    } else if (!/\b(?:nkda|nka|no known (?:drug |medication )?allergies|no drug allergies)\b/i.test(negativesText)) {
      out.push(violation('unsupported-negative', `"${m[0]}" is not among the pertinent negatives the record supports; leave it out`, span));
    }
  }
  return out;
}

function containsWord(haystack: string, needle: string): boolean {
  return wholeWords([needle], 'i')?.test(haystack) ?? false;
}
