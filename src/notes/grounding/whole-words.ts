/**
 * Matching terms as whole words: "MI" but not "mi" inside "mild", "metformin" but not inside
 * "metformine". One pattern builder for every check, so they agree on what a word edge is.
 */

/** The term as a literal in a regular expression; runs of whitespace match any whitespace. */
export function escapeRegExp(term: string): string {
  return term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
}

/** A pattern matching any of the terms as a whole word, the longest first where several start at one place. */
export function wholeWords(terms: readonly string[], flags: string): RegExp | undefined {
  if (terms.length === 0) return undefined;
  const sorted = [...terms].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
  return new RegExp(`(?<![A-Za-z0-9])(?:${sorted.map(escapeRegExp).join('|')})(?![A-Za-z0-9])`, flags);
}
