/**
 * Anachronism: every coded item with an availability period in the knowledge (drugs, specialties,
 * procedures, lab and vital-sign methods, vaccines) is used inside it (no apixaban in 1985, no
 * pulse oximetry in 1960, no low-dose lung CT screening in 2005, no Shingrix before 2017-10-20).
 */
import { periodOf } from '../knowledge/availability.js';
import type { FhirResource } from './bundle-source.js';
import { codingsOf, instantOf } from './bundle-view.js';
import type { CheckRule } from './rule.js';

/** Where each resource type keeps its main code and the date it was used. */
const USES: Readonly<Record<string, { readonly code: string; readonly dates: readonly string[] }>> = {
  MedicationRequest: { code: 'medicationCodeableConcept', dates: ['authoredOn'] },
  MedicationAdministration: { code: 'medicationCodeableConcept', dates: ['effectiveDateTime'] },
  Immunization: { code: 'vaccineCode', dates: ['occurrenceDateTime'] },
  Observation: { code: 'code', dates: ['effectiveDateTime', 'issued'] },
  Procedure: { code: 'code', dates: ['performedDateTime'] },
  DiagnosticReport: { code: 'code', dates: ['effectiveDateTime', 'issued'] },
  // A diagnosis is used when it is made (prediabetes was not a diagnosis before 2002).
  Condition: { code: 'code', dates: ['recordedDate'] },
  // A goal names the test that measures it (no HbA1c goal before HbA1c was measured).
  Goal: { code: 'target', dates: ['startDate'] },
};

/** The codings a resource uses under `field`: a CodeableConcept, or a Goal's target measures. */
function codesUsed(r: FhirResource, field: string): ReturnType<typeof codingsOf> {
  const v = r[field];
  if (r.resourceType !== 'Goal') return codingsOf(v);
  return Array.isArray(v) ? v.flatMap((t) => codingsOf((t as { measure?: unknown }).measure)) : [];
}

function usedAt(r: FhirResource, fields: readonly string[]): string | undefined {
  for (const f of fields) {
    const v = r[f];
    if (typeof v === 'string') return v;
  }
  const period = r['performedPeriod'] as { start?: unknown } | undefined;
  return typeof period?.start === 'string' ? period.start : undefined;
}

export const anachronism: CheckRule = {
  id: 'clinical.anachronism',
  family: 'clinical',
  title: 'every coded item with an availability period (drugs, procedures, lab methods, vaccines) is used inside that period',
  check(view, emit) {
    for (const r of view.resources) {
      const use = USES[r.resourceType];
      if (use === undefined) continue;
      const when = usedAt(r, use.dates);
      const at = when === undefined ? undefined : instantOf(when);
      if (at === undefined) continue;
      for (const c of codesUsed(r, use.code)) {
        if (c.system === undefined || c.code === undefined) continue;
        const p = periodOf(c.system, c.code);
        if (p === undefined || (at >= p.from && at < p.until)) continue;
        const from = new Date(p.from).toISOString().slice(0, 10);
        emit(r, `${p.coding.display} used on ${when!.slice(0, 10)}, outside its availability (from ${from}${Number.isFinite(p.until) ? ` until ${new Date(p.until).toISOString().slice(0, 10)}` : ''}: ${p.source})`);
      }
    }
  },
};
