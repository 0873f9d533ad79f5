/**
 * The fact sheet: everything a note may state about one encounter, built from the record at the
 * encounter's date. Writers (LLM or template) see only this, and the grounding checks judge a
 * note against it, so a note can never state a fact the timeline lacks.
 */
import type { VaccineCourse } from '../knowledge/immunizations.js';
import type { Coding, ConditionClinicalStatus, MedicationOrder } from '../record/types.js';

/**
 * The sheet's negative for a never-smoker. It is social history, not a symptom: templates keep it out of
 * symptom denials and the review of systems ("Negative for vomiting, rash, tobacco use" reads wrong).
 */
export const TOBACCO_DENIAL = 'denies tobacco use';

/** The note types Chartwright writes, one prompt template and LOINC document code each. */
export const NOTE_TYPES = [
  'progress-note',
  'history-and-physical',
  'discharge-summary',
  'ed-note',
  'consult-note',
  'radiology-report',
  'portal-message',
] as const;

export type NoteType = (typeof NOTE_TYPES)[number];

/** Narrows a string to a {@link NoteType}. */
export function isNoteType(value: string): value is NoteType {
  return (NOTE_TYPES as readonly string[]).includes(value);
}

export type FactKind =
  | 'demographic'
  | 'problem'
  | 'medication'
  | 'allergy'
  | 'vital'
  | 'lab'
  | 'procedure'
  | 'immunization'
  | 'encounter'
  | 'history'
  | 'social'
  /** What the patient reports at an acute visit (from the presentation data), `value` hours since it began. */
  | 'symptom'
  /** An exam finding of an acute presentation. */
  | 'finding'
  /** The delivery of a delivery admission: gestational age, method, the newborn's sex, weight and Apgar scores. */
  | 'birth'
  /** A prenatal visit's obstetric facts: gestational age from the pregnancy's dates, fundal height, fetal heart rate. */
  | 'prenatal';

/** A problem's clinical status or a drug order's status, as the record holds them. */
export type FactStatus = ConditionClinicalStatus | MedicationOrder['status'];

/** A coded concept (SNOMED CT, RxNorm, LOINC, CVX...), as the record codes it. */
export type FactCode = Coding;

/** One numeric part of a compound fact, e.g. the systolic pressure of a blood pressure. */
export interface FactComponent {
  readonly label: string;
  readonly value: number;
  readonly unit: string;
}

/** One statement the record supports. */
export interface Fact {
  /** Stable within the sheet, e.g. `vital.bp` or `problem.3`; notes cite it in their mentions. */
  readonly id: string;
  readonly kind: FactKind;
  /** Human text, e.g. "Type 2 diabetes mellitus", "Blood pressure". */
  readonly label: string;
  readonly code?: FactCode;
  /** Numeric facts (vitals, labs). A blood pressure uses {@link components} instead. */
  readonly value?: number;
  readonly unit?: string;
  readonly components?: readonly FactComponent[];
  readonly status?: FactStatus;
  /** ISO date `YYYY-MM-DD`. */
  readonly date?: string;
  /** Stopped drugs: the ISO date the order ended (a discharge summary reconciles what stopped during the stay). */
  readonly endDate?: string;
  /** Other names the record accepts for this fact (e.g. "T2DM", "metformin 500 mg"). */
  readonly synonyms?: readonly string[];
  /** Lab reference range, in {@link unit}. */
  readonly range?: { readonly low: number; readonly high: number };
  /** Ids of the problems this fact belongs to: the condition a drug treats, the disease a lab monitors. */
  readonly relatesTo?: readonly string[];
  /** The FHIR resource id of the record entry behind the fact (the Condition, MedicationRequest, Observation...). */
  readonly resourceId?: string;
  /**
   * A lab on a discharge summary: the stay's first result of the test, when the fact is a later one
   * ("WBC 7.5, down from 15.3 on admission"). Grounding accepts either value for the test.
   */
  readonly firstOfStay?: { readonly value: number; readonly date: string; readonly resourceId: string };
  /** A vaccine given at the encounter: how the dose fits its course (one of a series, seasonal, a booster, one-time). */
  readonly course?: VaccineCourse;
  /** A cancer's summary stage as the record holds it, as notes write it ("stage II"). */
  readonly stage?: string;
  /**
   * A ward order of this stay (given during it, never dispensed): the stay's notes write it in the
   * admission plan and the hospital course; medication lists and reconciliation leave it out.
   */
  readonly inpatient?: true;
}

export interface FactSheetPatient {
  /** Full display name, e.g. "Maria Lopez". */
  readonly name: string;
  readonly givenName: string;
  readonly familyName: string;
  /** Whole years at the encounter's date. */
  readonly age: number;
  readonly sex: 'male' | 'female';
  readonly birthDate: string;
}

export interface FactSheetEncounter {
  readonly id: string;
  readonly date: string;
  /** FHIR encounter class, e.g. "AMB", "IMP", "EMER". */
  readonly class: string;
  /** Human type, e.g. "General examination of patient". */
  readonly type: string;
  readonly reason?: string;
  /** The problem fact of the encounter's own diagnosis (what the visit or stay was for). */
  readonly reasonFactId?: string;
  /** ISO date the encounter ended (the discharge date of a stay). */
  readonly endDate?: string;
  /** Inpatient stays: nights between admission and discharge. */
  readonly lengthOfStayDays?: number;
  /** Emergency and inpatient stays: where the patient went afterwards, e.g. "Home". */
  readonly disposition?: string;
  /** The authoring clinician's display name. */
  readonly author: string;
  readonly noteType: NoteType;
  /** ISO date the note is written, when not the encounter's (a portal message days after the visit). */
  readonly noteDate?: string;
  /** Acute visits: what brought the patient in, in the patient's words ("sore throat x2 days"). */
  readonly chiefComplaint?: string;
  /** A specialist's visit on a care pathway: the specialty (specialists.yaml key, e.g. "medical-oncology"). */
  readonly specialty?: string;
  /** An admission booked for a planned operation (from clinic, not through the emergency department). */
  readonly planned?: true;
  /** False when the organization was not yet on an electronic record when the note was written (it is dictated and hand-signed). */
  readonly electronic?: boolean;
}

/** Everything one note may state. */
export interface FactSheet {
  readonly patient: FactSheetPatient;
  readonly encounter: FactSheetEncounter;
  readonly facts: readonly Fact[];
  /** Absences the record supports, e.g. "no known drug allergies", "not on insulin", "denies chest pain". */
  readonly negatives: readonly string[];
}
