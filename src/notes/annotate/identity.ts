/**
 * The patient's age, sex and name as a note states them, read off the note's tokens in the
 * annotator's one pass: "58-year-old", "58 yo", "Age: 58"; "female", "M" right after the age or
 * after "Sex:"; "Mr./Ms./Mrs. <surname>"; the given name followed by a surname.
 */
import { departmentNames } from '../../knowledge/departments.js';
import { CLINIC_SUFFIXES, HOSPITAL_SUFFIXES } from '../../knowledge/facility-names.js';
import { memoByText } from './text-memo.js';
import type { IdentityMention } from './types.js';
import type { Tokens } from './tokens.js';

const MALE = new Set(['male', 'man', 'boy', 'gentleman', 'mr', 'm']);
const FEMALE = new Set(['female', 'woman', 'girl', 'lady', 'mrs', 'ms', 'miss', 'f']);
/** Words that state the sex right after an age or a "Sex:" field. */
const AFTER_AGE = new Set(['male', 'female', 'man', 'woman', 'boy', 'girl', 'gentleman', 'lady', 'm', 'f']);
const FIELD = new Set(['male', 'female', 'm', 'f']);
/** A credential after a name marks a clinician, not the patient. */
const CREDENTIAL = /^,? ?(MD|M\.D\.|DO|D\.O\.|NP|PA-C|PA|RN|CNM|APRN|DNP|PhD)\b/;
const HONORIFICS = new Set(['Mr', 'Mrs', 'Ms', 'Miss']);
const STARTERS = new Set(['age', 'aged', 'sex', 'gender', 'mr', 'mrs', 'ms', 'miss']);
/** The starters' first letters: a token starting otherwise needs no look-up of its string. */
const STARTER_FIRSTS: ReadonlySet<number> = new Set([...STARTERS].map((w) => w.charCodeAt(0)));
const NAME_PART = /^[\p{L}'-]+$/u;
const UPPER = /^\p{Lu}/u;
const LETTER = /\p{L}/u;

export function sexOfWord(word: string): 'male' | 'female' | undefined {
  const w = word.toLowerCase();
  return MALE.has(w) ? 'male' : FEMALE.has(w) ? 'female' : undefined;
}

const FACILITY_SUFFIXES: readonly string[] = [...CLINIC_SUFFIXES, ...HOSPITAL_SUFFIXES];

/** The departments whose names begin with a given name, remembered per name (every note of a patient asks). */
const departmentsOf = memoByText((givenName: string): readonly string[] => departmentNames().filter((d) => d.startsWith(`${givenName} `)));

/** Age, sex and name statements in text order (several may overlap: "58 yo F" is an age and a sex). */
export function identityMentions(tokens: Tokens, givenName: string): IdentityMention[] {
  const { text, starts, ends, raw, lower } = tokens;
  const n = lower.length;
  const out: IdentityMention[] = [];
  /** The characters between token i and token i + 1. */
  const gap = (i: number) => (i + 1 < n ? text.slice(ends[i]!, starts[i + 1]!) : '\u0000');
  const glued = (i: number) => ends[i] === starts[i + 1];
  const oneSpace = (i: number) => gap(i) === ' ';
  const is = (i: number, ...words: string[]) => i < n && words.includes(lower[i]!);
  const isAge = (i: number) => i < n && raw[i]!.length <= 3 && /^\d+$/.test(raw[i]!);
  const push = (first: number, last: number, m: Omit<IdentityMention, 'start' | 'end' | 'text'>) => {
    const start = starts[first]!;
    const end = ends[last]!;
    out.push({ start, end, text: text.slice(start, end), ...m });
  };
  /** "58-year-old, female", "58 yo M": the sex stated right after an age phrase [first, last]. */
  const sexAfter = (first: number, last: number) => {
    let k = last;
    let spaced = false;
    while (k + 1 < n && /^[ ,]*$/.test(gap(k)) && raw[k + 1] === ',') {
      spaced = true;
      k++;
    }
    if (k + 1 < n && /^[ ,]*$/.test(gap(k)) && (spaced || gap(k) !== '') && AFTER_AGE.has(lower[k + 1]!)) push(first, k + 1, { kind: 'sex', sex: sexOfWord(lower[k + 1]!)! });
  };
  for (let i = 0; i < n; i++) {
    const t = lower[i]!;
    // Most tokens start no statement: look closer only at numbers and the few words that do.
    const c0 = t.charCodeAt(0);
    const digit = c0 >= 48 && c0 <= 57;
    if (!digit && !(STARTER_FIRSTS.has(c0) && STARTERS.has(t))) continue;
    // "58yo", "58y/o": the tokenizer keeps digits and letters of one run together.
    const fused = digit ? /^(\d{1,3})(yo|y)$/.exec(t) : null;
    if (fused !== null && (fused[2] === 'yo' || (raw[i + 1] === '/' && glued(i) && glued(i + 1) && is(i + 2, 'o')) || (raw[i + 1] === '.' && glued(i) && glued(i + 1) && is(i + 2, 'o') && glued(i + 2) && raw[i + 3] === '.'))) {
      const last = fused[2] === 'yo' ? i : raw[i + 1] === '/' ? i + 2 : i + 3;
      push(i, last, { kind: 'age', age: Number(fused[1]) });
      sexAfter(i, last);
      continue;
    }
    if (isAge(i)) {
      // The age phrase's last token, or -1.
      let last = -1;
      const sep = (k: number) => (glued(k) && raw[k + 1] === '-' && glued(k + 1)) ? 2 : oneSpace(k) ? 1 : 0;
      const s1 = sep(i);
      if (s1 > 0 && is(i + s1, 'year', 'years', 'yr', 'yrs')) {
        const k = i + s1;
        const s2 = sep(k);
        if (s2 > 0 && is(k + s2, 'old')) last = k + s2;
      }
      if (last < 0 && (glued(i) || oneSpace(i))) {
        const k = i + 1;
        if (is(k, 'yo')) last = k;
        else if (is(k, 'y') && glued(k) && raw[k + 1] === '/' && glued(k + 1) && is(k + 2, 'o')) last = k + 2;
        else if (is(k, 'y') && glued(k) && raw[k + 1] === '.' && glued(k + 1) && is(k + 2, 'o') && glued(k + 2) && raw[k + 3] === '.') last = k + 3;
      }
      if (last >= 0) {
        push(i, last, { kind: 'age', age: Number(raw[i]) });
        sexAfter(i, last);
      }
      continue;
    }
    if ((t === 'age' && raw[i + 1] === ':' && glued(i) && (glued(i + 1) || oneSpace(i + 1)) && isAge(i + 2))
      || (t === 'aged' && (glued(i) || oneSpace(i)) && isAge(i + 1))) {
      const k = t === 'age' ? i + 2 : i + 1;
      push(i, k, { kind: 'age', age: Number(raw[k]) });
      continue;
    }
    if ((t === 'sex' || t === 'gender') && raw[i + 1] === ':' && glued(i) && /^\s*$/.test(gap(i + 1)) && is(i + 2, ...FIELD)) {
      push(i, i + 2, { kind: 'sex', sex: sexOfWord(lower[i + 2]!)! });
      continue;
    }
    if (HONORIFICS.has(raw[i]!)) {
      let k = i;
      if (raw[k + 1] === '.' && glued(k)) k++;
      if (!oneSpace(k) || !UPPER.test(raw[k + 1] ?? '')) continue;
      let last = k + 1;
      while (last + 1 < n && glued(last) && NAME_PART.test(raw[last + 1]!)) last++;
      // "Ms. Lopez's": the possessive is not part of the name.
      const surname = text.slice(starts[k + 1]!, ends[last]!).replace(/['’]s?$/, '');
      if (surname.length < 2) continue;
      push(i, last, { kind: 'honorific', sex: sexOfWord(raw[i]!)!, surname });
    }
  }
  if (givenName !== '') {
    // Departments that begin with the given name ("General Practice" for a patient named General).
    const departments = departmentsOf(givenName);
    for (let at = text.indexOf(givenName); at >= 0; at = text.indexOf(givenName, at + 1)) {
      if (at > 0 && LETTER.test(text[at - 1]!)) continue;
      if (departments.some((d) => text.startsWith(d, at) && !LETTER.test(text[at + d.length] ?? ''))) continue;
      const from = at + givenName.length;
      const m = /^ (\p{Lu}[\p{L}'-]+)/u.exec(text.slice(from, from + 60));
      if (m === null) continue;
      // A facility named after a city the patient shares a name with ("Charlotte Primary Care").
      const rest = text.slice(from + 1, from + 40);
      if (FACILITY_SUFFIXES.some((f) => rest.startsWith(f))) continue;
      const end = from + m[0].length;
      // A clinician who shares the patient's given name signs as "Darrion Ankunding, MD" or is "Dr. Darrion Ankunding".
      if (CREDENTIAL.test(text.slice(end, end + 12)) || /\bDr\.? $/.test(text.slice(Math.max(0, at - 4), at))) continue;
      out.push({ start: at, end, text: text.slice(at, end), kind: 'name', surname: m[1]!.replace(/'s?$/, '') });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}
