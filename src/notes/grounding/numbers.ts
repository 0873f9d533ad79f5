/**
 * Values inside the writer's own cited mentions: a mention citing a vital or lab fact must state the
 * record's value within rounding. Values the note states next to a measurement's name are read by
 * the annotator (a `value` conflict), in the same pass as every other statement.
 */
import { firstStated, isNumericFact, recordedValue, statedMatches } from '../annotate/values.js';
import type { Fact, FactSheet } from '../facts.js';
import type { NoteOutput } from '../note-output.js';
import { violation, type Violation } from './violation.js';

export { matchesWithinRounding } from '../annotate/values.js';

export function checkCitedValues(note: NoteOutput, text: string, sheet: FactSheet): Violation[] {
  if (note.mentions.length === 0) return [];
  const out: Violation[] = [];
  let byId: Map<string, Fact> | undefined;
  for (const mention of note.mentions) {
    byId ??= new Map(sheet.facts.filter(isNumericFact).map((f) => [f.id, f]));
    const fact = byId.get(mention.factId);
    if (fact === undefined) continue;
    const at = text.indexOf(mention.text);
    if (at < 0) continue;
    // The value follows the test's name, which may hold numbers of its own ("1-hour glucose challenge (50 g) 128 mg/dL").
    const name = [fact.label, ...(fact.synonyms ?? [])].find((n) => mention.text.startsWith(n))?.length ?? 0;
    const stated = firstStated(mention.text.slice(name), at + name);
    if (stated !== undefined && !statedMatches(stated, fact)) {
      out.push(violation('number-mismatch', `"${text.slice(stated.start, stated.end)}" stated for ${fact.label} (${fact.id}), but the record has ${recordedValue(fact)}`, { start: stated.start, end: stated.end }));
    }
  }
  return out;
}
