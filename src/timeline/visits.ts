/**
 * When a person sees their primary care clinic for preventive care: the Bright Futures schedule in
 * childhood, then an adult cadence that tightens with age. Attendance is a personal trait, so
 * some families keep every appointment and some miss many.
 */
import { clinicHoliday } from '../knowledge/holidays.js';
import { loadWellness } from '../knowledge/lifecycle.js';
import { MS_PER_DAY, MS_PER_MINUTE, MS_PER_YEAR, instantAtLocal, localClock, type Instant } from '../core/time.js';
import type { Rng } from '../core/random.js';

export interface PlannedVisit {
  readonly start: Instant;
  readonly end: Instant;
  /** Age in years at the visit. */
  readonly age: number;
  readonly kind: 'wellChild' | 'adultCheckup';
}

/** ISO weekday (Monday 1 .. Sunday 7) of a day number (1970-01-01, day 0, was a Thursday). */
const isoWeekday = (dayNumber: number): number => ((((dayNumber + 3) % 7) + 7) % 7) + 1;

/**
 * Places a visit on the local day of `day` at clinic hours on the clinic's wall clock (`zone`, the
 * patient's state), with its length. A day the clinic is closed (a weekend, or a public holiday of
 * holidays.yaml) moves to the next day it is open.
 */
export function clinicSlot(rng: Rng, day: Instant, zone: string): { start: Instant; end: Instant } {
  const w = loadWellness();
  let { dayNumber } = localClock(zone, day);
  const closed = (d: number): boolean => !w.clinicDays.isoWeekdays.includes(isoWeekday(d)) || clinicHoliday(d) !== undefined;
  for (let n = 0; n < 14 && closed(dayNumber); n++) dayNumber++;
  const hour = rng.int(w.clinicHoursLocal.first, w.clinicHoursLocal.last);
  const minute = 15 * rng.int(0, 3);
  const booked = instantAtLocal(zone, dayNumber, hour * 60 + minute);
  const length = rng.int(w.visitMinutes.min, w.visitMinutes.max) * MS_PER_MINUTE;
  // Dates are written as UTC calendar dates (FHIR date fields, the dates notes cite), so a visit
  // must not straddle UTC midnight, or a shot given at its end would be dated the day after the
  // visit. A late-afternoon visit in the Pacific, Alaska or Hawaii moves earlier in 15-minute steps
  // to end half an hour before it (until records carry local offsets).
  const spill = booked + length + 30 * MS_PER_MINUTE - (Math.floor(booked / MS_PER_DAY) + 1) * MS_PER_DAY;
  const start = spill >= 0 ? booked - (Math.floor(spill / (15 * MS_PER_MINUTE)) + 1) * 15 * MS_PER_MINUTE : booked;
  return { start, end: start + length };
}

/** Preventive visits from birth to `until` (exclusive), in time order. */
export function planWellVisits(rng: Rng, birth: Instant, until: Instant, zone: string): PlannedVisit[] {
  const w = loadWellness();
  const visits: PlannedVisit[] = [];
  const attendance = rng.clampedNormal(w.childAttendance.meanShare, w.childAttendance.sd, 0.3, 1);
  let lastChildAge = 0;
  for (const ageDays of w.childVisitAgesDays) {
    lastChildAge = ageDays / 365.2425;
    const jitter = rng.int(-w.childVisitJitterDays, w.childVisitJitterDays);
    const attended = rng.chance(attendance);
    const day = birth + Math.max(1, ageDays + jitter) * MS_PER_DAY;
    if (!attended || day >= until) continue;
    const slot = clinicSlot(rng, day, zone);
    if (slot.end > until) continue;
    visits.push({ ...slot, age: (slot.start - birth) / MS_PER_YEAR, kind: 'wellChild' });
  }
  // Adults: gaps drawn around the cadence of their age band (±50%), so visits are irregular but steady.
  const engagement = rng.clampedNormal(1, 0.25, 0.5, 1.8);
  let age = lastChildAge;
  for (;;) {
    const band = w.adultCadence.find((b) => age >= b.minAge && age <= b.maxAge) ?? w.adultCadence[w.adultCadence.length - 1]!;
    age += band.meanIntervalYears * engagement * rng.uniform(0.5, 1.5);
    const day = birth + age * MS_PER_YEAR;
    if (day >= until) break;
    const slot = clinicSlot(rng, day, zone);
    if (slot.end > until) break;
    visits.push({ ...slot, age: (slot.start - birth) / MS_PER_YEAR, kind: 'adultCheckup' });
  }
  return visits;
}
