/**
 * What deduplication reports, as data: shared spans (exact overlap) and near-duplicate pairs.
 * Offsets are in the original texts (UTF-16 code units, end exclusive), so a span can be cut out
 * of the file as a reader sees it.
 */

/** A stretch of one document. */
export interface TextSpan {
  readonly id: string;
  readonly start: number;
  readonly end: number;
}

/** A run of at least `minSpan` normalized tokens that two documents share. */
export interface ExactOverlap {
  readonly kind: 'exact-overlap';
  readonly query: TextSpan;
  readonly reference: TextSpan;
  /** Length of the shared run in tokens. */
  readonly tokens: number;
  /** Of those, the tokens outside value fields (see value-fields.ts). */
  readonly proseTokens: number;
  /** The start of the shared text in the query, as written (at most 160 characters). */
  readonly excerpt: string;
  /** Both documents belong to one group (a patient's own notes). */
  readonly sameGroup: boolean;
}

/** Two documents whose exact 5-gram Jaccard similarity reaches the threshold. */
export interface NearDuplicate {
  readonly kind: 'near-duplicate';
  readonly queryId: string;
  readonly referenceId: string;
  /** Exact Jaccard similarity of their shingle sets. */
  readonly jaccard: number;
  /** The MinHash estimate from their signatures. */
  readonly estimate: number;
  readonly sameGroup: boolean;
}

export type Finding = ExactOverlap | NearDuplicate;

/** What one document's check found. */
export interface DocumentMatches {
  readonly exact: ExactOverlap[];
  /** Shared spans that are value lists (see value-fields.ts): reported, not flagged. */
  readonly valueLists: ExactOverlap[];
  readonly near: NearDuplicate[];
  /** LSH candidates looked at (before exact confirmation). */
  readonly candidates: number;
}

export const EXCERPT_CHARS = 160;

/** The excerpt of a span: whitespace collapsed, cut at {@link EXCERPT_CHARS}. */
export function excerptOf(text: string, start: number, end: number): string {
  const raw = text.slice(start, Math.min(end, start + EXCERPT_CHARS * 2)).replace(/\s+/g, ' ').trim();
  return raw.length <= EXCERPT_CHARS ? raw : `${raw.slice(0, EXCERPT_CHARS - 1)}…`;
}
