/**
 * ConText (Harkema et al. 2009) over a note: trigger phrases from the rules file open scopes that
 * run forward or backward to the end of their clause (or to a terminating phrase), pseudo-triggers
 * block the triggers they contain, and a heading such as "PMH:" or "Family history:" sets the
 * status of its whole section. A mention takes the status of the scopes covering it.
 */
import type { Assertion } from './types.js';
import type { ContextCategory, Lexicon } from './lexicon.js';
import type { Tokens } from './tokens.js';

interface Scope {
  readonly category: Exclude<ContextCategory, 'pseudo' | 'terminate'>;
  readonly start: number;
  readonly end: number;
}

/** The scopes of a text, found once and asked per mention. */
export interface ContextScopes {
  /** Assertion of the span [start, end). */
  assertionOf(start: number, end: number): Assertion;
  /** Whether the span lies under a past-history section title ("PMH:", "Past medical history:"). */
  inPastHistory(start: number, end: number): boolean;
  /** Scopes of claiming negation triggers ("denies ..."): what they deny is a claim, known words or not. */
  readonly claims: readonly { readonly start: number; readonly end: number }[];
}

/**
 * Clause ends: sentence punctuation (not a decimal point), semicolons, colons (not a time's), line
 * breaks; found by one scan of character codes.
 */
function clauseEnds(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 59 || c === 33 || c === 63 || c === 10) out.push(i);
    else if (c === 46 || c === 58) {
      const d = text.charCodeAt(i + 1);
      if (!(d >= 48 && d <= 57)) out.push(i);
    }
  }
  return out;
}

const PRIORITY: readonly Scope['category'][] = ['negated', 'family', 'possible', 'hypothetical', 'historical'];

/**
 * Finds the scopes of every trigger in `text`. `protectedSpans` are the note's concept names: a
 * trigger inside one ("Concussion with no loss of consciousness") is part of the name, not a cue.
 */
export function contextScopes(tokens: Tokens, lexicon: Lexicon, protectedSpans: readonly { start: number; end: number }[]): ContextScopes {
  const text = tokens.text;
  const ends = clauseEnds(text);
  /** Index of the first clause end at or after `at`. */
  const firstEndFrom = (at: number): number => {
    let lo = 0;
    let hi = ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid]! < at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const clauseEndAfter = (at: number): number => {
    const k = firstEndFrom(at);
    return k < ends.length ? ends[k]! : text.length;
  };
  const clauseStartBefore = (at: number): number => {
    const k = firstEndFrom(at);
    return k === 0 ? 0 : ends[k - 1]! + 1;
  };
  // Protected spans by start, with the furthest end among each prefix: a span holds [start, end)
  // when some span starting at or before `start` reaches `end`.
  const spans = [...protectedSpans].sort((a, b) => a.start - b.start);
  const reach: number[] = [];
  for (const p of spans) reach.push(Math.max(reach.at(-1) ?? -1, p.end));
  const isProtected = (start: number, end: number): boolean => {
    let lo = 0;
    let hi = spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (spans[mid]!.start <= start) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && reach[lo - 1]! >= end;
  };

  const found: { start: number; end: number; category: ContextCategory; direction: string; claim: boolean; section: boolean }[] = [];
  for (const hit of lexicon.triggers.find(tokens)) {
    const { start, end, concept: rule } = hit;
    if (isProtected(start, end)) continue;
    found.push({ start, end, category: rule.category, direction: rule.direction, claim: rule.claim === true, section: rule.section !== undefined });
  }
  const terminators = found.filter((t) => t.category === 'terminate').map((t) => t.start);
  const scopes: Scope[] = [];
  const claims: { start: number; end: number }[] = [];
  const pastHistory: { start: number; end: number }[] = [];
  for (const t of found) {
    if (t.category === 'pseudo' || t.category === 'terminate') continue;
    const category = t.category;
    // A heading ("PMH:", "Family history:") governs its section, to the next blank line.
    const lineStart = text.lastIndexOf('\n', t.start - 1) + 1;
    if (lineStart === t.start && text[t.end] === ':') {
      const blank = text.indexOf('\n\n', t.end);
      const scope = { category, start: t.end, end: blank < 0 ? text.length : blank };
      if (t.section) pastHistory.push(scope);
      else scopes.push(scope);
      continue;
    }
    // A section title inline ("PMH significant for HTN") asserts nothing either.
    if (t.section) continue;
    if (t.direction !== 'backward') {
      let end = clauseEndAfter(t.end);
      for (const s of terminators) if (s >= t.end && s < end) end = s;
      scopes.push({ category, start: t.end, end });
      if (t.claim) claims.push({ start: t.end, end });
    }
    if (t.direction !== 'forward') {
      let start = clauseStartBefore(t.start);
      for (const s of terminators) if (s < t.start && s >= start) start = s;
      scopes.push({ category, start, end: t.start });
    }
  }
  return {
    claims,
    inPastHistory: (start, end) => pastHistory.some((s) => s.start <= start && end <= s.end),
    assertionOf(start, end) {
      let best: Scope['category'] | undefined;
      for (const s of scopes) {
        if (s.start > start || s.end < end) continue;
        if (best === undefined || PRIORITY.indexOf(s.category) < PRIORITY.indexOf(best)) best = s.category;
      }
      return best ?? 'present';
    },
  };
}
