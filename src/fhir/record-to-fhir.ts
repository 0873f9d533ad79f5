import type { Resource } from '@medplum/fhirtypes';
import type { PatientRecord } from '../record/types.js';
import { allergyResource } from './allergy.js';
import { careTeamResource } from './care-team.js';
import { coverageResources } from './coverage.js';
import { carePlanResource } from './care-plan.js';
import { goalResource } from './goal.js';
import { causeOfDeathResource } from './cause-of-death.js';
import { conditionResource } from './condition.js';
import { encounterResource, type EncounterContext } from './encounter.js';
import { labObservationResource, labReportResource } from './lab.js';
import { medicationRequestResource } from './medication-request.js';
import { procedureResource } from './procedure.js';
import { immunizationResource, reportedImmunizationResource } from './immunization.js';
import type { MetaFactory } from './meta.js';
import { bloodPressureResource, smokingStatusResource, vitalSignResource } from './observations.js';
import { patientResource } from './patient.js';
import { pregnancyStatusResource } from './pregnancy-status.js';
import { deliveryObservationResources } from './delivery.js';
import { prenatalExamResource } from './prenatal-exam.js';
import { screeningScoreResource } from './screening-score.js';
import { locationResource, organizationResource, practitionerResource } from './providers.js';

/** Resource types shared between patients (written once per cohort in NDJSON). */
export const SHARED_TYPES: ReadonlySet<string> = new Set(['Organization', 'Location', 'Practitioner']);

/**
 * Every FHIR resource of a record, in bundle order: shared providers, the patient, the history
 * carried from before the record window (reported doses, past surgery, orders still running), then
 * each encounter followed by what happened during it, then allergies.
 */
export function recordToResources(record: PatientRecord, meta: MetaFactory): Resource[] {
  const out: Resource[] = [];
  for (const org of record.providers.organizations) out.push(organizationResource(org, meta));
  for (const loc of record.providers.locations) out.push(locationResource(loc, meta));
  for (const p of record.providers.practitioners) out.push(practitionerResource(p, meta));
  const insured = coverageResources(record, meta);
  if (insured !== undefined) out.push(insured.payer);
  const pid = record.id;
  out.push(patientResource(record, meta));
  if (insured !== undefined) out.push(insured.coverage);
  const team = careTeamResource(record, meta);
  if (team !== undefined) out.push(team);

  const byEncounter = new Map<string, Resource[]>();
  const attach = (encounterId: string, resource: Resource): void => {
    let list = byEncounter.get(encounterId);
    if (list === undefined) byEncounter.set(encounterId, (list = []));
    list.push(resource);
  };
  const encounterById = new Map(record.encounters.map((e) => [e.id, e]));
  // Items from before the record window belong to no encounter of this chart: they follow the patient.
  const carried: Resource[] = [];
  const place = (encounterId: string | undefined, resource: Resource): void => {
    if (encounterId === undefined) carried.push(resource);
    else attach(encounterId, resource);
  };
  for (const v of record.vitals) attach(v.encounterId, vitalSignResource(v, pid, meta));
  for (const bp of record.bloodPressures) attach(bp.encounterId, bloodPressureResource(bp, pid, meta));
  for (const s of record.smoking) attach(s.encounterId, smokingStatusResource(s, pid, meta));
  for (const s of record.pregnancyStatuses) attach(s.encounterId, pregnancyStatusResource(s, pid, meta));
  for (const o of record.prenatalExams) attach(o.encounterId, prenatalExamResource(o, pid, meta));
  for (const s of record.screeningScores) attach(s.encounterId, screeningScoreResource(s, pid, meta));
  for (const imm of record.immunizations) {
    const e = imm.encounterId === undefined ? undefined : encounterById.get(imm.encounterId);
    if (e === undefined) carried.push(reportedImmunizationResource(imm, pid, meta));
    else attach(e.id, immunizationResource(imm, pid, e.locationId, e.practitionerId, meta, record.demographics.birthTime));
  }
  for (const c of record.conditions) attach(c.encounterId, conditionResource(c, pid, meta));
  for (const m of record.medications) place(m.encounterId, medicationRequestResource(m, pid, meta));
  for (const p of record.procedures) place(p.encounterId, procedureResource(p, pid, meta));
  for (const d of record.deliveries) for (const o of deliveryObservationResources(d, pid, meta)) attach(d.encounterId, o);
  for (const g of record.goals) attach(g.encounterId, goalResource(g, pid, meta));
  for (const c of record.carePlans) attach(c.encounterId, carePlanResource(c, pid, meta));
  for (const r of record.labReports) {
    attach(r.encounterId, labReportResource(r, pid, meta));
    for (const result of r.results) attach(r.encounterId, labObservationResource(result, r, pid, meta));
  }
  out.push(...carried);
  const contexts = encounterContexts(record);
  for (const e of record.encounters) {
    out.push(encounterResource(e, pid, meta, contexts.get(e.id)));
    const items = byEncounter.get(e.id);
    if (items !== undefined) for (const r of items) out.push(r);
  }
  for (const a of record.allergies) out.push(allergyResource(a, pid, meta));
  if (record.death !== undefined) out.push(causeOfDeathResource(record.death, pid, meta));
  return out;
}

/** An admission this soon after an emergency visit ends came from that department. */
const FROM_ED_MS = 60 * 60_000;

/** Each encounter's ranked diagnoses and, for an admission from the emergency department, its referrer. */
function encounterContexts(record: PatientRecord): Map<string, EncounterContext> {
  const diagnoses = new Map<string, string[]>();
  const add = (encounterId: string, conditionId: string): void => {
    let list = diagnoses.get(encounterId);
    if (list === undefined) diagnoses.set(encounterId, (list = []));
    if (!list.includes(conditionId)) list.push(conditionId);
  };
  for (const e of record.encounters) if (e.reasonConditionId !== undefined) add(e.id, e.reasonConditionId);
  for (const c of record.conditions) add(c.encounterId, c.id);
  for (const m of record.medications) if (m.encounterId !== undefined) add(m.encounterId, m.conditionId);
  const out = new Map<string, EncounterContext>();
  const emergencies = record.encounters.filter((e) => e.class === 'EMER');
  for (const e of record.encounters) {
    const ed = e.class === 'IMP' ? emergencies.find((x) => x.end <= e.start + FROM_ED_MS && x.end >= e.start - FROM_ED_MS) : undefined;
    const referrerId = e.referrerId ?? ed?.practitionerId;
    out.set(e.id, { diagnoses: diagnoses.get(e.id) ?? [], ...(referrerId === undefined ? {} : { referrerId }) });
  }
  return out;
}
