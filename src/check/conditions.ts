import { codeIn } from './bundle-view.js';
import type { CheckRule } from './rule.js';
import { compareFhirTimes } from './time-order.js';

const CLINICAL_STATUS = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const ACTIVE = new Set(['active', 'recurrence', 'relapse']);
const ENDED = new Set(['inactive', 'remission', 'resolved']);
const ABATEMENT_FIELDS = ['abatementDateTime', 'abatementPeriod', 'abatementAge', 'abatementRange', 'abatementString'];

function hasAbatement(r: Record<string, unknown>): boolean {
  return ABATEMENT_FIELDS.some((f) => r[f] !== undefined);
}

/** Resolved and remitted conditions carry an abatement; active ones carry none. */
export const conditionStatusAbatement: CheckRule = {
  id: 'clinical.condition-status-abatement',
  family: 'clinical',
  title: 'resolved/inactive/remission conditions have an abatement, active ones none',
  check(view, emit) {
    for (const r of view.resources) {
      if (r.resourceType !== 'Condition') continue;
      const status = codeIn(r['clinicalStatus'], CLINICAL_STATUS);
      if (status === undefined) emit(r, 'has no clinicalStatus');
      else if (ENDED.has(status) && !hasAbatement(r)) emit(r, `clinicalStatus ${status} but no abatement`);
      else if (ACTIVE.has(status) && hasAbatement(r)) emit(r, `clinicalStatus ${status} but has an abatement`);
      else if (!ENDED.has(status) && !ACTIVE.has(status)) emit(r, `clinicalStatus ${status} is not a condition-clinical code`);
    }
  },
};

/** A condition does not end before it begins. */
export const abatementAfterOnset: CheckRule = {
  id: 'clinical.abatement-after-onset',
  family: 'clinical',
  title: 'no condition abates before its onset',
  check(view, emit) {
    for (const r of view.resources) {
      if (r.resourceType !== 'Condition') continue;
      const onset = r['onsetDateTime'];
      const abatement = r['abatementDateTime'];
      if (typeof onset !== 'string' || typeof abatement !== 'string') continue;
      const order = compareFhirTimes(abatement, onset);
      if (order !== undefined && order < 0) emit(r, `abatementDateTime ${abatement} is before onsetDateTime ${onset}`);
    }
  },
};

/**
 * When a condition was diagnosed: the earlier of onset and recordedDate (a lenient reading, so a
 * chart that back-dates onset is not flagged).
 */
export function diagnosisTime(condition: Record<string, unknown>): string | undefined {
  const times = [condition['onsetDateTime'], condition['recordedDate']].filter((t): t is string => typeof t === 'string');
  if (times.length === 0) return undefined;
  return times.reduce((a, b) => ((compareFhirTimes(a, b) ?? 0) <= 0 ? a : b));
}
