/**
 * The patient's sex as a note's words state it: pronouns ("he", "her") and nouns ("woman", "boy"),
 * each with whether its sentence also names someone else the word may mean (a mother, a doctor).
 */
import { isRegexWordCode } from './tokens.js';
import type { SexMention } from './types.js';

type SexWord = { readonly kind: SexMention['kind']; readonly sex: SexMention['sex'] };
const sexWordsOf = (kind: SexWord['kind'], sex: SexWord['sex'], words: readonly string[]): [string, SexWord][] => words.map((w) => [w, { kind, sex }]);
const SEX_WORDS: ReadonlyMap<string, SexWord> = new Map([
  ...sexWordsOf('pronoun', 'male', ['he', 'him', 'his', 'himself']),
  ...sexWordsOf('pronoun', 'female', ['she', 'her', 'hers', 'herself']),
  ...sexWordsOf('noun', 'male', ['man', 'gentleman', 'boy', 'male']),
  ...sexWordsOf('noun', 'female', ['woman', 'lady', 'girl', 'female']),
]);
const SEX_WORD_MAX = Math.max(...[...SEX_WORDS.keys()].map((w) => w.length));
/** The words' first letters, lower-cased: a run starting otherwise is not cut out and looked up. */
const SEX_WORD_FIRSTS: ReadonlySet<number> = new Set([...SEX_WORDS.keys()].map((w) => w.charCodeAt(0)));
/** People a sentence may mean besides the patient. */
const OTHER_PERSON =
  /\b(?:mother|father|mom|dad|sister|brother|son|daughter|wife|husband|partner|spouse|boyfriend|girlfriend|aunt|uncle|grandmother|grandfather|grandparent|cousin|niece|nephew|friend|parent|parents|caregiver|guardian|baby|newborn|neonate|infant's|fetus|dr\.?|doctor|physician|provider|nurse|clinician|surgeon|pediatrician|midwife|sibling|family)\b/i;

/**
 * Pronouns and sex nouns, each a whole run of `\w` characters (what `\b(?:he|him|...)\b` with the
 * `i` flag matches), found by one scan of character codes: the two regular expressions of
 * alternatives were tried at every position of the note.
 */
export function sexWords(text: string): SexMention[] {
  const out: SexMention[] = [];
  const n = text.length;
  /** Whether the sentence around `at` names someone else, remembered per sentence. */
  let sentenceFrom = -1;
  let sentenceOther = false;
  const otherPersonAt = (at: number) => {
    const from = Math.max(text.lastIndexOf('.', at), text.lastIndexOf('\n', at), text.lastIndexOf(';', at)) + 1;
    if (from !== sentenceFrom) {
      let to = at;
      while (to < n) {
        const c = text.charCodeAt(to);
        if (c === 46 || c === 10 || c === 59) break;
        to++;
      }
      sentenceFrom = from;
      sentenceOther = OTHER_PERSON.test(text.slice(from, to));
    }
    return sentenceOther;
  };
  for (let i = 0; i < n; ) {
    if (!isRegexWordCode(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && isRegexWordCode(text.charCodeAt(i))) i++;
    // `| 32` lower-cases an ASCII letter; a digit or underscore so changed is no first letter either.
    if (i - start < 2 || i - start > SEX_WORD_MAX || !SEX_WORD_FIRSTS.has(text.charCodeAt(start) | 32)) continue;
    const word = text.slice(start, i);
    const sexWord = SEX_WORDS.get(word.toLowerCase());
    if (sexWord === undefined) continue;
    out.push({ start, end: i, text: word, kind: sexWord.kind, sex: sexWord.sex, otherPerson: otherPersonAt(start) });
  }
  return out;
}
