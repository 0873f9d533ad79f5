/**
 * The cause of death as an Observation coded LOINC 69453-9 (the US Standard Certificate of Death's
 * cause item) whose value is the underlying cause's SNOMED CT code; the time of death itself is
 * Patient.deceasedDateTime. The Vital Records Death Reporting IG's cause-of-death profiles need a
 * death certificate Composition around them, so it claims US Core Simple Observation, which fits a
 * coded finding with a category, a performer and a coded value (category `exam`: the certifying
 * physician's determination). It points at the admission the patient died in, when there was one.
 */
import type { Observation } from '@medplum/fhirtypes';
import { loadMortalityCauses } from '../knowledge/hospital-care.js';
import { instantToDateTime } from '../core/time.js';
import type { Death } from '../record/types.js';
import { concept } from './codings.js';
import { PROFILES } from './profiles.js';
import type { MetaFactory } from './meta.js';
import { ref } from './references.js';

export function causeOfDeathResource(c: Death, patientId: string, meta: MetaFactory): Observation {
  return {
    resourceType: 'Observation',
    id: c.id,
    meta: meta.forProfile(PROFILES.simpleObservation),
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'exam', display: 'Exam' }] }],
    code: concept(loadMortalityCauses().causeOfDeath),
    subject: ref(patientId),
    ...(c.encounterId === undefined ? {} : { encounter: ref(c.encounterId) }),
    effectiveDateTime: instantToDateTime(c.time),
    ...(c.practitionerId === undefined ? {} : { performer: [ref(c.practitionerId)] }),
    valueCodeableConcept: concept(c.cause),
  };
}
