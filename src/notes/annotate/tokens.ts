/**
 * Word tokens and a token trie: the annotator's dictionary lookups walk a trie over the note's
 * tokens once, instead of running one regular expression of thousands of alternatives per list
 * (V8 tries every alternative at every position, which cost a millisecond per note).
 */

/** A note split into word tokens (letter-digit runs) and single punctuation marks, with offsets. */
export interface Tokens {
  readonly text: string;
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  readonly raw: readonly string[];
  readonly lower: readonly string[];
  /** {@link wordHash} of each lower-cased token, computed in the tokenizing scan. */
  readonly hashes: readonly number[];
}

/**
 * A 30-bit FNV-1a hash of a word's character codes, a small integer: the tries' first-word filters
 * look tokens up by it, which costs less than hashing each token string for a map (collisions only
 * let a token through to the trie's own lookup).
 */
export function wordHash(word: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 16777619);
  return h & 0x3fffffff;
}

/** Letters, digits and Latin-1/Latin Extended letters (U+00C0-U+024F): the characters of a word token. */
function isWordCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || (c >= 0xc0 && c <= 0x24f);
}

/** A character of `\w` in a regular expression without the `u` flag: ASCII letters, digits, underscore. */
export function isRegexWordCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/** The characters of `\s` in a JavaScript regular expression (ASCII and Unicode spaces, line terminators, BOM). */
function isSpaceCode(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * Tokens by one scan of character codes: the same tokens as the regular expression
 * `[A-Za-z0-9\u00C0-\u024F]+|[^\sA-Za-z0-9\u00C0-\u024F]` (a word run, or one mark), which cost a
 * match object per token. A token with no capital letter is its own lower-case form.
 */
export function tokenize(text: string): Tokens {
  const starts: number[] = [];
  const ends: number[] = [];
  const raw: string[] = [];
  const lower: string[] = [];
  const hashes: number[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    if (isSpaceCode(c)) {
      i++;
      continue;
    }
    const start = i;
    // Only capitals, and any non-ASCII character, change under toLowerCase; the hash of an ASCII
    // token is taken of its lower-case codes as the scan goes.
    let cased = c >= 65 && c <= 90;
    let ascii = c < 128;
    let h = Math.imul(0x811c9dc5 ^ (cased ? c + 32 : c), 16777619);
    i++;
    if (isWordCode(c)) {
      while (i < n) {
        c = text.charCodeAt(i);
        if (!isWordCode(c)) break;
        if (c >= 65 && c <= 90) {
          cased = true;
          c += 32;
        } else if (c >= 128) ascii = false;
        h = Math.imul(h ^ c, 16777619);
        i++;
      }
    }
    const token = text.slice(start, i);
    starts.push(start);
    ends.push(i);
    raw.push(token);
    if (ascii) {
      lower.push(cased ? token.toLowerCase() : token);
      hashes.push(h & 0x3fffffff);
    } else {
      const low = token.toLowerCase();
      lower.push(low);
      hashes.push(wordHash(low));
    }
  }
  return { text, starts, ends, raw, lower, hashes };
}

/**
 * The first words of every trie's terms, by {@link wordHash}, each with one bit per trie that has
 * terms starting with it: a note's tokens are looked up here once, and each of the annotator's
 * dozen trie walks then starts only at the tokens its bit marks, instead of looking every token up
 * in its own root again. Bits are never cleared (a trie dropped leaves extra bits, which only cost a
 * lookup); a trie made after the bits ran out gets none and walks every token as before.
 */
const firstWords = new Map<number, number>();
let nextBit = 0;
/** Bumped whenever a word gains a bit, so marks read before it are read again. */
let firstWordsVersion = 0;
const marks = new WeakMap<Tokens, { version: number; bits: Int32Array }>();

function firstWordBits(tokens: Tokens): Int32Array {
  const hit = marks.get(tokens);
  if (hit !== undefined && hit.version === firstWordsVersion) return hit.bits;
  const hashes = tokens.hashes;
  const bits = new Int32Array(hashes.length);
  for (let i = 0; i < hashes.length; i++) bits[i] = firstWords.get(hashes[i]!) ?? 0;
  marks.set(tokens, { version: firstWordsVersion, bits });
  return bits;
}

/**
 * A trie node. Children are keyed by their word's {@link wordHash} (the tokenizer has it already, so
 * a walk hashes no strings); words of one hash are chained through `sibling`.
 */
interface Node<C> {
  readonly word: string;
  readonly next: Map<number, Node<C>>;
  sibling: Node<C> | undefined;
  readonly entries: { readonly concept: C; readonly exact: readonly string[] | undefined }[];
}

function childOf<C>(node: Node<C>, hash: number, word: string): Node<C> | undefined {
  let child = node.next.get(hash);
  while (child !== undefined && child.word !== word) child = child.sibling;
  return child;
}

export interface TrieHit<C> {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly concept: C;
  /** Token indexes [first, last]. */
  readonly first: number;
  readonly last: number;
}

/** Terms in capitals only (HTN, CXR) match case-sensitively; all others ignore case. */
export function isAbbreviation(term: string): boolean {
  return /^[A-Z0-9&/-]+$/.test(term) && /[A-Z]/.test(term);
}

/**
 * What a term matches as, case folded unless it is an abbreviation: two names with one key name
 * the same words in a note ("Hypertension", "hypertension").
 */
export function termKey(term: string): string {
  const t = tokenize(term);
  return isAbbreviation(term) ? `A ${t.raw.join(' ')}` : `a ${t.lower.join(' ')}`;
}

/** A dictionary of terms, each naming a concept; the first concept added for a term keeps it. */
export class TokenTrie<C> {
  private readonly root: Node<C> = { word: '', next: new Map(), sibling: undefined, entries: [] };
  private size = 0;
  /** This trie's bit in {@link firstWords}; 0 when the bits ran out. */
  private readonly bit: number = nextBit < 31 ? 1 << nextBit++ : 0;

  add(term: string, concept: C): void {
    const t = tokenize(term);
    if (t.raw.length === 0) return;
    let node = this.root;
    const first = t.hashes[0]!;
    const had = firstWords.get(first) ?? 0;
    if ((had & this.bit) !== this.bit) {
      firstWords.set(first, had | this.bit);
      firstWordsVersion++;
    }
    t.lower.forEach((token, k) => {
      const hash = t.hashes[k]!;
      let child = childOf(node, hash, token);
      if (child === undefined) {
        child = { word: token, next: new Map(), sibling: node.next.get(hash), entries: [] };
        node.next.set(hash, child);
      }
      node = child;
    });
    const exact = isAbbreviation(term) ? t.raw : undefined;
    if (node.entries.some((e) => sameTokens(e.exact, exact))) return;
    node.entries.push({ concept, exact });
    this.size++;
  }

  get terms(): number {
    return this.size;
  }

  /**
   * Leftmost-longest, non-overlapping hits in text order. With `accept`, terms whose concept it
   * refuses are not there: a shared trie of many sheets' names serves one sheet at a time. With
   * `startHashes` (the {@link wordHash}es of the first words of every term `accept` takes), only
   * tokens it holds can start a hit, so the shared trie is walked from the sheet's words alone.
   */
  find(tokens: Tokens, accept?: (concept: C) => boolean, startHashes?: ReadonlySet<number>): TrieHit<C>[] {
    const out: TrieHit<C>[] = [];
    const lower = tokens.lower;
    const n = lower.length;
    const root = this.root;
    const bit = this.bit;
    const hashes = tokens.hashes;
    const bits = bit === 0 || startHashes !== undefined ? undefined : firstWordBits(tokens);
    for (let i = 0; i < n; i++) {
      if (startHashes !== undefined ? !startHashes.has(hashes[i]!) : bits !== undefined && (bits[i]! & bit) === 0) continue;
      let node = childOf(root, hashes[i]!, lower[i]!);
      if (node === undefined) continue;
      let bestJ = -1;
      let best: C | undefined;
      for (let j = i; ; ) {
        const entry = node.entries.length === 0 ? undefined : matching(node, tokens, i, j, accept);
        if (entry !== undefined) {
          bestJ = j;
          best = entry;
        }
        if (++j >= n || node.next.size === 0) break;
        node = childOf(node, hashes[j]!, lower[j]!);
        if (node === undefined) break;
      }
      if (bestJ >= 0) {
        const start = tokens.starts[i]!;
        const end = tokens.ends[bestJ]!;
        out.push({ start, end, text: tokens.text.slice(start, end), concept: best!, first: i, last: bestJ });
        i = bestJ;
      }
    }
    return out;
  }

  /** Every concept any term names anywhere in the tokens, overlaps included. */
  concepts(tokens: Tokens): Set<C> {
    const out = new Set<C>();
    const n = tokens.lower.length;
    const bit = this.bit;
    const bits = bit === 0 ? undefined : firstWordBits(tokens);
    for (let i = 0; i < n; i++) {
      if (bits !== undefined && (bits[i]! & bit) === 0) continue;
      let node: Node<C> | undefined = this.root;
      for (let j = i; j < n; j++) {
        node = childOf(node, tokens.hashes[j]!, tokens.lower[j]!);
        if (node === undefined) break;
        for (const e of node.entries) if (e.exact === undefined || exactAt(e.exact, tokens, i)) out.add(e.concept);
      }
    }
    return out;
  }
}

function matching<C>(node: Node<C>, tokens: Tokens, i: number, j: number, accept: ((concept: C) => boolean) | undefined): C | undefined {
  for (const e of node.entries) {
    if ((e.exact === undefined || (e.exact.length === j - i + 1 && exactAt(e.exact, tokens, i))) && (accept === undefined || accept(e.concept))) return e.concept;
  }
  return undefined;
}

function exactAt(exact: readonly string[], tokens: Tokens, i: number): boolean {
  for (let k = 0; k < exact.length; k++) if (tokens.raw[i + k] !== exact[k]) return false;
  return true;
}

function sameTokens(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((x, k) => x === b[k]);
}
