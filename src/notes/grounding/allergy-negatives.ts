/**
 * "NKDA" and its spellings deny every allergy: allowed only when the record has no current allergy
 * and the sheet lists the negative.
 */
import type { FactSheet } from '../facts.js';
import { violation, type Violation } from './violation.js';

const NO_ALLERGIES = /\b(?:NKDA|NKA|no known (?:drug |medication )?allergies|no drug allergies)\b/gi;
const LISTED = /\b(?:nkda|nka|no known (?:drug |medication )?allergies|no drug allergies)\b/i;

export function checkAllergyNegatives(text: string, sheet: FactSheet): Violation[] {
  const out: Violation[] = [];
  for (const m of text.matchAll(NO_ALLERGIES)) {
    const span = { start: m.index, end: m.index + m[0].length };
    const allergies = sheet.facts.filter((f) => f.kind === 'allergy' && f.status !== 'resolved' && f.status !== 'inactive');
    if (allergies.length > 0) {
      out.push(violation('negative-contradicts-record', `"${m[0]}" but the record has allergies: ${allergies.map((f) => `${f.label} (${f.id})`).join(', ')}`, span));
    } else if (!LISTED.test(sheet.negatives.join('\n'))) {
      out.push(violation('unsupported-negative', `"${m[0]}" is not among the pertinent negatives the record supports; leave it out`, span));
    }
  }
  return out;
}
