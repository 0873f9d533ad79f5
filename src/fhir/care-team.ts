/**
 * The patient's care team (US Core CareTeam): the primary care physician and the specialists the
 * record saw (nephrology, oncology, surgery: the specialties of data/specialists.yaml), each with the
 * role its NUCC taxonomy names.
 */
import type { CareTeam } from '@medplum/fhirtypes';
import { loadSpecialists } from '../knowledge/specialists.js';
import type { PatientRecord, PractitionerId } from '../record/types.js';
import { SYSTEMS } from '../record/types.js';
import { instantToDate } from '../core/time.js';
import { derivedId } from './derived-id.js';
import type { MetaFactory } from './meta.js';
import { PROFILES } from './profiles.js';
import { ref } from './references.js';

export function careTeamResource(record: PatientRecord, meta: MetaFactory): CareTeam | undefined {
  const specialties = new Set(Object.values(loadSpecialists().specialists).map((s) => s.code));
  const byId = new Map(record.providers.practitioners.map((p) => [p.id, p]));
  const pcp = byId.get(record.primaryCare.practitionerId);
  if (pcp === undefined) return undefined;
  // Specialists who saw the patient, in order of their first visit.
  const seen: PractitionerId[] = [];
  for (const e of record.encounters) {
    const p = byId.get(e.practitionerId);
    if (p !== undefined && specialties.has(p.specialty.code) && p.id !== pcp.id && !seen.includes(p.id)) seen.push(p.id);
  }
  const members = [pcp, ...seen.map((id) => byId.get(id)!)];
  const first = record.encounters[0]?.start;
  const end = record.death?.time ?? record.encounters.at(-1)?.end;
  // Each member's own time on the team: from their first visit with the patient, to their last when
  // they retired before the record ends.
  const memberPeriod = (p: (typeof members)[number]): { start: string; end?: string } => {
    const own = record.encounters.filter((e) => e.practitionerId === p.id);
    // A successor not yet seen joined the team when their practice began, if that was after the last visit.
    const start = own[0]?.start ?? Math.max(end ?? 0, p.career?.start ?? 0);
    const retired = p.career?.end !== undefined && end !== undefined && p.career.end < end;
    return {
      start: instantToDate(start),
      ...(retired && own.length > 0 ? { end: instantToDate(own.at(-1)!.end) } : {}),
    };
  };
  return {
    resourceType: 'CareTeam',
    id: derivedId(record.id, 'care-team'),
    meta: meta.forProfile(PROFILES.careTeam),
    status: record.death === undefined ? 'active' : 'inactive',
    name: 'Care team',
    subject: ref(record.id),
    ...(first === undefined ? {} : { period: { start: instantToDate(first), ...(record.death === undefined ? {} : { end: instantToDate(record.death?.time) }) } }),
    participant: members.map((p) => ({
      role: [{ coding: [{ system: SYSTEMS.nucc, code: p.specialty.code, display: p.specialty.display }], text: p.specialty.display }],
      member: ref(p.id),
      period: memberPeriod(p),
    })),
    managingOrganization: [ref(record.primaryCare.organizationId)],
  };
}
