import type { CarePlan } from '@medplum/fhirtypes';
import { instantToDateTime } from '../core/time.js';
import type { CarePlanEntry } from '../record/types.js';
import type { MetaFactory } from './meta.js';
import { PROFILES } from './profiles.js';
import { ref } from './references.js';

const CATEGORY = 'http://hl7.org/fhir/us/core/CodeSystem/careplan-category';
const ACTIVITY_STATUS = { active: 'in-progress', completed: 'completed', revoked: 'cancelled' } as const;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The human-readable plan US Core requires (CarePlan.text): title, status and activities. */
function narrative(p: CarePlanEntry): string {
  const items = p.activities.map((a) => `<li>${escapeXml(a)}</li>`).join('');
  return `<div xmlns="http://www.w3.org/1999/xhtml"><p><b>${escapeXml(p.title)}</b> (${p.status})</p><ul>${items}</ul></div>`;
}

/** A US Core CarePlan (assess-plan) addressing one condition, with its goals and planned activities. */
export function carePlanResource(p: CarePlanEntry, patientId: string, meta: MetaFactory): CarePlan {
  const start = instantToDateTime(p.start);
  return {
    resourceType: 'CarePlan',
    id: p.id,
    meta: meta.forProfile(PROFILES.carePlan),
    text: { status: 'generated', div: narrative(p) },
    status: p.status,
    intent: 'plan',
    category: [{ coding: [{ system: CATEGORY, code: 'assess-plan', display: 'Assessment and Plan of Treatment' }] }],
    title: p.title,
    subject: ref(patientId),
    encounter: ref(p.encounterId),
    period: p.end === undefined ? { start } : { start, end: instantToDateTime(p.end) },
    author: ref(p.practitionerId),
    addresses: [ref(p.conditionId)],
    goal: p.goalIds.map((id) => ref(id)),
    activity: p.activities.map((a) => ({ detail: { status: ACTIVITY_STATUS[p.status], description: a } })),
  };
}
