import type { FhirResource } from './bundle-source.js';
import { codeIn, codingsOf, referenceOf, type BundleView } from './bundle-view.js';
import { compareFhirTimes } from './time-order.js';

const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';
const CVX = 'http://hl7.org/fhir/sid/cvx';
const CLINICAL_STATUS = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const ACTIVE = new Set(['active', 'recurrence', 'relapse']);

/** The latest Observation of one LOINC code: its time and value. */
export interface LatestValue {
  readonly time: string;
  readonly quantity: number | undefined;
  readonly codes: readonly string[];
}

/** What the fidelity measures need to know of one patient, at the reference date. */
export interface PatientFacts {
  readonly living: boolean;
  /** Whole years at the reference date; undefined when birth or reference date is missing. */
  readonly age: number | undefined;
  /** SNOMED codes of conditions active at the reference date. */
  readonly activeConditions: ReadonlySet<string>;
  /** Latest Observation per LOINC code (only the codes asked for). */
  readonly latest: ReadonlyMap<string, LatestValue>;
  /** CVX codes of completed immunizations. */
  readonly vaccines: ReadonlySet<string>;
  /** SNOMED codes of active conditions that no MedicationRequest names as its reason (never treated). */
  readonly untreatedConditions: ReadonlySet<string>;
}

/** Whole years from `birth` to `on` (both `YYYY-MM-DD`). */
export function ageInYears(birth: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(birth.slice(0, 4));
  return on.slice(5, 10) < birth.slice(5, 10) ? years - 1 : years;
}

function observationTime(r: Record<string, unknown>): string | undefined {
  const t = r['effectiveDateTime'] ?? (r['effectivePeriod'] as { start?: unknown } | undefined)?.start ?? r['issued'];
  return typeof t === 'string' ? t : undefined;
}

/**
 * Extracts a patient's facts from one bundle. A condition counts when its clinicalStatus is active,
 * recurrence or relapse, it began by the reference date and has not abated before it.
 */
export function patientFacts(view: BundleView, loincs: ReadonlySet<string>): PatientFacts {
  const ref = view.referenceDate;
  const activeConditions = new Set<string>();
  const latest = new Map<string, LatestValue>();
  const vaccines = new Set<string>();
  const treated = new Set<FhirResource>();
  const active: FhirResource[] = [];
  for (const r of view.resources) {
    if (r.resourceType === 'MedicationRequest') {
      for (const reason of (r['reasonReference'] as unknown[] | undefined) ?? []) {
        const ref = referenceOf(reason);
        const c = ref === undefined ? undefined : view.resolve(ref);
        if (c !== undefined) treated.add(c);
      }
    } else if (r.resourceType === 'Condition') {
      const status = codeIn(r['clinicalStatus'], CLINICAL_STATUS);
      if (status === undefined || !ACTIVE.has(status)) continue;
      const onset = r['onsetDateTime'] ?? r['recordedDate'];
      if (ref !== undefined && typeof onset === 'string' && onset.slice(0, 10) > ref) continue;
      const abated = r['abatementDateTime'];
      if (ref !== undefined && typeof abated === 'string' && abated.slice(0, 10) <= ref) continue;
      for (const c of codingsOf(r['code'])) if (c.system === SNOMED && c.code !== undefined) activeConditions.add(c.code);
      active.push(r);
    } else if (r.resourceType === 'Observation') {
      const status = r['status'];
      if (status === 'entered-in-error' || status === 'cancelled') continue;
      const code = codeIn(r['code'], LOINC);
      if (code === undefined || !loincs.has(code)) continue;
      const time = observationTime(r);
      if (time === undefined || (ref !== undefined && time.slice(0, 10) > ref)) continue;
      const prior = latest.get(code);
      if (prior !== undefined && (compareFhirTimes(time, prior.time) ?? 0) < 0) continue;
      const q = (r['valueQuantity'] as { value?: unknown } | undefined)?.value;
      latest.set(code, {
        time,
        quantity: typeof q === 'number' ? q : undefined,
        codes: codingsOf(r['valueCodeableConcept']).flatMap((c) => (c.code === undefined ? [] : [c.code])),
      });
    } else if (r.resourceType === 'Immunization') {
      if (r['status'] !== 'completed') continue;
      const cvx = codeIn(r['vaccineCode'], CVX);
      if (cvx !== undefined) vaccines.add(cvx);
    }
  }
  const untreatedConditions = new Set<string>();
  for (const r of active) {
    if (treated.has(r)) continue;
    for (const c of codingsOf(r['code'])) if (c.system === SNOMED && c.code !== undefined) untreatedConditions.add(c.code);
  }
  return {
    untreatedConditions,
    living: view.patient !== undefined && view.deathTime === undefined && view.patient['deceasedDateTime'] === undefined && view.patient['deceasedBoolean'] !== true,
    age: view.birthDate === undefined || ref === undefined ? undefined : ageInYears(view.birthDate, ref),
    activeConditions,
    latest,
    vaccines,
  };
}
