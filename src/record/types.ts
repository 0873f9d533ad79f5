/**
 * The typed patient record: the one source of truth. The timeline engine produces it; the FHIR
 * exporter, the note writers and the checks read it. Plain data only (no classes, no methods), so a
 * record can cross a worker boundary or be written to disk as is.
 */
import type { Instant, IsoDate } from '../core/time.js';

/** A code from a code system, with the display the code system gives it. */
export interface Coding {
  readonly system: string;
  readonly code: string;
  readonly display: string;
}

/** Code system URIs used across the record. */
export const SYSTEMS = {
  snomed: 'http://snomed.info/sct',
  loinc: 'http://loinc.org',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  cvx: 'http://hl7.org/fhir/sid/cvx',
  ucum: 'http://unitsofmeasure.org',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  raceEthnicity: 'urn:oid:2.16.840.1.113883.6.238',
  bcp47: 'urn:ietf:bcp:47',
  maritalStatus: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus',
  npi: 'http://hl7.org/fhir/sid/us-npi',
  ssn: 'http://hl7.org/fhir/sid/us-ssn',
  nucc: 'http://nucc.org/provider-taxonomy',
} as const;

declare const idKind: unique symbol;
/**
 * An id of one kind of record entry. A string at run time; the brand lets the compiler refuse a
 * condition's id where an encounter's belongs (every reference between entries is one of these).
 */
export type Id<K extends string> = string & { readonly [idKind]: K };
export type EncounterId = Id<'Encounter'>;
export type PractitionerId = Id<'Practitioner'>;
export type ConditionId = Id<'Condition'>;
export type GoalId = Id<'Goal'>;

export type AdministrativeSex = 'male' | 'female';

export interface Address {
  readonly line: readonly string[];
  readonly city: string;
  readonly state: string;
  readonly postalCode: string;
}

/** Who the patient is. Everything here is known at the reference date (or at death). */
export interface Demographics {
  readonly givenNames: readonly string[];
  readonly familyName: string;
  readonly prefix: string | undefined;
  readonly sex: AdministrativeSex;
  readonly birthTime: Instant;
  readonly birthDate: IsoDate;
  readonly race: { readonly omb: Coding | undefined; readonly text: string };
  readonly ethnicity: { readonly omb: Coding; readonly text: string };
  readonly address: Address;
  readonly phone: string;
  readonly email: string | undefined;
  readonly language: Coding;
  readonly maritalStatus: Coding | undefined;
  readonly mrn: string;
  readonly ssn: string;
}

/** Ids of the shared provider resources a patient's record points at. */
export interface CareSite {
  readonly organizationId: string;
  readonly locationId: string;
}

export type EncounterClass = 'AMB' | 'EMER' | 'IMP' | 'VR';

export interface Encounter {
  readonly id: EncounterId;
  readonly class: EncounterClass;
  readonly type: Coding;
  readonly start: Instant;
  readonly end: Instant;
  readonly practitionerId: PractitionerId;
  readonly organizationId: string;
  readonly locationId: string;
  readonly reason: Coding | undefined;
  /** Emergency and inpatient stays: where the patient went afterwards (HL7 discharge-disposition). */
  readonly dischargeDisposition?: Coding;
  /** The condition the encounter was for (ED visits, admissions, episodes), when the record has one. */
  readonly reasonConditionId?: ConditionId;
  /** Who referred the patient (a specialist consult: the primary care physician). */
  readonly referrerId?: PractitionerId;
  /** An admission booked from clinic for a planned operation (not through the emergency department). */
  readonly planned?: true;
  /** A visit for a specimen only (an INR check of warfarin): a result, and no clinician note. */
  readonly labOnly?: true;
}

/** Vital-sign kinds the engine measures; the FHIR layer maps each to its LOINC code and US Core profile. */
export type VitalKind =
  | 'bodyHeight'
  | 'bodyWeight'
  | 'bmi'
  | 'heartRate'
  | 'respiratoryRate'
  | 'bodyTemperature'
  | 'oxygenSaturation'
  | 'headCircumference'
  | 'bmiPercentile'
  | 'weightForLengthPercentile'
  | 'headCircumferencePercentile';

export interface VitalSign {
  readonly id: string;
  readonly kind: VitalKind;
  readonly encounterId: EncounterId;
  readonly time: Instant;
  readonly value: number;
}

export interface BloodPressure {
  readonly id: string;
  readonly encounterId: EncounterId;
  readonly time: Instant;
  readonly systolic: number;
  readonly diastolic: number;
}

export type SmokingStatus = 'never' | 'daily' | 'occasional' | 'former';

export interface SmokingObservation {
  readonly id: string;
  readonly encounterId: EncounterId;
  readonly time: Instant;
  readonly status: SmokingStatus;
}

/**
 * How an item from before the record window reached the chart: taken down as history at the
 * window's first encounter (the patient's account, an old chart, a registry), not done there.
 */
export interface CarriedHistory {
  /** When it was written into this chart, and by whom (the window's first encounter). */
  readonly recorded: Instant;
  readonly practitionerId: PractitionerId;
}

export interface Immunization {
  readonly id: string;
  /** The visit it was given at; undefined when it was given before the record window (see `history`). */
  readonly encounterId: EncounterId | undefined;
  readonly time: Instant;
  readonly vaccine: Coding;
  /** Which dose of the series (1-based), when the vaccine is a series. */
  readonly doseNumber: number | undefined;
  /** Set when it was given before the record window: a reported dose, not one this chart administered. */
  readonly history?: CarriedHistory;
}

export interface Reaction {
  readonly manifestation: Coding;
  readonly severity: 'mild' | 'moderate' | 'severe';
}

export interface Allergy {
  readonly id: string;
  readonly code: Coding;
  /** What clinicians call it ("Penicillin"); the code's display may be longer. */
  readonly name: string;
  readonly category: 'food' | 'medication' | 'environment' | 'biologic' | undefined;
  readonly type: 'allergy' | 'intolerance' | undefined;
  readonly criticality: 'low' | 'high' | 'unable-to-assess' | undefined;
  readonly onset: Instant | undefined;
  /** When a clinician recorded it; the encounter where that happened. */
  readonly recorded: Instant;
  readonly encounterId: EncounterId;
  readonly practitionerId: PractitionerId;
  readonly clinicalStatus: 'active' | 'resolved';
  readonly resolved: Instant | undefined;
  readonly reactions: readonly Reaction[];
  /** True for the "no known allergy" statement. */
  readonly isNoKnownAllergy: boolean;
}

export interface Organization {
  readonly id: string;
  readonly name: string;
  readonly npi: string;
  readonly kind: 'hospital' | 'clinic';
  readonly address: Address;
  readonly phone: string;
}

export interface Location {
  readonly id: string;
  readonly name: string;
  readonly kind: Organization['kind'];
  readonly organizationId: string;
  readonly address: Address;
  readonly phone: string;
}

export interface Practitioner {
  readonly id: PractitionerId;
  readonly npi: string;
  readonly givenNames: readonly string[];
  readonly familyName: string;
  readonly sex: AdministrativeSex;
  /** NUCC provider taxonomy. */
  readonly specialty: Coding;
  readonly organizationId: string;
  /**
   * When they practise: from their first year in practice to retirement (`end` undefined while
   * still practising at the reference date). Every item they author or perform falls inside it.
   */
  readonly career?: { readonly start: Instant; readonly end: Instant | undefined };
}

/** The shared provider entities a record references (the same ids and content in every record). */
export interface ProviderSet {
  readonly organizations: readonly Organization[];
  readonly locations: readonly Location[];
  readonly practitioners: readonly Practitioner[];
}

export type ConditionClinicalStatus = 'active' | 'remission' | 'resolved' | 'inactive';

/** A diagnosis in the chart: on the problem list (chronic) or an encounter diagnosis (episodes). */
export interface ConditionEntry {
  readonly id: ConditionId;
  /** The disease module that produced it. */
  readonly key: string;
  readonly code: Coding;
  readonly category: 'problem-list-item' | 'encounter-diagnosis';
  /** Estimated onset (before or at the diagnosis). */
  readonly onset: Instant;
  /** When it was diagnosed and recorded, at `encounterId`. */
  readonly recorded: Instant;
  readonly encounterId: EncounterId;
  readonly practitionerId: PractitionerId;
  /** Status at the end of the record (reference date or death). */
  readonly clinicalStatus: ConditionClinicalStatus;
  readonly abatement: Instant | undefined;
  /**
   * True when it was diagnosed before the record window and taken onto this chart's problem list at
   * the window's first encounter: `recorded` and `encounterId` are that visit, `onset` when it began.
   */
  readonly carried?: true;
  /** Cancer stage summary (SNOMED CT stage 1-4), recorded at the oncology consult. */
  readonly stage?: { readonly summary: Coding; readonly assessed: Instant };
}

/** A prescription written for a condition. */
export interface MedicationOrder {
  readonly id: string;
  readonly medication: Coding;
  readonly conditionId: ConditionId;
  /** Where it was written; undefined for an order from before the record window still running at its start. */
  readonly encounterId: EncounterId | undefined;
  readonly practitionerId: PractitionerId;
  readonly authored: Instant;
  readonly status: 'active' | 'stopped' | 'completed';
  /** When it was stopped (status stopped/completed). */
  readonly end: Instant | undefined;
  /** Length of a fixed course in days (antibiotics, symptom relief); absent for maintenance drugs. */
  readonly courseDays?: number;
  /** Why it was stopped, when a clinician stopped it for a reason (a lab value that rules it out). */
  readonly stopReason?: string;
  /** A child's liquid dosed by weight: the measured volume per dose, the milligrams it holds, the weight (recorded at the visit) it was worked from. */
  readonly weightDose?: { readonly ml: number; readonly mg: number; readonly weightKg: number };
  /** A ward order (given on the ward during a stay, never dispensed): its dose, route and timing. */
  readonly inpatient?: InpatientDose;
}

/** The administration of a ward order: dose (UCUM unit), route, and a repeat interval or a continuous rate. */
export interface InpatientDose {
  readonly value: number;
  readonly unit: string;
  readonly route: Coding;
  /** Hours between doses; absent for a continuous infusion (the dose is then a rate). */
  readonly everyHours: number | undefined;
  readonly text: string;
}

/** One lab result: a LOINC-coded quantity with its reference range. */
export interface LabResult {
  readonly id: string;
  readonly code: Coding;
  readonly value: number;
  readonly unit: string;
  readonly low: number;
  readonly high: number;
}

/** A lab report (panel or single test) ordered at an encounter. */
export interface LabReport {
  readonly id: string;
  readonly code: Coding;
  readonly encounterId: EncounterId;
  readonly practitionerId: PractitionerId;
  readonly time: Instant;
  /** When the result was issued (hours after collection); absent means at collection. */
  readonly issued?: Instant;
  readonly results: readonly LabResult[];
}

/** A procedure done to the patient (surgery, repair, imaging, screening), SNOMED CT coded. */
export interface ProcedureEntry {
  readonly id: string;
  readonly code: Coding;
  /** Where it was done; undefined for past surgical history from before the record window (see `history`). */
  readonly encounterId: EncounterId | undefined;
  readonly practitionerId: PractitionerId;
  readonly start: Instant;
  readonly end: Instant;
  /** The condition it was done for, when there is one. */
  readonly reasonConditionId: ConditionId | undefined;
  /** Procedure.category when the data gives one (a laboratory procedure such as the type and screen, which notes do not list among operations). */
  readonly category?: Coding;
  /** Set when it was done before the record window: past surgical history, with the date it was done. */
  readonly history?: CarriedHistory;
}

/** A measurable target of a goal, e.g. HbA1c below 7 %. */
export interface GoalTarget {
  readonly measure: Coding;
  readonly high: number;
  readonly unit: string;
}

/** A patient goal for a chronic condition (US Core Goal), set at diagnosis. */
export interface GoalEntry {
  readonly id: GoalId;
  readonly conditionId: ConditionId;
  readonly description: string;
  readonly targets: readonly GoalTarget[];
  readonly start: Instant;
  readonly due: Instant;
  /** Where it was set (the care plan's encounter). */
  readonly encounterId: EncounterId;
  readonly practitionerId: PractitionerId;
  /** Status at the end of the record: completed when the condition resolved, cancelled at death. */
  readonly lifecycleStatus: 'active' | 'completed' | 'cancelled';
  /** The latest review, at the first visit after the goal fell due: what the chart's numbers said then. */
  readonly review?: {
    readonly at: Instant;
    /** HL7 goal-achievement: measured against the targets, or in progress when nothing measures it. */
    readonly achievement: 'achieved' | 'not-achieved' | 'improving' | 'worsening' | 'in-progress';
  };
}

/** A care plan for a chronic condition (US Core CarePlan, assess-plan), created at diagnosis. */
export interface CarePlanEntry {
  readonly id: string;
  readonly conditionId: ConditionId;
  readonly title: string;
  /** Planned activities, as the plan's narrative lists them. */
  readonly activities: readonly string[];
  readonly goalIds: readonly GoalId[];
  readonly encounterId: EncounterId;
  readonly practitionerId: PractitionerId;
  readonly start: Instant;
  readonly end: Instant | undefined;
  readonly status: 'active' | 'completed' | 'revoked';
}

/** A pregnancy status recorded at a visit (US Core pregnancy status Observation, LOINC 82810-3). */
export interface PregnancyStatusObservation {
  readonly id: string;
  readonly encounterId: EncounterId;
  readonly time: Instant;
  /** The status (SNOMED CT 77386006 Pregnant, ...). */
  readonly value: Coding;
}

/**
 * A measurement of the prenatal exam at a visit: the fundal height (cm, from 20 weeks) or the fetal
 * heart rate (per minute), charted as an exam Observation of the visit (the notes state it from here).
 */
export interface PrenatalExamObservation {
  readonly id: string;
  readonly kind: 'fundalHeight' | 'fetalHeartRate';
  readonly encounterId: EncounterId;
  readonly practitionerId: PractitionerId;
  readonly time: Instant;
  /** cm for the fundal height, beats per minute for the fetal heart rate. */
  readonly value: number;
}

/** A screening instrument's total score charted at a visit (the EPDS at the postpartum visit), a survey Observation. */
export interface ScreeningScore {
  readonly id: string;
  readonly code: Coding;
  readonly encounterId: EncounterId;
  readonly practitionerId: PractitionerId;
  readonly time: Instant;
  readonly value: number;
  /** At or above the instrument's cut-off (EPDS 13 or more). */
  readonly positive: boolean;
}

/**
 * A delivery as the mother's chart records it: the gestational age, how the baby was delivered, and
 * the newborn's sex, birth weight and Apgar scores, each charted as an Observation on the delivery
 * admission (ids in {@link observationIds}).
 */
export interface DeliveryEntry {
  readonly encounterId: EncounterId;
  /** The delivery Procedure (vaginal delivery or cesarean section). */
  readonly procedureId: string;
  readonly practitionerId: PractitionerId;
  /** When the baby was born. */
  readonly time: Instant;
  readonly method: 'vaginal' | 'cesarean';
  /** Completed days from the last menstrual period to the birth. */
  readonly gestationalAgeDays: number;
  readonly infantSex: 'male' | 'female';
  readonly birthWeightGrams: number;
  readonly apgar1: number;
  readonly apgar5: number;
  readonly observationIds: {
    readonly gestationalAge: string;
    readonly birthWeight: string;
    readonly apgar1: string;
    readonly apgar5: string;
    readonly sex: string;
  };
}

/** A death: when, the underlying cause as the death certificate names it, and where. */
export interface Death {
  /** The id of the cause-of-death Observation. */
  readonly id: string;
  readonly time: Instant;
  /** The underlying cause: a condition module's code, or a cause the modules do not model. */
  readonly cause: Coding;
  /** The admission the patient died in, when they died in hospital. */
  readonly encounterId: EncounterId | undefined;
  readonly practitionerId: PractitionerId | undefined;
}

/** One patient's whole record at the reference date (or at death). */
export interface PatientRecord {
  readonly id: string;
  /** Index of the living patient this record belongs to (deceased predecessors share it). */
  readonly index: number;
  /** Which stream attempt produced it: 0.. ; the living patient is the last attempt. */
  readonly attempt: number;
  readonly demographics: Demographics;
  /** The clinic and the physician caring for the patient at the reference date (or at death). */
  readonly primaryCare: { readonly practitionerId: PractitionerId } & CareSite;
  readonly encounters: readonly Encounter[];
  readonly vitals: readonly VitalSign[];
  readonly bloodPressures: readonly BloodPressure[];
  readonly smoking: readonly SmokingObservation[];
  readonly immunizations: readonly Immunization[];
  readonly allergies: readonly Allergy[];
  readonly conditions: readonly ConditionEntry[];
  readonly medications: readonly MedicationOrder[];
  readonly labReports: readonly LabReport[];
  readonly procedures: readonly ProcedureEntry[];
  readonly carePlans: readonly CarePlanEntry[];
  readonly goals: readonly GoalEntry[];
  readonly pregnancyStatuses: readonly PregnancyStatusObservation[];
  readonly prenatalExams: readonly PrenatalExamObservation[];
  readonly deliveries: readonly DeliveryEntry[];
  readonly screeningScores: readonly ScreeningScore[];
  /** Set on deceased records only, so a death always has its time and cause together. */
  readonly death?: Death;
  readonly providers: ProviderSet;
}
