import type { Observation } from '@medplum/fhirtypes';
import { instantToDateTime } from '../core/time.js';
import type { PregnancyStatusObservation } from '../record/types.js';
import { SYSTEMS } from '../record/types.js';
import { CATEGORY, concept } from './codings.js';
import type { MetaFactory } from './meta.js';
import { PROFILES } from './profiles.js';
import { ref } from './references.js';

const PREGNANCY_STATUS = { system: SYSTEMS.loinc, code: '82810-3', display: 'Pregnancy status' } as const;

/** A US Core pregnancy status Observation (social history, LOINC 82810-3) recorded at a visit. */
export function pregnancyStatusResource(s: PregnancyStatusObservation, patientId: string, meta: MetaFactory): Observation {
  const at = instantToDateTime(s.time);
  return {
    resourceType: 'Observation',
    id: s.id,
    meta: meta.forProfile(PROFILES.pregnancyStatus),
    status: 'final',
    category: CATEGORY.socialHistory,
    code: concept(PREGNANCY_STATUS),
    subject: ref(patientId),
    encounter: ref(s.encounterId),
    effectiveDateTime: at,
    issued: `${at.slice(0, 19)}.000Z`,
    valueCodeableConcept: concept(s.value),
  };
}
