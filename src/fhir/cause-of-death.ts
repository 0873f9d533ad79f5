/**
 * The cause of death as an Observation coded LOINC 69453-9 (the US Standard Certificate of Death's
 * cause item) whose value is the underlying cause's SNOMED CT code; the time of death itself is
 * Patient.deceasedDateTime. US Core 6.1.0 has no profile for it (the cause-of-death profiles live
 * in the Vital Records Death Reporting IG, which needs a death certificate Composition around
 * them), so the resource claims no profile and is valid base R4; it points at the admission the
 * patient died in, when there was one.
 */
import type { Observation } from '@medplum/fhirtypes';
import { loadMortalityCauses } from '../knowledge/hospital-care.js';
import { instantToDateTime } from '../core/time.js';
import type { CauseOfDeath } from '../record/types.js';
import { concept } from './codings.js';
import type { MetaFactory } from './meta.js';
import { ref } from './references.js';

export function causeOfDeathResource(c: CauseOfDeath, patientId: string, meta: MetaFactory): Observation {
  return {
    resourceType: 'Observation',
    id: c.id,
    meta: meta.bare,
    status: 'final',
    code: concept(loadMortalityCauses().causeOfDeath),
    subject: ref(patientId),
    ...(c.encounterId === undefined ? {} : { encounter: ref(c.encounterId) }),
    effectiveDateTime: instantToDateTime(c.time),
    ...(c.practitionerId === undefined ? {} : { performer: [ref(c.practitionerId)] }),
    valueCodeableConcept: concept(c.code),
  };
}
