/**
 * What the clinical annotator finds in a note: every clinical statement as a span of the note's
 * text, linked to the record fact it states or reported unlinked. One shape serves two readers:
 * the grounding checks (an unlinked or contradicted mention is a violation) and the corpus
 * exporter (a linked mention is a gold label). Offsets index the stored text ({@link noteToText}).
 */
import type { FactCode } from '../facts.js';

/** Entity classes, named as clinical NLP corpora name them (i2b2/n2c2 concepts, extended). */
export type MentionLabel =
  | 'PROBLEM'
  | 'MEDICATION'
  | 'DOSAGE'
  | 'LAB'
  | 'VITAL'
  | 'PROCEDURE'
  | 'IMMUNIZATION'
  | 'ALLERGY'
  | 'ANATOMY';

/** ConText-style assertion of a mention (Harkema et al. 2009; i2b2 2010 assertion classes). */
export type Assertion = 'present' | 'negated' | 'possible' | 'hypothetical' | 'historical' | 'family';

/** The kinds of sub-span a DOSAGE mention (or a MEDICATION mention's dose) carries. */
export type DosagePartKind = 'strength' | 'dose' | 'unit' | 'route' | 'frequency';

/** A character span, end exclusive: `text.slice(start, end)` is the mention's text. */
export interface TextSpan {
  readonly start: number;
  readonly end: number;
}

/** One sub-span of a dosage, e.g. "500 mg" (strength) or "twice daily" (frequency). */
export interface DosagePart extends TextSpan {
  readonly kind: DosagePartKind;
  readonly text: string;
}

/** One clinical statement found in a note. */
export interface Mention extends TextSpan {
  readonly text: string;
  readonly label: MentionLabel;
  readonly assertion: Assertion;
  /** The fact-sheet fact this mention states (e.g. `problem.3`); absent when it links to nothing in the record. */
  readonly factId?: string;
  /** The FHIR resource id of that fact in the patient's bundle (`Condition/...` without the type). */
  readonly resourceId?: string;
  /** The concept: SNOMED CT, RxNorm, LOINC, CVX... as the record codes it. */
  readonly code?: FactCode;
  /** Dosage sub-spans (strength, route, frequency...) of a MEDICATION or DOSAGE mention. */
  readonly parts?: readonly DosagePart[];
  /** Laterality of an ANATOMY mention ("left", "right", "bilateral"). */
  readonly laterality?: 'left' | 'right' | 'bilateral';
}

/** A relation between two mentions, by their index in {@link Annotation.mentions}. */
export interface MentionRelation {
  readonly type: 'treats' | 'dosage-of' | 'measures' | 'indicates' | 'procedure-for';
  readonly from: number;
  readonly to: number;
}

/** Everything the annotator found in one note, in text order. */
export interface Annotation {
  readonly mentions: readonly Mention[];
  readonly relations: readonly MentionRelation[];
}
