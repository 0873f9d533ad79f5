/**
 * What the clinical annotator finds in a note: every clinical statement as a span of the note's
 * text, linked to the record fact it states or reported unlinked. One shape serves two readers:
 * the grounding checks (an unlinked or contradicted mention is a violation) and the corpus
 * exporter (a linked mention is a gold label). Offsets index the stored text ({@link noteToText}).
 */
import type { FactCode } from '../facts.js';

/**
 * Entity classes, named as clinical NLP corpora name them (i2b2/n2c2 concepts, extended). A drug's
 * attributes follow n2c2 2018 Track 2: STRENGTH ("500 mg"), FORM ("tablet"), ROUTE ("PO"),
 * FREQUENCY ("BID") and DOSAGE, the amount taken ("2 tablets"), each its own span beside the drug.
 */
export type MentionLabel =
  | 'PROBLEM'
  | 'MEDICATION'
  | 'DOSAGE'
  | 'STRENGTH'
  | 'FORM'
  | 'ROUTE'
  | 'FREQUENCY'
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
  /** The value a VITAL or LAB mention states right after its name ("138/86" in "BP 138/86"). */
  readonly value?: TextSpan & { readonly text: string };
  /** Laterality of an ANATOMY mention ("left", "right", "bilateral"). */
  readonly laterality?: 'left' | 'right' | 'bilateral';
  /** The concept the text names, as the annotator's vocabulary calls it (e.g. "metformin" for "Glucophage"). */
  readonly concept?: string;
  /** The kind of that concept in the annotator's vocabulary; `symptom` mentions claim nothing the record holds. */
  readonly conceptKind?: 'drug' | 'condition' | 'symptom' | 'lab' | 'procedure' | 'vaccine' | 'allergen';
  /** True when no fact names the concept but the encounter's reason or type does ("Chest pain" visit). */
  readonly encounter?: boolean;
  /**
   * How the mention was found: `record` by a name the fact sheet gives the fact, `vocabulary` by a
   * known clinical term, `shape` by the look of an unknown word ("-itis", a capitalised word before a dose).
   */
  readonly evidence?: MentionEvidence;
  /** Set when the mention names a record fact but states it otherwise (another dose, date or reaction). */
  readonly conflict?: MentionConflict;
}

export type MentionEvidence = 'record' | 'vocabulary' | 'shape';

/** How a mention departs from the fact it names. */
export interface MentionConflict {
  readonly kind: 'dose' | 'reaction' | 'value';
  /** The span of the departing statement (the stated dose, the reaction). */
  readonly span: TextSpan;
  readonly stated: string;
  readonly expected: string;
}

/** A word that gives the patient's sex: a pronoun ("she", "his") or a noun ("woman", "boy"). */
export interface SexMention extends TextSpan {
  readonly text: string;
  readonly sex: 'male' | 'female';
  readonly kind: 'pronoun' | 'noun';
  /** The sentence also names another person (a relative, a clinician), whom the word may mean. */
  readonly otherPerson: boolean;
}

/** A date, year, relative time or age at an event, with the mention it dates when there is one. */
export interface TemporalMention extends TextSpan {
  readonly text: string;
  readonly kind: 'date' | 'year' | 'relative' | 'age-at';
  /** Index in {@link Annotation.mentions} of the mention it dates. */
  readonly mention?: number;
  /** Earliest and latest ISO date (`YYYY-MM-DD`) the expression can mean. */
  readonly earliest: string;
  readonly latest: string;
  /** Whether the record's date of the dated fact (or some date of the record) falls in that range. */
  readonly supported: boolean;
  /** What the record has, when not supported. */
  readonly expected?: string;
}

/** A statement of tobacco use and the status it claims. */
export interface SmokingMention extends TextSpan {
  readonly text: string;
  readonly claim: 'never' | 'former' | 'current';
  /** `social.smoking` when the sheet has a smoking status. */
  readonly factId?: string;
  readonly resourceId?: string;
  /** The status the record has, when the sheet has one. */
  readonly recorded?: 'never' | 'former' | 'current';
}

/** The patient's age, sex or name as the note states it ("58-year-old", "58 yo F", "Sex: M", "Ms. Lopez", "Maria Lopez"). */
export interface IdentityMention extends TextSpan {
  readonly text: string;
  /** `honorific` ("Ms. Lopez") states a sex and a surname; `name` is the given name and the word after it. */
  readonly kind: 'age' | 'sex' | 'honorific' | 'name';
  readonly age?: number;
  readonly sex?: 'male' | 'female';
  readonly surname?: string;
}

export type Side = 'left' | 'right' | 'bilateral';

/** A side of a body site, a count, or a tobacco or alcohol amount the note states. */
export interface QuantityMention extends TextSpan {
  readonly text: string;
  readonly kind: 'laterality' | 'count' | 'tobacco' | 'alcohol';
  readonly side?: Side;
  /** The site group (index in `note-quantities.yaml`'s sites) a side is stated for. */
  readonly site?: number;
  readonly count?: number;
  /** "second course": an ordinal, which counts events before this one. */
  readonly ordinal?: boolean;
  /** What a count of sheet facts counts ("on 4 medications"). */
  readonly listed?: 'medication';
}

/** An exam finding or sign the note asserts or denies, and whether the record backs the statement. */
export interface FindingMention extends TextSpan {
  readonly text: string;
  /** The finding's name in `note-findings.yaml`. */
  readonly finding: string;
  readonly assertion: 'present' | 'negated';
  readonly supported: boolean;
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
  /** Words giving the patient's sex (pronouns, nouns), in text order. */
  readonly sexWords?: readonly SexMention[];
  /** Dates, years, relative times and ages at events, in text order. */
  readonly temporal?: readonly TemporalMention[];
  /** Tobacco statements, in text order. */
  readonly smoking?: readonly SmokingMention[];
  /** Sides, counts and amounts, in text order. */
  readonly quantities?: readonly QuantityMention[];
  /** Age, sex and name statements, in text order. */
  readonly identity?: readonly IdentityMention[];
  /** Exam findings and signs asserted or denied, in text order. */
  readonly findings?: readonly FindingMention[];
}
