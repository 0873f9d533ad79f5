/**
 * An exam Observation a clinician charts at an encounter (US Core 6.1.0 has no profile for these, so
 * they claim US Core Simple Observation, category `exam`, the clinician as performer): the delivery's
 * Observations and the prenatal exam's measurements are built here, so they claim the same shape.
 */
import type { Observation } from '@medplum/fhirtypes';
import { instantToDateTime, type Instant } from '../core/time.js';
import type { Coding } from '../record/types.js';
import { CATEGORY, concept } from './codings.js';
import type { MetaFactory } from './meta.js';
import { PROFILES } from './profiles.js';
import { ref } from './references.js';

/** The value of an exam Observation. */
export type ExamObservationValue = Pick<Observation, 'valueQuantity' | 'valueInteger' | 'valueCodeableConcept'>;

/** Where and by whom an exam Observation was charted; `partOfId` is the Procedure it belongs to, if any. */
export interface ExamObservationContext {
  readonly patientId: string;
  readonly encounterId: string;
  readonly practitionerId: string;
  readonly time: Instant;
  readonly partOfId?: string;
}

/** An exam Observation of `code` with `value`, charted as `at` says. */
export function examObservation(id: string, code: Coding, value: ExamObservationValue, at: ExamObservationContext, meta: MetaFactory): Observation {
  return {
    resourceType: 'Observation',
    id,
    meta: meta.forProfile(PROFILES.simpleObservation),
    status: 'final',
    category: CATEGORY.exam,
    code: concept(code),
    subject: ref(at.patientId),
    encounter: ref(at.encounterId),
    effectiveDateTime: instantToDateTime(at.time),
    performer: [ref(at.practitionerId)],
    ...(at.partOfId === undefined ? {} : { partOf: [ref(at.partOfId)] }),
    ...value,
  };
}
