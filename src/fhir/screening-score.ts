/**
 * A screening instrument's total score (the EPDS at the postpartum visit) as a US Core Observation
 * Screening Assessment: category survey, the LOINC total-score code, an integer value, the clinician
 * who administered it as performer, and a positive or negative interpretation at the cut-off.
 */
import type { Observation } from '@medplum/fhirtypes';
import { instantToDateTime } from '../core/time.js';
import type { ScreeningScore } from '../record/types.js';
import { CATEGORY, concept } from './codings.js';
import type { MetaFactory } from './meta.js';
import { PROFILES } from './profiles.js';
import { ref } from './references.js';

const INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

/** One total score as a survey Observation of its visit. */
export function screeningScoreResource(s: ScreeningScore, patientId: string, meta: MetaFactory): Observation {
  return {
    resourceType: 'Observation',
    id: s.id,
    meta: meta.forProfile(PROFILES.screeningAssessment),
    status: 'final',
    category: CATEGORY.survey,
    code: concept(s.code),
    subject: ref(patientId),
    encounter: ref(s.encounterId),
    effectiveDateTime: instantToDateTime(s.time),
    performer: [ref(s.practitionerId)],
    valueInteger: s.value,
    interpretation: [{ coding: [s.positive ? { system: INTERPRETATION, code: 'POS', display: 'Positive' } : { system: INTERPRETATION, code: 'NEG', display: 'Negative' }] }],
  };
}
