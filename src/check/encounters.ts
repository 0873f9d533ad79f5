import type { CheckRule } from './rule.js';
import { compareFhirTimes } from './time-order.js';

const PERIOD_FIELDS = ['period', 'performedPeriod', 'effectivePeriod'] as const;

/** A period never ends before it starts (encounter stays, procedures, observation windows). */
export const periodOrder: CheckRule = {
  id: 'clinical.period-order',
  family: 'clinical',
  title: 'encounter (and other) periods start no later than they end',
  check(view, emit) {
    for (const r of view.resources) {
      for (const field of PERIOD_FIELDS) {
        const p = r[field] as { start?: unknown; end?: unknown } | undefined;
        if (typeof p !== 'object' || p === null || typeof p.start !== 'string' || typeof p.end !== 'string') continue;
        const order = compareFhirTimes(p.start, p.end);
        if (order !== undefined && order > 0) emit(r, `${field}.start ${p.start} is after ${field}.end ${p.end}`);
      }
    }
  },
};
