/**
 * Exact overlap: the maximal runs of identical tokens two texts share. Window-key hits are only
 * seeds; each is checked token by token and grown left and right until the texts differ, so a
 * reported span is exact and maximal, and (since every shared run of `minSpan` tokens contains a
 * stored window) none is missed.
 */

/** One maximal shared run: tokens [queryStart, queryStart + length) of the query equal those from referenceStart. */
export interface TokenSpan {
  readonly queryStart: number;
  readonly referenceStart: number;
  readonly length: number;
}

/** True when `width` tokens of `q` from `i` equal those of `r` from `j`. */
export function equalRun(q: readonly string[], i: number, r: readonly string[], j: number, width: number): boolean {
  for (let k = 0; k < width; k++) if (q[i + k] !== r[j + k]) return false;
  return true;
}

/**
 * Grows seeds (query position, reference position; query positions ascending) into maximal shared
 * runs of at least `minSpan` tokens. Seeds inside a run already found on the same diagonal are skipped.
 */
export function growSeeds(
  query: readonly string[],
  reference: readonly string[],
  seeds: readonly (readonly [number, number])[],
  width: number,
  minSpan: number,
): TokenSpan[] {
  const spans: TokenSpan[] = [];
  const coveredUntil = new Map<number, number>(); // diagonal (i − j) -> query end of the last run on it
  for (const [i, j] of seeds) {
    const diagonal = i - j;
    if ((coveredUntil.get(diagonal) ?? -1) > i) continue;
    if (i + width > query.length || j + width > reference.length || !equalRun(query, i, reference, j, width)) continue;
    let start = i;
    let refStart = j;
    while (start > 0 && refStart > 0 && query[start - 1] === reference[refStart - 1]) {
      start--;
      refStart--;
    }
    let end = i + width;
    let refEnd = j + width;
    while (end < query.length && refEnd < reference.length && query[end] === reference[refEnd]) {
      end++;
      refEnd++;
    }
    coveredUntil.set(diagonal, end);
    if (end - start >= minSpan) spans.push({ queryStart: start, referenceStart: refStart, length: end - start });
  }
  return spans;
}
