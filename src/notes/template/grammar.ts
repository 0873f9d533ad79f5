/**
 * Sentence assembly the templates must not get wrong by concatenation: the indefinite article
 * ("an 8-year-old", "an 11-month-old", "a 1-year-old", "an MRI", "a urinary tract infection") and
 * joining list items.
 */

/** Whether a number, read aloud, starts with a vowel sound: 8, 11, 18, 80-89, 800-899, 8000... */
function numberTakesAn(digits: string): boolean {
  const n = digits.replace(/^0+(?=\d)/, '');
  if (n.startsWith('8')) return true;
  // "eleven", "eighteen", and the thousands/millions of them ("eleven thousand").
  const groups = n.length % 3 === 0 ? 3 : n.length % 3;
  const lead = n.slice(0, groups);
  return lead === '11' || lead === '18';
}

/** Abbreviations spelled out letter by letter whose first letter sounds like a vowel (F, H, L, M, N, R, S, X). */
const VOWEL_SOUND_LETTERS = /^[AEFHILMNORSX]$/;
/** Words starting with a vowel letter but a consonant sound, and the reverse. */
const CONSONANT_SOUND = /^(?:uni|use|usu|uri|ure|euro|one|once|ewe)/i;
const VOWEL_SOUND = /^(?:hour|honest|honor|heir)/i;

/** "a" or "an" for the word that follows. */
export function article(next: string): 'a' | 'an' {
  const word = next.trim();
  const digits = /^\d+/.exec(word);
  if (digits !== null) return numberTakesAn(digits[0]) ? 'an' : 'a';
  const abbreviation = /^[A-Z]{2,}\b/.exec(word);
  if (abbreviation !== null) return VOWEL_SOUND_LETTERS.test(word.charAt(0)) ? 'an' : 'a';
  if (VOWEL_SOUND.test(word)) return 'an';
  if (CONSONANT_SOUND.test(word)) return 'a';
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

/** The phrase with its indefinite article: "an 8-year-old". */
export function withArticle(phrase: string): string {
  return `${article(phrase)} ${phrase}`;
}
