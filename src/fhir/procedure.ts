import type { Procedure } from '@medplum/fhirtypes';
import { instantToDateTime } from '../core/time.js';
import type { ProcedureEntry } from '../record/types.js';
import { concept } from './codings.js';
import type { MetaFactory } from './meta.js';
import { PROFILES } from './profiles.js';
import { ref } from './references.js';

/** A US Core Procedure, performed over a period at its encounter, with the condition it was done for. */
export function procedureResource(p: ProcedureEntry, patientId: string, meta: MetaFactory): Procedure {
  return {
    resourceType: 'Procedure',
    id: p.id,
    meta: meta.forProfile(PROFILES.procedure),
    status: 'completed',
    code: concept(p.code),
    subject: ref(patientId),
    encounter: ref(p.encounterId),
    performedPeriod: { start: instantToDateTime(p.start), end: instantToDateTime(p.end) },
    performer: [{ actor: ref(p.practitionerId) }],
    ...(p.reasonConditionId === undefined ? {} : { reasonReference: [ref(p.reasonConditionId)] }),
  };
}
