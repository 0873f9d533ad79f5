import { label, referenceOf } from './bundle-view.js';
import { diagnosisTime } from './conditions.js';
import type { CheckRule } from './rule.js';
import { compareFhirTimes } from './time-order.js';

function reasonReferences(r: Record<string, unknown>): string[] {
  const reasons = r['reasonReference'];
  if (!Array.isArray(reasons)) return [];
  return reasons.map(referenceOf).filter((x): x is string => x !== undefined);
}

/** A prescription names the Condition it treats. */
export const medicationReason: CheckRule = {
  id: 'clinical.medication-reason',
  family: 'clinical',
  title: 'every MedicationRequest has a reasonReference that resolves to a Condition',
  check(view, emit) {
    for (const r of view.resources) {
      if (r.resourceType !== 'MedicationRequest') continue;
      const refs = reasonReferences(r);
      if (refs.length === 0) emit(r, 'has no reasonReference');
      for (const ref of refs) {
        const target = view.resolve(ref);
        if (target === undefined) emit(r, `reasonReference ${ref} does not resolve`);
        else if (target.resourceType !== 'Condition') emit(r, `reasonReference ${ref} is a ${target.resourceType}, not a Condition`);
      }
    }
  },
};

/** No treatment starts before the diagnosis it treats. */
export const medicationAfterDiagnosis: CheckRule = {
  id: 'clinical.medication-after-diagnosis',
  family: 'clinical',
  title: 'no MedicationRequest authored before the diagnosis of the Condition in its reasonReference',
  check(view, emit) {
    for (const r of view.resources) {
      if (r.resourceType !== 'MedicationRequest') continue;
      const authored = r['authoredOn'];
      if (typeof authored !== 'string') {
        emit(r, 'has no authoredOn');
        continue;
      }
      for (const ref of reasonReferences(r)) {
        const condition = view.resolve(ref);
        if (condition?.resourceType !== 'Condition') continue; // reported by clinical.medication-reason
        const diagnosed = diagnosisTime(condition);
        if (diagnosed === undefined) continue;
        const order = compareFhirTimes(authored, diagnosed);
        if (order !== undefined && order < 0) emit(r, `authoredOn ${authored} is before ${label(condition)} was diagnosed (${diagnosed})`);
      }
    }
  },
};
