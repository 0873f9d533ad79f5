import { hasCode, referenceOf } from './bundle-view.js';
import type { CheckRule } from './rule.js';

const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const DIAGNOSTIC_SERVICE = 'http://terminology.hl7.org/CodeSystem/v2-0074';
const UCUM = 'http://unitsofmeasure.org';
const LABORATORY = new Set(['laboratory']);
const LAB = new Set(['LAB']);

function inCategory(r: Record<string, unknown>, codes: ReadonlySet<string>, system: string): boolean {
  const categories = r['category'];
  return Array.isArray(categories) && categories.some((c) => hasCode(c, codes, system));
}

/** Quantitative labs carry a UCUM unit and a reference range, as a chart shows them. */
export const labUnitsAndRanges: CheckRule = {
  id: 'clinical.lab-units-ranges',
  family: 'clinical',
  title: 'laboratory Observations with a quantity carry a UCUM unit and a reference range',
  check(view, emit) {
    for (const r of view.resources) {
      if (r.resourceType !== 'Observation' || !inCategory(r, LABORATORY, OBSERVATION_CATEGORY)) continue;
      const q = r['valueQuantity'] as { value?: unknown; unit?: unknown; system?: unknown; code?: unknown } | undefined;
      if (q === undefined) continue; // qualitative result: no unit to check
      if (typeof q.value !== 'number') emit(r, 'valueQuantity has no numeric value');
      if (typeof q.code !== 'string' || q.code.length === 0 || typeof q.unit !== 'string') emit(r, 'valueQuantity has no unit');
      else if (q.system !== UCUM) emit(r, `valueQuantity unit ${q.code} is not in UCUM (system ${String(q.system)})`);
      const range = r['referenceRange'];
      if (!Array.isArray(range) || range.length === 0) emit(r, 'has no referenceRange');
    }
  },
};

/** A lab report groups results of its own patient. */
export const labReportResults: CheckRule = {
  id: 'clinical.lab-report-results',
  family: 'clinical',
  title: "a lab DiagnosticReport's results resolve to Observations of the same patient",
  check(view, emit) {
    for (const r of view.resources) {
      if (r.resourceType !== 'DiagnosticReport' || !inCategory(r, LAB, DIAGNOSTIC_SERVICE)) continue;
      const results = r['result'];
      if (!Array.isArray(results) || results.length === 0) {
        emit(r, 'lab report has no result');
        continue;
      }
      const subject = referenceOf(r['subject']);
      for (const item of results) {
        const ref = referenceOf(item);
        const target = ref === undefined ? undefined : view.resolve(ref);
        if (target === undefined) emit(r, `result ${ref ?? '(no reference)'} does not resolve`);
        else if (target.resourceType !== 'Observation') emit(r, `result ${ref} is a ${target.resourceType}, not an Observation`);
        else {
          const obsSubject = referenceOf(target['subject']);
          if (obsSubject === undefined || view.resolve(obsSubject) !== (subject === undefined ? undefined : view.resolve(subject))) {
            emit(r, `result ${ref} belongs to another patient (${obsSubject ?? 'none'})`);
          }
        }
      }
    }
  },
};
