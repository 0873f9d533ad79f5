/**
 * Hours: a booked clinic visit (well child, checkup, follow-up, immunization; wellness.json) starts
 * on a day the clinic books visits and inside clinic hours, both read on the wall clock of the
 * patient's state (states.json time zones), and not on a public holiday the clinic closes for
 * (holidays.yaml, 5 U.S.C. 6103 with observed days). Emergency and inpatient care may come at any
 * hour.
 */
import { clinicHoliday } from '../knowledge/holidays.js';
import { loadWellness } from '../knowledge/lifecycle.js';
import { loadCareChannels } from '../knowledge/care-channels.js';
import { timeZoneOf } from '../knowledge/population.js';
import { MS_PER_DAY, localClock } from '../core/time.js';
import { loadPregnancy } from '../knowledge/pregnancy.js';
import { codingsOf, instantOf, label, referenceOf } from './bundle-view.js';
import type { CheckRule } from './rule.js';

const DAY_NAMES = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export const clinicHours: CheckRule = {
  id: 'clinical.clinic-hours',
  family: 'clinical',
  title: 'booked clinic visits (checkups, well-child, follow-up, immunization) start on a clinic day (a weekday, not a public holiday) inside clinic hours',
  check(view, emit) {
    const w = loadWellness();
    const booked = new Set(Object.values(w.encounterTypes).map((c) => c.code));
    // The clinic's wall clock: the time zone of the patient's state.
    const patient = view.resources.find((r) => r.resourceType === 'Patient');
    const state = (patient?.['address'] as Array<{ state?: unknown }> | undefined)?.[0]?.state;
    const zone = timeZoneOf(typeof state === 'string' ? state : '');
    for (const r of view.resources) {
      if (r.resourceType !== 'Encounter') continue;
      if (!codingsOf((r['type'] as unknown[] | undefined)?.[0]).some((c) => c.code !== undefined && booked.has(c.code))) continue;
      const start = (r['period'] as { start?: unknown } | undefined)?.start;
      const t = typeof start === 'string' ? instantOf(start) : undefined;
      if (t === undefined) continue;
      const { dayNumber, minuteOfDay } = localClock(zone, t);
      const weekday = ((((dayNumber + 3) % 7) + 7) % 7) + 1;
      const local = `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`;
      if (!w.clinicDays.isoWeekdays.includes(weekday)) emit(r, `booked clinic visit on a ${DAY_NAMES[weekday]} (${new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10)} ${local} ${zone}), a day the clinic is closed`);
      const holiday = clinicHoliday(dayNumber);
      if (holiday !== undefined) emit(r, `booked clinic visit on ${holiday} (${new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10)} ${local} ${zone}), a public holiday the clinic is closed`);
      const hour = Math.floor(minuteOfDay / 60);
      if (hour < w.clinicHoursLocal.first || hour > w.clinicHoursLocal.last) emit(r, `booked clinic visit at ${local} ${zone} (${String(start)}), outside clinic hours (${w.clinicHoursLocal.first}:00-${w.clinicHoursLocal.last}:59 local)`);
    }
  },
};

/**
 * One booked clinic visit per day: two scheduled primary-care visits of one patient on one day
 * (a prenatal visit on a checkup's day, two follow-ups) would be one visit in any clinic. All the
 * booked kinds (checkups, well-child, follow-up, immunization, prenatal, telephone and video
 * follow-ups) at one organization count; a specialist's follow-up the same day at another
 * organization (an oncology review at the hospital and a checkup at the clinic) is another
 * specialty, which patients do book on one day, and a walk-in sick visit is not booked.
 */
export const oneBookedVisitPerDay: CheckRule = {
  id: 'clinical.one-booked-visit-per-day',
  family: 'clinical',
  title: 'no two booked visits (checkup, well-child, follow-up, immunization, prenatal, postpartum, telephone/video) of one patient at one organization on one day',
  check(view, emit) {
    const booked = new Set([
      ...Object.values(loadWellness().encounterTypes).map((c) => c.code),
      ...loadCareChannels().map((c) => c.type.code),
      loadPregnancy().codes.initialVisit.code,
      loadPregnancy().codes.prenatalVisit.code,
      loadPregnancy().postpartum.visit.code,
    ]);
    const byDay = new Map<string, string>();
    for (const r of view.resources) {
      if (r.resourceType !== 'Encounter') continue;
      const code = codingsOf((r['type'] as unknown[] | undefined)?.[0]).find((c) => c.code !== undefined && booked.has(c.code))?.code;
      const start = (r['period'] as { start?: unknown } | undefined)?.start;
      if (code === undefined || typeof start !== 'string') continue;
      const day = start.slice(0, 10);
      const at = referenceOf(r['serviceProvider']) ?? '';
      const first = byDay.get(`${day} ${at}`);
      if (first === undefined) byDay.set(`${day} ${at}`, `${label(r)} (${code})`);
      else emit(r, `second booked visit at the same clinic on ${day}: ${first} is already booked that day`);
    }
  },
};
