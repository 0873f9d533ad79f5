/**
 * The patient's name, age and sex must agree with the sheet wherever the note states them:
 * "58-year-old", "58 yo", "Age: 58"; "female", "woman", "boy" next to the age or after "Sex:";
 * "Mr./Ms./Mrs. <surname>"; the given name followed by a different surname.
 */
import type { FactSheet } from '../facts.js';
import { violation, type Violation } from './violation.js';
import { escapeRegExp } from './whole-words.js';

const AGE_PATTERNS = [
  /\b(\d{1,3})[- ](?:year|yr)s?[- ]old\b/gi,
  /\b(\d{1,3}) ?(?:yo|y\/o|y\.o\.)(?![A-Za-z])/gi,
  /\b(?:age:|aged) ?(\d{1,3})\b/gi,
];
const MALE = new Set(['male', 'man', 'boy', 'gentleman', 'mr', 'm']);
const FEMALE = new Set(['female', 'woman', 'girl', 'lady', 'mrs', 'ms', 'miss', 'f']);
const SEX_AFTER_AGE = /\b\d{1,3}(?:[- ](?:year|yr)s?[- ]old|(?: ?(?:yo|y\/o|y\.o\.)))[ ,]+(male|female|man|woman|boy|girl|gentleman|lady|M|F)\b/gi;
const SEX_FIELD = /\b(?:sex|gender):\s*(male|female|M|F)\b/gi;
// Unicode letters: surnames like "Araña" must be read whole.
const HONORIFIC = /\b(Mr|Mrs|Ms|Miss)\.? (\p{Lu}[\p{L}'-]+)/gu;

function sexOf(word: string): 'male' | 'female' | undefined {
  const w = word.toLowerCase();
  return MALE.has(w) ? 'male' : FEMALE.has(w) ? 'female' : undefined;
}

export function checkIdentity(text: string, sheet: FactSheet): Violation[] {
  const { patient } = sheet;
  const out: Violation[] = [];
  for (const pattern of AGE_PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      const age = Number(m[1]);
      if (age !== patient.age) {
        out.push(violation('age-mismatch', `"${m[0]}" but the patient is ${patient.age}`, { start: m.index, end: m.index + m[0].length }));
      }
    }
  }
  for (const pattern of [SEX_AFTER_AGE, SEX_FIELD]) {
    for (const m of text.matchAll(pattern)) {
      const sex = sexOf(m[1]!);
      if (sex !== undefined && sex !== patient.sex) {
        out.push(violation('sex-mismatch', `"${m[0]}" but the patient is ${patient.sex}`, { start: m.index, end: m.index + m[0].length }));
      }
    }
  }
  for (const m of text.matchAll(HONORIFIC)) {
    const span = { start: m.index, end: m.index + m[0].length };
    const sex = sexOf(m[1]!);
    if (sex !== undefined && sex !== patient.sex) out.push(violation('sex-mismatch', `"${m[0]}" but the patient is ${patient.sex}`, span));
    // Two-part surnames ("Contreras Lozano") may be shortened to their first part after an honorific.
    if (m[2] !== patient.familyName && patient.familyName.split(/[\s-]+/)[0] !== m[2]) out.push(violation('name-mismatch', `"${m[0]}" but the patient is ${patient.name}`, span));
  }
  const fullName = new RegExp(`(?<![\\p{L}])${escapeRegExp(patient.givenName)} (\\p{Lu}[\\p{L}'-]+)`, 'gu');
  for (const m of text.matchAll(fullName)) {
    const surname = m[1]!;
    if (surname !== patient.familyName && !patient.name.includes(`${patient.givenName} ${surname}`)) {
      out.push(violation('name-mismatch', `"${m[0]}" but the patient is ${patient.name}`, { start: m.index, end: m.index + m[0].length }));
    }
  }
  // Pronouns and other sex words are read by the annotator (one violation per word, with its span).
  return out;
}
