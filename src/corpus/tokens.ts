/**
 * Word tokens for the token-level formats (CoNLL): runs of letters and digits (a decimal point
 * between digits stays inside: "36.8"), every other visible character a token of its own, and
 * sentences ended by line breaks and by ". " before a capital. A char-code scan, no regex per
 * character: CoNLL export runs at thousands of notes a second.
 */

export interface Token {
  readonly start: number;
  readonly end: number;
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

/** Whether the period just pushed ends an abbreviation ("Dr.", an initial "K."), which ends no sentence. */
function isAbbreviation(text: string, tokens: readonly Token[]): boolean {
  const word = tokens.at(-2);
  if (word === undefined) return false;
  const w = text.slice(word.start, word.end);
  return ABBREVIATIONS.has(w) || (w.length === 1 && /[A-Z]/.test(w));
}

/** Sentences of tokens. */
export function tokenizeSentences(text: string): Token[][] {
  const sentences: Token[][] = [];
  let current: Token[] = [];
  const close = () => {
    if (current.length > 0) sentences.push(current);
    current = [];
  };
  const n = text.length;
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
      current.push({ start: i, end: j });
      i = j;
      continue;
    }
    // A surrogate pair is one character.
    const width = c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
    current.push({ start: i, end: i + width });
    i += width;
    if ((c === 46 || c === 33 || c === 63) && i < n && text.charCodeAt(i) === 32 && !(c === 46 && isAbbreviation(text, current))) {
      let k = i;
      while (k < n && text.charCodeAt(k) === 32) k++;
      const next = text.charCodeAt(k);
      if (k < n && next >= 65 && next <= 90) close();
    }
  }
  close();
  return sentences;
}
