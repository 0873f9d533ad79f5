/**
 * Text normalization for deduplication: word tokens, lowercased, with punctuation and whitespace
 * dropped, and PHI surrogates masked (people's names, dates, numbers), so two notes never look
 * different only because their names, dates and values differ. Every token keeps its offsets in the
 * original text, so a shared span found on tokens is reported where a reader sees it.
 *
 * Tokens are maximal runs of letters (with combining marks) or of digits; `'` and `-` split words
 * ("patient's" is `patient` `s`, as text-dedup's `\W` split has it). Masks are the tokens
 * {@link MASK}: a `#` cannot occur in a word token, so a mask never collides with a word.
 */
import { murmur3Block, murmur3Finish, murmur3String } from '../core/murmur3.js';

/** The tokens that replace masked text. */
export const MASK = { name: '#name', date: '#date', number: '#num' } as const;

/** Bumped whenever tokens would change for some text: a stored index records it and refuses a mismatch. */
export const NORMALIZATION_VERSION = 1;

export interface NormalizedText {
  /** Normalized tokens, masks included. */
  readonly tokens: readonly string[];
  /** Offset of each token's first character in the original text (UTF-16 code units). */
  readonly starts: Int32Array;
  /** Offset just past each token's last character. */
  readonly ends: Int32Array;
}

export interface NormalizeOptions {
  /**
   * Names to mask (the patient's and clinicians' given and family names from the record, or from
   * a note's header: see {@link namesInText}). Matched per word, case-insensitively, where the word
   * is capitalized in the text ("Brown" the surname, not "brown" the color).
   */
  readonly names?: Iterable<string>;
}

const MONTH = '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
// Dates that start with a digit: ISO (with an optional time), US and European numeric forms,
// "6 November 2021", "11/2021". Sticky, tried only where a digit run starts.
const NUMERIC_DATE = new RegExp(
  String.raw`(?:\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?` +
    String.raw`|\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})` +
    String.raw`|\d{1,2}(?:st|nd|rd|th)?\s+${MONTH}\.?,?\s+\d{4}` +
    String.raw`|\d{1,2}/\d{4})(?![\p{L}\p{N}])`,
  'iyu',
);
// Dates that start with a month name: "November 6, 2021", "Nov. 6th 2021", "Nov 2021".
const MONTH_DATE = new RegExp(String.raw`${MONTH}\.?\s+(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?\d{4}(?![\p{L}\p{N}])`, 'iyu');
const MONTH_WORDS = new Set(['jan', 'january', 'feb', 'february', 'mar', 'march', 'apr', 'april', 'may', 'jun', 'june', 'jul', 'july', 'aug', 'august', 'sep', 'sept', 'september', 'oct', 'october', 'nov', 'november', 'dec', 'december']);
const LETTER = /[\p{L}\p{M}]/u;
const DIGIT_LIKE = /\p{N}/u;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** An ASCII capital, or any non-ASCII code unit (whose case the name lookup settles). */
function isCapital(c: number): boolean {
  return (c >= 65 && c <= 90) || c >= 0x80;
}

function isAsciiLetter(c: number): boolean {
  const l = c | 32;
  return l >= 97 && l <= 122;
}

/** Letter (or, outside ASCII, a non-decimal-digit number sign such as ², which reads as part of a word). */
function isWordChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 0x80) return isAsciiLetter(c);
  const ch = String.fromCodePoint(text.codePointAt(i)!);
  return LETTER.test(ch) || DIGIT_LIKE.test(ch);
}

/** Lowercased name words (two letters or more) to mask. */
export function nameSet(names: Iterable<string>): Set<string> {
  const set = new Set<string>();
  for (const name of names) {
    for (const word of name.split(/[^\p{L}\p{M}]+/u)) if (word.length >= 2) set.add(word.toLowerCase());
  }
  return set;
}

/**
 * Whether a date can start at `i` (a digit): four digits and `-`, one or two digits and one of
 * `/.-`, or one or two digits, an optional ordinal suffix, spaces and a letter (a month name). The
 * regular expression runs only where this cheap test passes.
 */
function mayStartDate(text: string, i: number): boolean {
  let j = i;
  while (j < text.length && isDigit(text.charCodeAt(j))) j++;
  const digits = j - i;
  const c = text.charCodeAt(j);
  if (digits === 4) return c === 45; // '-'
  if (digits > 2) return false;
  if (c === 47 || c === 46 || c === 45) return true; // '/', '.', '-'
  while (j < text.length && isAsciiLetter(text.charCodeAt(j)) && j - i < digits + 2) j++;
  if (text.charCodeAt(j) !== 32 && text.charCodeAt(j) !== 9) return false;
  while (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9) j++;
  return j < text.length && isAsciiLetter(text.charCodeAt(j));
}

/** Whether a digit follows position `j` after an optional period and blanks (cheap test before a month-date match). */
function digitFollows(text: string, j: number): boolean {
  if (text.charCodeAt(j) === 46) j++;
  const c = text.charCodeAt(j);
  if (c !== 32 && c !== 9) return false;
  while (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9) j++;
  return isDigit(text.charCodeAt(j));
}

/** Tokenizes and masks `text` (see the module comment). Deterministic and locale-independent. */
export function normalizeText(text: string, options: NormalizeOptions = {}): NormalizedText {
  const tokens: string[] = [];
  const { starts, ends } = scan(text, nameSetOf(options.names), tokens);
  return { tokens, starts, ends };
}

/** Tokens as hashes, without the token strings: what signing needs. */
export interface HashedText {
  /** MurmurHash3_x86_32 of each token's UTF-8 bytes (masks included), as `murmur3String(token)`. */
  readonly hashes: Uint32Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /**
   * How each token's string follows from the text (see {@link tokenStrings}): what a hit needs to
   * build the strings without scanning the text again.
   */
  readonly kinds: Uint8Array;
}

// Token kinds: how a token's string is made from its range of the text.
const KIND_ASCII = 0; // the range as it is (ASCII, no capital)
const KIND_ASCII_UPPER = 1; // the range lowercased
const KIND_NAME = 2; // MASK.name
const KIND_DATE = 3; // MASK.date
const KIND_NUMBER = 4; // MASK.number
const KIND_OTHER = 5; // outside ASCII: the range lowercased and NFKC-normalized

/**
 * The token strings of a text {@link normalizedHashes} scanned, made from its recorded ranges and
 * kinds: exactly {@link normalizeText}'s tokens, without its second scan (dates, numbers, names and
 * hashes are not looked for again). A hit on a text signed from its hashes needs them.
 */
export function tokenStrings(text: string, hashed: HashedText): NormalizedText {
  const { starts, ends, kinds } = hashed;
  const tokens = new Array<string>(kinds.length);
  for (let k = 0; k < kinds.length; k++) {
    const kind = kinds[k]!;
    tokens[k] =
      kind === KIND_ASCII
        ? text.slice(starts[k], ends[k])
        : kind === KIND_ASCII_UPPER
          ? text.slice(starts[k], ends[k]).toLowerCase()
          : kind === KIND_NAME
            ? MASK.name
            : kind === KIND_DATE
              ? MASK.date
              : kind === KIND_NUMBER
                ? MASK.number
                : text.slice(starts[k], ends[k]).toLowerCase().normalize('NFKC');
  }
  return { tokens, starts, ends };
}

/**
 * The tokens {@link normalizeText} gives, hashed as they are found: an ASCII word is hashed from
 * the text's code units without its lowercased string ever being made, so signing a text allocates
 * a handful of typed arrays instead of a string per token. Strings are made only where a name or a
 * month must be looked up, and for words outside ASCII.
 */
export function normalizedHashes(text: string, options: NormalizeOptions = {}): HashedText {
  return scan(text, nameSetOf(options.names), undefined);
}

function nameSetOf(names: Iterable<string> | undefined): ReadonlySet<string> | undefined {
  if (names === undefined) return undefined;
  const set = names instanceof Set ? (names as Set<string>) : nameSet(names);
  return set.size === 0 ? undefined : set;
}

function newScratch(size: number): { hashes: Uint32Array; starts: Int32Array; ends: Int32Array; kinds: Uint8Array } {
  const capacity = Math.max(4096, 2 ** Math.ceil(Math.log2(size)));
  return { hashes: new Uint32Array(capacity), starts: new Int32Array(capacity), ends: new Int32Array(capacity), kinds: new Uint8Array(capacity) };
}
let scratch = newScratch(0);

const MASK_HASH = { name: murmur3String(MASK.name), date: murmur3String(MASK.date), number: murmur3String(MASK.number) };

/**
 * The one tokenizer behind {@link normalizeText} and {@link normalizedHashes}: every token's hash
 * and offsets, and its string when `tokens` is given.
 */
function scan(text: string, names: ReadonlySet<string> | undefined, tokens: string[] | undefined): HashedText & { count: number } {
  const length = text.length;
  // A token takes at least one character. The scratch arrays are shared: scan never re-enters.
  if (scratch.hashes.length < length) scratch = newScratch(length);
  const { hashes, starts, ends, kinds } = scratch;
  let n = 0;
  const push = (hash: number, start: number, end: number, token: string | undefined, kind: number): void => {
    hashes[n] = hash;
    starts[n] = start;
    ends[n] = end;
    kinds[n] = kind;
    n++;
    if (tokens !== undefined) tokens.push(token!);
  };
  let i = 0;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) {
      if (mayStartDate(text, i)) {
        NUMERIC_DATE.lastIndex = i;
        const date = NUMERIC_DATE.exec(text);
        if (date !== null) {
          push(MASK_HASH.date, i, i + date[0].length, MASK.date, KIND_DATE);
          i += date[0].length;
          continue;
        }
      }
      // A number: digits, with [.,] only between digits (\d+(?:[.,]\d+)*).
      let j = i + 1;
      for (;;) {
        while (j < length && isDigit(text.charCodeAt(j))) j++;
        const sep = text.charCodeAt(j);
        if ((sep === 46 || sep === 44) && j + 1 < length && isDigit(text.charCodeAt(j + 1))) j += 2;
        else break;
      }
      push(MASK_HASH.number, i, j, MASK.number, KIND_NUMBER);
      i = j;
      continue;
    }
    if (c < 0x80 ? isAsciiLetter(c) : isWordChar(text, i)) {
      let j = i;
      let ascii = true;
      let upper = false;
      // The lowercased word's MurmurHash3, made in the same pass that finds its end (as
      // `murmur3String` of the lowercased slice; used only if the word is all ASCII).
      let h = 0;
      let block = 0;
      let shift = 0;
      while (j < length) {
        const d = text.charCodeAt(j);
        if (d < 0x80) {
          if (!isAsciiLetter(d)) break;
          if (d < 97) upper = true;
          block |= (d | 32) << shift;
          shift += 8;
          if (shift === 32) {
            h = murmur3Block(h, block);
            block = 0;
            shift = 0;
          }
          j++;
        } else if (isWordChar(text, j)) {
          ascii = false;
          j += d >= 0xd800 && d <= 0xdbff ? 2 : 1;
        } else break;
      }
      let word: string | undefined;
      if (!ascii) word = text.slice(i, j).toLowerCase().normalize('NFKC');
      const size = word === undefined ? j - i : word.length;
      if (size >= 3 && size <= 9 && digitFollows(text, j)) {
        word ??= asciiLower(text, i, j, upper);
        if (MONTH_WORDS.has(word)) {
          MONTH_DATE.lastIndex = i;
          const date = MONTH_DATE.exec(text);
          if (date !== null) {
            push(MASK_HASH.date, i, i + date[0].length, MASK.date, KIND_DATE);
            i += date[0].length;
            continue;
          }
        }
      }
      // Names are masked where capitalized: "Brown" the surname, not "brown" the color. (A word
      // that lowercasing and NFKC leave unchanged is not capitalized.)
      if (names !== undefined && (upper || !ascii) && isCapital(c)) {
        word ??= asciiLower(text, i, j, upper);
        if ((!ascii ? word !== text.slice(i, j) : true) && names.has(word)) {
          push(MASK_HASH.name, i, j, MASK.name, KIND_NAME);
          i = j;
          continue;
        }
      }
      const kind = !ascii ? KIND_OTHER : upper ? KIND_ASCII_UPPER : KIND_ASCII;
      if (word !== undefined) push(murmur3String(word), i, j, word, kind);
      else push(murmur3Finish(h, block, shift, j - i), i, j, tokens === undefined ? undefined : asciiLower(text, i, j, upper), kind);
      i = j;
      continue;
    }
    i += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
  }
  return { hashes: hashes.slice(0, n), starts: starts.slice(0, n), ends: ends.slice(0, n), kinds: kinds.slice(0, n), count: n };
}

function asciiLower(text: string, start: number, end: number, upper: boolean): string {
  const raw = text.slice(start, end);
  return upper ? raw.toLowerCase() : raw;
}

// Fields of a note or transcription header that carry a person's name ("Patient: Jane Doe",
// "Attending physician: ..."), read from the first lines only.
const HEADER_FIELD = /^[ \t]*(?:patient(?:'s)?(?:\s+name)?|name|pt|provider|physician|attending(?:\s+physician)?|author|surgeon|assistant|anesthesiologist|referring(?:\s+(?:physician|provider))?|primary\s+care(?:\s+(?:physician|provider))?|pcp|dictated\s+by|signed\s+by|cc)[ \t]*[:#-][ \t]*([^\n]{1,120})$/gimu;
// Names after an honorific or a signature phrase, anywhere in the text.
const TITLED = /(?:\b(?:Dr|Mr|Mrs|Ms|Miss|Mx)\.?|\b(?:[Nn]ote by|[Ss]igned by|[Dd]ictated by|[Tt]ranscribed by|[Ee]lectronically signed by))[ \t]+((?:[A-Z][\p{L}'-]+[ \t]*){1,3})/gu;
const CREDENTIALS = new Set(['md', 'do', 'np', 'pa', 'rn', 'phd', 'dr', 'mr', 'mrs', 'ms', 'miss', 'mx', 'jr', 'sr', 'ii', 'iii', 'facp', 'facs', 'dnp', 'aprn', 'pac', 'mph', 'the', 'and', 'patient']);

/**
 * Person names a text states in its header fields or after an honorific or signature phrase
 * ("Dr. Patel", "Note by Eryn Mohr, MD"): the names {@link normalizeText} masks in texts that come
 * without a record. Capitalized words only; credentials are dropped.
 */
export function namesInText(text: string): string[] {
  const found = new Set<string>();
  const add = (value: string): void => {
    for (const word of value.split(/[^\p{L}\p{M}'-]+/u)) {
      const clean = word.replace(/^['-]+|['-]+$/g, '');
      if (clean.length < 2 || !/^\p{Lu}/u.test(clean) || CREDENTIALS.has(clean.toLowerCase())) continue;
      found.add(clean);
    }
  };
  const head = text.split('\n', 15).join('\n');
  for (const m of head.matchAll(HEADER_FIELD)) add(m[1]!.replace(/\b(?:MRN|DOB|Age|Sex|Date)\b.*$/iu, ''));
  for (const m of text.matchAll(TITLED)) add(m[1]!);
  return [...found];
}
