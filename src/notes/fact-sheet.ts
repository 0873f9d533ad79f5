/**
 * Builds the fact sheet of one note from the record, as of the encounter's date: who the patient is,
 * what was measured and given at this encounter, what is current (allergies, smoking) and which
 * pertinent negatives the record supports. Writers see only this; grounding judges notes against it.
 */
import { ageInYears, instantToDate, type Instant } from '../core/time.js';
import { isElectronicEra } from '../knowledge/document-eras.js';
import { vaccineClinicalName, vaccineCourse, vaccineLayNames } from '../knowledge/immunizations.js';
import { allRoutineSymptoms, rosBand } from '../knowledge/review-of-systems.js';
import type { Encounter, PatientRecord, SmokingStatus, VitalKind } from '../record/types.js';
import { TOBACCO_DENIAL, type Fact, type FactSheet, type NoteType } from './facts.js';
import type { Concept, Vocabulary } from './grounding/vocabulary.js';
import { clinicalFacts, lengthOfStayDays } from './clinical-facts.js';
import { plainDisplay } from './plain-display.js';
import { deliveryFacts } from './delivery-facts.js';
import { prenatalFacts } from './prenatal-facts.js';
import { presentationFacts } from './presentation-facts.js';
import { specialistFacts, visitSpecialty } from './specialist-facts.js';

interface VitalLabel {
  readonly label: string;
  readonly synonyms: readonly string[];
  readonly unit: string;
}

/** How notes name each vital sign; the synonyms are what the number check looks for. */
export const VITAL_LABELS: Readonly<Record<VitalKind, VitalLabel>> = {
  bodyHeight: { label: 'Height', synonyms: ['Ht', 'length'], unit: 'cm' },
  bodyWeight: { label: 'Weight', synonyms: ['Wt'], unit: 'kg' },
  bmi: { label: 'BMI', synonyms: ['body mass index'], unit: 'kg/m2' },
  heartRate: { label: 'Heart rate', synonyms: ['HR', 'pulse'], unit: '/min' },
  respiratoryRate: { label: 'Respiratory rate', synonyms: ['RR', 'resp'], unit: '/min' },
  bodyTemperature: { label: 'Temperature', synonyms: ['Temp'], unit: 'Cel' },
  oxygenSaturation: { label: 'SpO2', synonyms: ['O2 sat', 'oxygen saturation', 'pulse ox'], unit: '%' },
  headCircumference: { label: 'Head circumference', synonyms: ['HC', 'OFC'], unit: 'cm' },
  bmiPercentile: { label: 'BMI-for-age percentile', synonyms: ['BMI percentile'], unit: '%' },
  weightForLengthPercentile: { label: 'Weight-for-length percentile', synonyms: [], unit: '%' },
  headCircumferencePercentile: { label: 'Head circumference percentile', synonyms: ['HC percentile', 'OFC percentile'], unit: '%' },
};

const SMOKING_LABELS: Readonly<Record<SmokingStatus, string>> = {
  never: 'Never smoked tobacco',
  daily: 'Smokes tobacco daily',
  occasional: 'Occasional tobacco smoker',
  former: 'Ex-smoker',
};

export { plainDisplay };

/** The vocabulary concepts each routine symptom names, found once per vocabulary (the scan is the costly part). */
const symptomConceptCache = new WeakMap<Vocabulary, Map<string, Concept[]>>();
function routineSymptomConcepts(vocabulary: Vocabulary): Map<string, Concept[]> {
  let map = symptomConceptCache.get(vocabulary);
  if (map === undefined) {
    map = new Map(allRoutineSymptoms().map((s) => [s, vocabulary.find(s).map((hit) => hit.concept)]));
    symptomConceptCache.set(vocabulary, map);
  }
  return map;
}

export interface FactSheetContext {
  readonly authorName: string;
  readonly noteType: NoteType;
  /** When given, pertinent negatives that name something the sheet has (e.g. dyspnea as an allergic reaction) are dropped. */
  readonly vocabulary?: Vocabulary;
  /** When the note is written, if not during the encounter (a portal message days after the visit). */
  readonly noteTime?: Instant;
}

export function buildFactSheet(record: PatientRecord, encounter: Encounter, context: FactSheetContext): FactSheet {
  const d = record.demographics;
  const at = encounter.start;
  const facts: Fact[] = [];

  // One reading of each vital sign: a stay is charted every shift, and a note cites the admission
  // set (H&P, ED and visit notes) or the last one before discharge (the discharge summary).
  const last = context.noteType === 'discharge-summary';
  const cited = <T extends { readonly time: Instant }>(seen: T | undefined, v: T): T => (seen === undefined || (last ? v.time >= seen.time : v.time < seen.time) ? v : seen);
  const readings = new Map<string, PatientRecord['vitals'][number]>();
  for (const v of record.vitals) if (v.encounterId === encounter.id) readings.set(v.kind, cited(readings.get(v.kind), v));
  for (const v of readings.values()) {
    const label = VITAL_LABELS[v.kind];
    facts.push({ id: `vital.${v.kind}`, kind: 'vital', label: label.label, synonyms: [...label.synonyms], value: v.value, unit: label.unit, date: instantToDate(v.time), resourceId: v.id });
  }
  const pressures = record.bloodPressures.filter((b) => b.encounterId === encounter.id);
  const bp = pressures.reduce<(typeof pressures)[number] | undefined>(cited, undefined);
  if (bp !== undefined) {
    facts.push({
      id: 'vital.bp',
      kind: 'vital',
      label: 'Blood pressure',
      synonyms: ['BP'],
      components: [
        { label: 'Systolic', value: bp.systolic, unit: 'mm[Hg]' },
        { label: 'Diastolic', value: bp.diastolic, unit: 'mm[Hg]' },
      ],
      date: instantToDate(bp.time),
      resourceId: bp.id,
    });
  }

  const given = record.immunizations.filter((i) => i.encounterId === encounter.id);
  given.forEach((imm, k) => {
    const date = instantToDate(imm.time);
    // What patients call it ("flu shot"), so a portal message may name it as they do, and how the dose fits its course.
    // The clinical name ("DTaP", "hepatitis B") last, for the plan and immunization lines of a clinician's note.
    const clinical = vaccineClinicalName(imm.vaccine.code);
    const lay = [...new Set([...(vaccineLayNames(imm.vaccine.code, true) ?? []), ...(vaccineLayNames(imm.vaccine.code) ?? []), ...(clinical === undefined ? [] : [clinical])])];
    const course = vaccineCourse(imm.vaccine.code, date, imm.doseNumber);
    facts.push({
      id: `immunization.${k + 1}`,
      kind: 'immunization',
      label: imm.vaccine.display,
      code: imm.vaccine,
      status: 'completed',
      date,
      resourceId: imm.id,
      ...(lay.length === 0 ? {} : { synonyms: lay }),
      ...(course === undefined ? {} : { course }),
    });
  });
  const prior = record.immunizations.filter((i) => i.time < at);
  const lastByVaccine = new Map<string, (typeof prior)[number]>();
  for (const imm of prior) lastByVaccine.set(imm.vaccine.code, imm);
  [...lastByVaccine.values()].slice(-6).forEach((imm, k) => {
    facts.push({ id: `history.immunization.${k + 1}`, kind: 'history', label: imm.vaccine.display, code: imm.vaccine, status: 'completed', date: instantToDate(imm.time), resourceId: imm.id });
  });

  let allergyCount = 0;
  for (const a of record.allergies) {
    if (a.isNoKnownAllergy || a.recorded > at) continue;
    const resolved = a.resolved !== undefined && a.resolved <= at;
    allergyCount += resolved ? 0 : 1;
    const name = a.name;
    facts.push({
      id: `allergy.${facts.filter((f) => f.kind === 'allergy').length + 1}`,
      kind: 'allergy',
      label: name,
      code: a.code,
      status: resolved ? 'resolved' : 'active',
      resourceId: a.id,
      synonyms: [plainDisplay(a.code.display), ...a.reactions.map((r) => `${name} (${plainDisplay(r.manifestation.display).toLowerCase()})`)],
    });
  }

  let smoking: SmokingStatus | undefined;
  let smokingId: string | undefined;
  for (const s of record.smoking) {
    if (s.time > at + 60 * 60 * 1000) continue;
    smoking = s.status;
    smokingId = s.id;
  }
  if (smoking !== undefined) {
    facts.push({ id: 'social.smoking', kind: 'social', label: SMOKING_LABELS[smoking], synonyms: smokingSynonyms(smoking), ...(smokingId === undefined ? {} : { resourceId: smokingId }) });
  }

  facts.push({ id: 'encounter.type', kind: 'encounter', label: plainDisplay(encounter.type.display), code: encounter.type, date: instantToDate(at), resourceId: encounter.id });
  const disposition = encounter.dischargeDisposition === undefined ? undefined : plainDisplay(encounter.dischargeDisposition.display);
  if (disposition !== undefined) facts.push({ id: 'encounter.disposition', kind: 'encounter', label: disposition, code: encounter.dischargeDisposition! });

  const specialty = visitSpecialty(record, encounter);
  const clinical = clinicalFacts(record, encounter, context.vocabulary, context.noteType, specialty !== undefined);
  facts.push(...clinical.facts);
  facts.push(...deliveryFacts(record, encounter));
  facts.push(...prenatalFacts(record, encounter));
  facts.push(...specialistFacts(record, encounter));

  // The presentation is the arrival's: a stay's discharge summary cites its last (afebrile) reading, not the fever it came with.
  const temperature = record.vitals.filter((v) => v.encounterId === encounter.id && v.kind === 'bodyTemperature').reduce<PatientRecord['vitals'][number] | undefined>((a, v) => (a === undefined || v.time < a.time ? v : a), undefined)?.value;
  const namedText = facts.flatMap((f) => [f.label, ...(f.synonyms ?? []), f.code?.display ?? '']).join('\n');
  const isNamed = (symptom: string): boolean => {
    const concepts = context.vocabulary?.find(symptom).map((hit) => hit.concept) ?? [];
    return concepts.some((concept) => context.vocabulary!.occursIn(concept, namedText)) || namedText.toLowerCase().includes(symptom.toLowerCase());
  };
  const presentation = presentationFacts(record, encounter, ageInYears(d.birthTime, at), temperature, isNamed);
  if (presentation !== undefined) facts.push(...presentation.facts);

  // The review of systems of the patient's age: a 7-day-old is asked about feeding and wet diapers,
  // not headache or palpitations, and no presentation's negative is charted that the child could not report.
  const band = rosBand((at - d.birthTime) / (365.25 * 86_400_000));
  const unreportable = new Set(band.unreportable.map((n) => `denies ${n}`));
  const negatives: string[] = [];
  if (presentation !== undefined) negatives.push(...presentation.negatives.filter((n) => !unreportable.has(n)));
  if (allergyCount === 0) negatives.push('no known drug allergies', 'NKDA', 'no known allergies');
  if (!clinical.onMedication) negatives.push('no current medications');
  if (smoking === 'never') negatives.push('never smoker', 'does not smoke', TOBACCO_DENIAL);
  const factText = facts.flatMap((f) => [f.label, ...(f.synonyms ?? []), f.code?.display ?? '']).join('\n');
  // A visit for an illness or a stay does not deny symptoms wholesale: the record does not say which it lacked.
  const acute = encounter.class === 'EMER' || encounter.class === 'IMP' || clinical.reasonFactId !== undefined;
  const symptomConcepts = context.vocabulary === undefined ? undefined : routineSymptomConcepts(context.vocabulary);
  for (const symptom of acute ? [] : band.routine) {
    const concepts = symptomConcepts?.get(symptom) ?? [];
    if (concepts.some((concept) => context.vocabulary!.occursIn(concept, factText))) continue;
    negatives.push(`denies ${symptom}`);
  }

  const practitioner = record.providers.practitioners.find((p) => p.id === encounter.practitionerId);
  return {
    patient: {
      name: `${d.givenNames[0]} ${d.familyName}`,
      givenName: d.givenNames[0]!,
      familyName: d.familyName,
      age: ageInYears(d.birthTime, at),
      sex: d.sex,
      birthDate: d.birthDate,
    },
    encounter: {
      id: encounter.id,
      date: instantToDate(at),
      class: encounter.class,
      type: plainDisplay(encounter.type.display),
      ...(encounter.reason === undefined ? {} : { reason: plainDisplay(encounter.reason.display) }),
      ...(clinical.reasonFactId === undefined ? {} : { reasonFactId: clinical.reasonFactId }),
      endDate: instantToDate(encounter.end),
      ...(encounter.class === 'IMP' ? { lengthOfStayDays: lengthOfStayDays(encounter) } : {}),
      ...(disposition !== undefined ? { disposition } : admittedFromHere(record, encounter) ? { disposition: 'Admitted to inpatient care' } : {}),
      author: context.authorName || (practitioner === undefined ? 'the clinician' : `${practitioner.givenNames[0]} ${practitioner.familyName}`),
      noteType: context.noteType,
      ...(context.noteTime === undefined ? {} : { noteDate: instantToDate(context.noteTime) }),
      ...(presentation === undefined ? {} : { chiefComplaint: presentation.chiefComplaint }),
      ...(encounter.planned === true ? { planned: true as const } : {}),
      ...(specialty === undefined ? {} : { specialty }),
      ...(isElectronicEra(encounter.organizationId, context.noteTime ?? encounter.end) ? {} : { electronic: false }),
    },
    facts,
    negatives,
  };
}

/**
 * An emergency visit the patient left for a ward bed: the stay starts as the visit ends. Such a
 * visit carries no discharge disposition (nobody went home), so its note learns it from the stay;
 * else the ED note of a heart attack admitted an hour later reads "stable for discharge home".
 */
function admittedFromHere(record: PatientRecord, encounter: Encounter): boolean {
  if (encounter.class !== 'EMER') return false;
  return record.encounters.some((e) => e.class === 'IMP' && e.start >= encounter.start && e.start - encounter.end <= 2 * 3_600_000);
}

function smokingSynonyms(status: SmokingStatus): string[] {
  switch (status) {
    case 'never':
      return ['never smoker', 'nonsmoker', 'non-smoker'];
    case 'daily':
      return ['current every day smoker', 'daily smoker', 'current smoker', 'smokes daily'];
    case 'occasional':
      return ['current some day smoker', 'occasional smoker', 'current smoker'];
    case 'former':
      return ['former smoker', 'quit smoking', 'ex-smoker'];
  }
}
