import type { Procedure } from '@medplum/fhirtypes';
import { instantToDateTime } from '../core/time.js';
import type { ProcedureEntry } from '../record/types.js';
import { concept } from './codings.js';
import type { MetaFactory } from './meta.js';
import { PROFILES } from './profiles.js';
import { ref } from './references.js';

/**
 * A US Core Procedure, performed over a period at its encounter, with the condition it was done for.
 * Past surgical history from before the record window has no encounter in this chart and names who
 * wrote it down (the window's first visit) instead of who operated.
 */
export function procedureResource(p: ProcedureEntry, patientId: string, meta: MetaFactory): Procedure {
  return {
    resourceType: 'Procedure',
    id: p.id,
    meta: meta.forProfile(PROFILES.procedure),
    status: 'completed',
    ...(p.category === undefined ? {} : { category: concept(p.category) }),
    code: concept(p.code),
    subject: ref(patientId),
    ...(p.encounterId === undefined ? {} : { encounter: ref(p.encounterId) }),
    performedPeriod: { start: instantToDateTime(p.start), end: instantToDateTime(p.end) },
    ...(p.history === undefined ? { performer: [{ actor: ref(p.practitionerId) }] } : { recorder: ref(p.history.practitionerId) }),
    ...(p.reasonConditionId === undefined ? {} : { reasonReference: [ref(p.reasonConditionId)] }),
  };
}
