/**
 * Drugs, conditions and lab tests named as present must be in the record. Every vocabulary term outside a
 * negation scope is such a claim ("started atorvastatin", "history of asthma", "r/o MI"): it
 * passes when some fact of the sheet, or the encounter's reason or type, names the same concept.
 * Symptoms are not checked here: the record does not hold them, the encounter reason aside.
 */
import type { FactSheet } from '../facts.js';
import type { Negation } from './negations.js';
import { factsNaming, type Vocabulary } from './vocabulary.js';
import { violation, type Violation } from './violation.js';

export function checkNamedConcepts(text: string, sheet: FactSheet, vocabulary: Vocabulary, negations: readonly Negation[]): Violation[] {
  const out: Violation[] = [];
  const negatedStarts = new Set(negations.flatMap((n) => n.negated.map((h) => h.start)));
  const encounterText = [sheet.encounter.reason ?? '', sheet.encounter.type].join('\n');
  const reported = new Set<string>();
  for (const hit of vocabulary.find(text)) {
    if (hit.concept.kind === 'symptom' || negatedStarts.has(hit.start)) continue;
    if (factsNaming(vocabulary, hit.concept, sheet).length > 0 || vocabulary.occursIn(hit.concept, encounterText)) continue;
    const key = `${hit.concept.name}@${hit.start}`;
    if (reported.has(key)) continue;
    reported.add(key);
    const code = hit.concept.kind === 'drug' ? 'unsupported-medication' : hit.concept.kind === 'lab' ? 'unsupported-lab' : 'unsupported-condition';
    const what = hit.concept.kind === 'drug' ? 'medication' : hit.concept.kind === 'lab' ? 'lab test' : 'condition';
    out.push(violation(code, `the note names the ${what} "${hit.text}", which is not in the record; remove it`, { start: hit.start, end: hit.end }));
  }
  return out;
}
