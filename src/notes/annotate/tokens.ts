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
}

const TOKEN = /[A-Za-z0-9\u00C0-\u024F]+|[^\sA-Za-z0-9\u00C0-\u024F]/g;

export function tokenize(text: string): Tokens {
  const starts: number[] = [];
  const ends: number[] = [];
  const raw: string[] = [];
  const lower: string[] = [];
  for (const m of text.matchAll(TOKEN)) {
    starts.push(m.index);
    ends.push(m.index + m[0].length);
    raw.push(m[0]);
    lower.push(m[0].toLowerCase());
  }
  return { text, starts, ends, raw, lower };
}

interface Node<C> {
  readonly next: Map<string, Node<C>>;
  readonly entries: { readonly concept: C; readonly exact: readonly string[] | undefined }[];
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
  private readonly root: Node<C> = { next: new Map(), entries: [] };
  private size = 0;

  add(term: string, concept: C): void {
    const t = tokenize(term);
    if (t.raw.length === 0) return;
    let node = this.root;
    for (const token of t.lower) {
      let child = node.next.get(token);
      if (child === undefined) node.next.set(token, (child = { next: new Map(), entries: [] }));
      node = child;
    }
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
   * refuses are not there: a shared trie of many sheets' names serves one sheet at a time.
   */
  find(tokens: Tokens, accept?: (concept: C) => boolean): TrieHit<C>[] {
    const out: TrieHit<C>[] = [];
    const lower = tokens.lower;
    const n = lower.length;
    const root = this.root.next;
    for (let i = 0; i < n; i++) {
      let node = root.get(lower[i]!);
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
        node = node.next.get(lower[j]!);
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
    for (let i = 0; i < n; i++) {
      let node: Node<C> | undefined = this.root;
      for (let j = i; j < n; j++) {
        node = node.next.get(tokens.lower[j]!);
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
