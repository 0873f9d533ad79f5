/**
 * Word tokens for the token-level formats (CoNLL): runs of letters and digits (a decimal point
 * between digits stays inside: "36.8"), every other visible character a token of its own, and
 * sentences ended by line breaks and by ". " before a capital. A char-code scan, no regex per
 * character: CoNLL export runs at thousands of notes a second.
 */

/**
 * The word tokens of a text as flat arrays: token k is `text.slice(starts[k], ends[k])`, and
 * sentence s holds tokens `sentenceStarts[s]` to `sentenceStarts[s + 1] - 1` (the array ends with
 * the token count). Typed arrays, not an object per token: the CoNLL writer and the datasheet's
 * distinct-n both walk every token of the corpus.
 */
export interface Tokens {
  readonly count: number;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly sentenceStarts: readonly number[];
}

function isWordCode(c: number): boolean {
  // Latin-1 letters and everything beyond (accented names, scripts, astral halves), except the
  // general punctuation block and the multiplication and division signs.
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && c !== 0xd7 && c !== 0xf7 && !(c >= 0x2000 && c <= 0x206f) && c !== 0x3000);
}

function isSpaceCode(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 11 || c === 12 || (c >= 0x2000 && c <= 0x200b) || c === 0x3000;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

const ABBREVIATIONS = new Set(['Dr', 'Mr', 'Mrs', 'Ms', 'St', 'Jr', 'Sr', 'vs', 'Lic', 'No', 'approx']);

/** Whether the word token ending at `end` (just before a period) is an abbreviation ("Dr.", an initial "K."), which ends no sentence. */
function isAbbreviation(text: string, start: number, end: number): boolean {
  if (end - start === 1) {
    const c = text.charCodeAt(start);
    return c >= 65 && c <= 90;
  }
  return end - start <= 6 && ABBREVIATIONS.has(text.slice(start, end));
}

let lastText: string | undefined;
let lastTokens: Tokens | undefined;

/**
 * The tokens of `text`. The last text's tokens are kept: a corpus run asks for each note's tokens
 * once per token-level writer and once for the datasheet, one note after another.
 */
export function tokenize(text: string): Tokens {
  if (lastText !== text || lastTokens === undefined) {
    lastTokens = scan(text);
    lastText = text;
  }
  return lastTokens;
}

function scan(text: string): Tokens {
  const n = text.length;
  let starts = new Int32Array(Math.max(16, n >> 2));
  let ends = new Int32Array(starts.length);
  let count = 0;
  const sentenceStarts: number[] = [];
  let sentenceOpen = -1;
  const push = (s: number, e: number) => {
    if (count === starts.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      starts = grow(starts);
      ends = grow(ends);
    }
    if (sentenceOpen < 0) {
      sentenceOpen = count;
      sentenceStarts.push(count);
    }
    starts[count] = s;
    ends[count] = e;
    count++;
  };
  const close = () => {
    sentenceOpen = -1;
  };
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpaceCode(c)) {
      if (c === 10) close();
      i++;
      continue;
    }
    if (isWordCode(c)) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (isWordCode(d)) j++;
        else if (d === 46 && isDigit(text.charCodeAt(j - 1)) && j + 1 < n && isDigit(text.charCodeAt(j + 1))) j++;
        else break;
      }
      push(i, j);
      i = j;
      continue;
    }
    // A surrogate pair is one character.
    const width = c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
    const prevWord = count > 0 && sentenceOpen >= 0 && count - 1 >= sentenceOpen ? count - 1 : -1;
    push(i, i + width);
    i += width;
    if ((c === 46 || c === 33 || c === 63) && i < n && text.charCodeAt(i) === 32 && !(c === 46 && prevWord >= 0 && isAbbreviation(text, starts[prevWord]!, ends[prevWord]!))) {
      let k = i;
      while (k < n && text.charCodeAt(k) === 32) k++;
      const next = text.charCodeAt(k);
      if (k < n && next >= 65 && next <= 90) close();
    }
  }
  sentenceStarts.push(count);
  return { count, starts: starts.subarray(0, count), ends: ends.subarray(0, count), sentenceStarts };
}
