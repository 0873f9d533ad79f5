import type { CodeableConcept, Condition } from '@medplum/fhirtypes';
import { icd10cmFor } from '../knowledge/icd10cm.js';
import { instantToDate, instantToDateTime } from '../core/time.js';
import { SYSTEMS, type ConditionEntry } from '../record/types.js';
import { concept, fhirCoding } from './codings.js';
import type { MetaFactory } from './meta.js';
import { PROFILES } from './profiles.js';
import { ref } from './references.js';

const CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const VERIFICATION = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';
const CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';

const CLINICAL_DISPLAY = { active: 'Active', remission: 'Remission', resolved: 'Resolved', inactive: 'Inactive' } as const;
const CATEGORY_DISPLAY = { 'problem-list-item': 'Problem List Item', 'encounter-diagnosis': 'Encounter Diagnosis' } as const;

/**
 * A US Core Condition: problem-list items and encounter diagnoses take different profiles. The code
 * carries ICD-10-CM beside SNOMED CT (claims-style analytics read it); the onset is an estimate, so
 * it is a date, not an instant to the second.
 */
export function conditionResource(c: ConditionEntry, patientId: string, meta: MetaFactory): Condition {
  const profile = c.category === 'problem-list-item' ? PROFILES.condition : PROFILES.conditionEncounterDiagnosis;
  const clinical = CLINICAL_DISPLAY[c.clinicalStatus];
  return {
    resourceType: 'Condition',
    id: c.id,
    meta: meta.forProfile(profile),
    clinicalStatus: { coding: [{ system: CLINICAL, code: c.clinicalStatus, display: clinical }], text: clinical },
    verificationStatus: { coding: [{ system: VERIFICATION, code: 'confirmed', display: 'Confirmed' }], text: 'Confirmed' },
    category: [{ coding: [{ system: CATEGORY, code: c.category, display: CATEGORY_DISPLAY[c.category] }] }],
    code: conditionCode(c),
    subject: ref(patientId),
    encounter: ref(c.encounterId),
    onsetDateTime: instantToDate(c.onset),
    ...(c.abatement === undefined ? {} : { abatementDateTime: instantToDateTime(c.abatement) }),
    recordedDate: instantToDateTime(c.recorded),
    recorder: ref(c.practitionerId),
    asserter: ref(c.practitionerId),
    ...(c.stage === undefined ? {} : { stage: [{ summary: concept(c.stage.summary) }] }),
  };
}

function conditionCode(c: ConditionEntry): CodeableConcept {
  const code = concept(c.code);
  const icd = c.code.system === SYSTEMS.snomed ? icd10cmFor(c.code.code) : undefined;
  return icd === undefined ? code : { ...code, coding: [...code.coding!, fhirCoding({ system: SYSTEMS.icd10cm, ...icd })] };
}
