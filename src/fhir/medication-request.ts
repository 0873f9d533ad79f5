import type { MedicationRequest } from '@medplum/fhirtypes';
import { instantToDateTime } from '../core/time.js';
import type { MedicationOrder } from '../record/types.js';
import { concept } from './codings.js';
import type { MetaFactory } from './meta.js';
import { PROFILES } from './profiles.js';
import { ref } from './references.js';

const CATEGORY = 'http://terminology.hl7.org/CodeSystem/medicationrequest-category';

/** A US Core MedicationRequest: an outpatient order with its reason and, once stopped, its end. */
export function medicationRequestResource(m: MedicationOrder, patientId: string, meta: MetaFactory): MedicationRequest {
  const start = instantToDateTime(m.authored);
  return {
    resourceType: 'MedicationRequest',
    id: m.id,
    meta: meta.forProfile(PROFILES.medicationRequest),
    status: m.status,
    intent: 'order',
    category: [{ coding: [{ system: CATEGORY, code: 'outpatient', display: 'Outpatient' }] }],
    reportedBoolean: false,
    medicationCodeableConcept: concept(m.medication),
    subject: ref(patientId),
    encounter: ref(m.encounterId),
    authoredOn: start,
    requester: ref(m.practitionerId),
    reasonReference: [ref(m.conditionId)],
    dosageInstruction: [{ sequence: 1, text: 'Take as directed', timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } } }],
    dispenseRequest: {
      validityPeriod: m.end === undefined ? { start } : { start, end: instantToDateTime(m.end) },
    },
  };
}
