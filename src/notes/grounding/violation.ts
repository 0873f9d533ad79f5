/**
 * A grounding violation: one way a note departs from its fact sheet, as data. The message is
 * written for the model too, since violations go back to it as retry feedback.
 */

export type ViolationCode =
  /** A mention's text does not occur in the note. */
  | 'mention-not-in-note'
  /** A mention cites a fact id the sheet does not have. */
  | 'unknown-fact'
  /** A number stated for a vital sign or lab differs from the record beyond rounding. */
  | 'number-mismatch'
  /** The note names a medication the record lacks. */
  | 'unsupported-medication'
  /** The note names a condition the record lacks. */
  | 'unsupported-condition'
  /** The note names a lab test the sheet has no result of. */
  | 'unsupported-lab'
  /** The note names a procedure or imaging study the record lacks. */
  | 'unsupported-procedure'
  /** The note names a vaccine the record does not show given. */
  | 'unsupported-immunization'
  /** The note states an allergy the record lacks. */
  | 'unsupported-allergy'
  /** The note states a family history the record lacks. */
  | 'unsupported-family-history'
  /** A recorded drug at another strength than the record's. */
  | 'dose-mismatch'
  /** A recorded allergy with a reaction the record does not have. */
  | 'reaction-mismatch'
  /** A date, year, relative time or age at an event that does not agree with the record's date. */
  | 'date-mismatch'
  /** A tobacco status other than the record's (or one the record does not have). */
  | 'smoking-mismatch'
  /** A side (left, right, bilateral) of a body site other than the record's, or one the record does not give. */
  | 'laterality-mismatch'
  /** A count of events the sheet does not list ("three prior admissions", "second course of chemotherapy"), or of its facts, otherwise. */
  | 'unsupported-count'
  /** A tobacco or alcohol amount ("40 pack-years", "6 beers a week") the record does not have. */
  | 'unsupported-amount'
  /** A word that looks clinical (a drug-like name before a dose, an -itis or -ectomy word) that no vocabulary knows. */
  | 'unknown-clinical-term'
  /** A pertinent negative the sheet does not list. */
  | 'unsupported-negative'
  | 'unsupported-finding'
  /** A pertinent negative that denies something the record has. */
  | 'negative-contradicts-record'
  | 'name-mismatch'
  | 'age-mismatch'
  | 'sex-mismatch'
  /** The writer's output could not be parsed at all. */
  | 'malformed-output'
  /** The model declined to write the note. */
  | 'refused'
  /** The provider rejected this one request for its size (context length); other notes may still go through. */
  | 'request-rejected'
  /** The note shares a span of `--min-span` tokens or more with a reference text or another patient's note. */
  | 'memorized-overlap'
  /** The note's word 5-gram Jaccard similarity to a reference text or another patient's note reaches `--jaccard`. */
  | 'near-duplicate'
  /** A written answer to a record question (`corpus --llm` QA) that leaves out the facts answering it. */
  | 'answer-missing-fact';

/** Character offsets into the note text ({@link noteToText}), end exclusive. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** The other text a dedup violation points at: a reference document or another note. */
export interface ViolationReference {
  readonly id: string;
  /** The shared span in that text (memorized-overlap). */
  readonly span?: Span;
  /** Exact 5-gram Jaccard similarity (near-duplicate). */
  readonly jaccard?: number;
}

export interface Violation {
  readonly code: ViolationCode;
  readonly message: string;
  readonly span?: Span;
  readonly reference?: ViolationReference;
}

export function violation(code: ViolationCode, message: string, span?: Span, reference?: ViolationReference): Violation {
  return { code, message, ...(span === undefined ? {} : { span }), ...(reference === undefined ? {} : { reference }) };
}
