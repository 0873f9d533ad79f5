import type { FhirResource } from './bundle-source.js';
import { codeIn, codingsOf, referenceOf } from './bundle-view.js';
import type { CheckRule } from './rule.js';

const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const DISCHARGE = 'http://terminology.hl7.org/CodeSystem/discharge-disposition';
const LOINC = 'http://loinc.org';
const CAUSE_OF_DEATH = '69453-9';

function periodEnd(r: Record<string, unknown>): number | undefined {
  const end = (r['period'] as { end?: unknown } | undefined)?.end;
  return typeof end === 'string' ? Date.parse(end) : undefined;
}

/**
 * Inpatient stays say where the patient went (Encounter.hospitalization.dischargeDisposition), and
 * a stay that ends in death (`exp`) ends exactly when the patient died.
 */
export const inpatientDischarge: CheckRule = {
  id: 'clinical.inpatient-discharge',
  family: 'clinical',
  title: 'inpatient encounters have a discharge disposition; "expired" ones end at the patient\'s death',
  check(view, emit) {
    for (const r of view.resources) {
      if (r.resourceType !== 'Encounter') continue;
      const cls = r['class'] as { system?: unknown; code?: unknown } | undefined;
      if (cls?.code !== 'IMP' || (cls.system !== undefined && cls.system !== ACT_CODE)) continue;
      const hosp = r['hospitalization'] as { dischargeDisposition?: unknown } | undefined;
      const disposition = codeIn(hosp?.dischargeDisposition, DISCHARGE);
      if (disposition === undefined) {
        emit(r, 'inpatient encounter without hospitalization.dischargeDisposition');
        continue;
      }
      if (disposition !== 'exp') continue;
      const end = periodEnd(r);
      if (view.deathTime === undefined) emit(r, 'discharge disposition exp (expired) but the patient is not deceased');
      else if (end !== undefined && end !== view.deathTime) emit(r, `discharge disposition exp but the stay ends at ${String((r['period'] as { end?: unknown }).end)}, not at the death`);
    }
  },
};

/** Deceased patients have one recorded cause of death (LOINC 69453-9 with a coded value); the living none. */
export const causeOfDeath: CheckRule = {
  id: 'clinical.cause-of-death',
  family: 'clinical',
  title: 'deceased patients have one cause-of-death Observation (LOINC 69453-9) with a coded value; the living none',
  check(view, emit) {
    const causes = view.resources.filter(
      (r) => r.resourceType === 'Observation' && codingsOf(r['code']).some((c) => c.system === LOINC && c.code === CAUSE_OF_DEATH),
    );
    if (view.patient === undefined) return;
    if (view.deathTime === undefined) {
      for (const c of causes) emit(c, 'cause of death recorded for a living patient');
      return;
    }
    if (causes.length === 0) emit(view.patient, 'deceased patient without a cause-of-death Observation (LOINC 69453-9)');
    if (causes.length > 1) emit(causes[1], `${causes.length} cause-of-death Observations`);
    for (const c of causes) {
      if (codingsOf(c['valueCodeableConcept']).every((x) => x.code === undefined)) emit(c, 'cause of death without a coded valueCodeableConcept');
      if (!view.isPatient(referenceOf(c['subject']))) emit(c, 'cause of death does not reference the patient');
    }
  },
};

function periodOf(r: Record<string, unknown>): [number, number] | undefined {
  const p = r['period'] as { start?: unknown; end?: unknown } | undefined;
  if (typeof p?.start !== 'string' || typeof p.end !== 'string') return undefined;
  return [Date.parse(p.start), Date.parse(p.end)];
}

/**
 * No outpatient visit while the patient is in hospital: an ambulatory encounter (a clinic or
 * specialist visit) whose period overlaps an inpatient stay cannot have happened.
 */
export const noVisitDuringStay: CheckRule = {
  id: 'clinical.visit-during-stay',
  family: 'clinical',
  title: 'no ambulatory encounter (clinic or specialist visit) overlaps an inpatient stay',
  check(view, emit) {
    const stays: [number, number][] = [];
    const visits: [FhirResource, number, number][] = [];
    for (const r of view.resources) {
      if (r.resourceType !== 'Encounter') continue;
      const cls = (r['class'] as { code?: unknown } | undefined)?.code;
      const p = periodOf(r);
      if (p === undefined) continue;
      if (cls === 'IMP') stays.push(p);
      else if (cls === 'AMB') visits.push([r, p[0], p[1]]);
    }
    if (stays.length === 0) return;
    for (const [r, start, end] of visits) {
      const stay = stays.find(([a, b]) => start < b && end > a);
      if (stay !== undefined) emit(r, `ambulatory encounter ${new Date(start).toISOString()} falls inside the inpatient stay ${new Date(stay[0]).toISOString()} to ${new Date(stay[1]).toISOString()}`);
    }
  },
};
