/**
 * Hours: a booked clinic visit (well child, checkup, follow-up, immunization; wellness.json) starts
 * on a day the clinic books visits and inside clinic hours. Emergency and inpatient care may come
 * at any hour.
 */
import { loadWellness } from '../knowledge/lifecycle.js';
import { codingsOf, instantOf } from './bundle-view.js';
import type { CheckRule } from './rule.js';

const DAY_NAMES = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export const clinicHours: CheckRule = {
  id: 'clinical.clinic-hours',
  family: 'clinical',
  title: 'booked clinic visits (checkups, well-child, follow-up, immunization) start on a clinic day inside clinic hours',
  check(view, emit) {
    const w = loadWellness();
    const booked = new Set(Object.values(w.encounterTypes).map((c) => c.code));
    for (const r of view.resources) {
      if (r.resourceType !== 'Encounter') continue;
      if (!codingsOf((r['type'] as unknown[] | undefined)?.[0]).some((c) => c.code !== undefined && booked.has(c.code))) continue;
      const start = (r['period'] as { start?: unknown } | undefined)?.start;
      const t = typeof start === 'string' ? instantOf(start) : undefined;
      if (t === undefined) continue;
      const d = new Date(t);
      const weekday = ((d.getUTCDay() + 6) % 7) + 1;
      if (!w.clinicDays.isoWeekdays.includes(weekday)) emit(r, `booked clinic visit on a ${DAY_NAMES[weekday]} (${String(start).slice(0, 10)}), a day the clinic is closed`);
      const hour = d.getUTCHours();
      if (hour < w.clinicHoursUtc.first || hour > w.clinicHoursUtc.last) emit(r, `booked clinic visit at ${String(start).slice(11, 16)} UTC, outside clinic hours (${w.clinicHoursUtc.first}:00-${w.clinicHoursUtc.last}:59 UTC)`);
    }
  },
};
