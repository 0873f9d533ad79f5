import { codeIn, label, referenceOf } from './bundle-view.js';
import type { CheckRule } from './rule.js';

const CLINICAL_STATUS = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const ACTIVE = new Set(['active', 'recurrence', 'relapse']);

/** Care plans and goals address Conditions, and an active plan is for a condition that is still active. */
export const carePlanCondition: CheckRule = {
  id: 'clinical.careplan-condition',
  family: 'clinical',
  title: 'CarePlan and Goal addresses resolve to Conditions, and an active CarePlan or Goal addresses an active Condition',
  check(view, emit) {
    for (const r of view.resources) {
      if (r.resourceType !== 'CarePlan' && r.resourceType !== 'Goal') continue;
      const addresses = r['addresses'];
      if (!Array.isArray(addresses)) continue;
      const active = r.resourceType === 'CarePlan' ? r['status'] === 'active' : r['lifecycleStatus'] === 'active';
      for (const item of addresses) {
        const ref = referenceOf(item);
        const target = ref === undefined ? undefined : view.resolve(ref);
        if (target === undefined) emit(r, `addresses ${ref ?? '(no reference)'} does not resolve`);
        else if (target.resourceType !== 'Condition') emit(r, `addresses ${ref} is a ${target.resourceType}, not a Condition`);
        else if (active && !ACTIVE.has(codeIn(target['clinicalStatus'], CLINICAL_STATUS) ?? '')) {
          emit(r, `is active but ${label(target)} is ${codeIn(target['clinicalStatus'], CLINICAL_STATUS) ?? 'without a status'}`);
        }
      }
    }
  },
};
