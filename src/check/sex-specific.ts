import type { SexSpecificRule } from '../knowledge/sex-specific.js';
import { codingsOf } from './bundle-view.js';
import type { CheckRule } from './rule.js';

/** Coded fields where a sex-specific code would show: diagnoses, procedures, tests, screenings. */
const CODED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Condition: ['code'],
  Procedure: ['code'],
  Observation: ['code', 'valueCodeableConcept'],
  DiagnosticReport: ['code'],
  ServiceRequest: ['code'],
  Encounter: ['type', 'reasonCode'],
  CarePlan: ['category'],
};

/**
 * Builds the rule from the knowledge file's code lists: a code reserved for one sex must not appear
 * in the record of a patient of the other administrative gender.
 */
export function sexAppropriate(rules: readonly SexSpecificRule[]): CheckRule {
  const index = new Map<string, SexSpecificRule>();
  for (const rule of rules) for (const c of rule.codes) index.set(`${c.system}|${c.code}`, rule);
  return {
    id: 'clinical.sex-appropriate',
    family: 'clinical',
    title: 'sex-specific conditions, procedures, labs and screenings fit the patient (no prostate cancer or PSA for females, no pregnancy or cervical screening for males)',
    check(view, emit) {
      const gender = view.patient?.['gender'];
      if (gender !== 'male' && gender !== 'female') return;
      for (const r of view.resources) {
        const fields = CODED_FIELDS[r.resourceType];
        if (fields === undefined) continue;
        for (const field of fields) {
          const value = r[field];
          for (const concept of Array.isArray(value) ? value : [value]) {
            for (const c of codingsOf(concept)) {
              const rule = index.get(`${c.system ?? ''}|${c.code ?? ''}`);
              if (rule !== undefined && rule.onlyFor !== gender) {
                emit(r, `${field} ${c.code} (${rule.label}) is only for ${rule.onlyFor} patients; this patient is ${gender}`);
              }
            }
          }
        }
      }
    },
  };
}
