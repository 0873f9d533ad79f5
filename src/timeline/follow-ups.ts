/**
 * Chronic-care follow-up visits: a pathway that wants to see its patients more often than the
 * preventive cadence (diabetes: every 3-6 months, ADA) books visits between checkups, from the
 * checkup where the condition is diagnosed until it remits or the record ends. Only hazard-onset
 * modules are planned ahead: their diagnosis is the first clinic visit after the latent onset.
 */
import { MS_PER_DAY, MS_PER_YEAR, type Instant } from '../core/time.js';
import type { LatentCourse } from './onsets.js';
import type { Rng } from '../core/random.js';
import { clinicSlot } from './visits.js';

export interface PlannedFollowUp {
  readonly start: Instant;
  readonly end: Instant;
  readonly age: number;
  readonly kind: 'followUp';
}

/** A booked visit this close to another visit is not needed: the clinician sees the patient there. */
const NEAR_MS = 45 * MS_PER_DAY;

/**
 * Follow-up visits for every course whose module asks for them, in time order.
 * `visits` are the clinician visits already planned (start times, ascending).
 */
export function planFollowUps(
  rng: Rng,
  courses: readonly LatentCourse[],
  visits: readonly Instant[],
  birthTime: Instant,
  end: Instant,
  zone: string,
): PlannedFollowUp[] {
  const out: PlannedFollowUp[] = [];
  const taken = [...visits];
  for (const c of courses) {
    const months = c.module.followUpMonths;
    if (months === undefined || c.onsetAge === undefined || c.module.onset.kind !== 'hazard') continue;
    const onset = birthTime + c.onsetAge * MS_PER_YEAR;
    const stop = Math.min(end, c.remissionAge === undefined ? Infinity : birthTime + c.remissionAge * MS_PER_YEAR);
    const diagnosis = visits.find((v) => v >= onset);
    if (diagnosis === undefined || diagnosis >= stop) continue;
    const step = (months / 12) * MS_PER_YEAR;
    // Each visit is booked from the last time the patient was seen, so a checkup that takes a
    // follow-up's place moves the next one along: the gap never exceeds a step plus the slack.
    for (let last = diagnosis; ; ) {
      const day = last + step + rng.int(-21, 21) * MS_PER_DAY;
      if (day >= stop) break;
      const seen = taken.filter((v) => v > last && v < day + NEAR_MS).sort((a, b) => a - b)[0];
      if (seen !== undefined) {
        last = seen;
        continue;
      }
      const slot = clinicSlot(rng, day, zone);
      if (slot.end > stop) break;
      taken.push(slot.start);
      out.push({ ...slot, age: (slot.start - birthTime) / MS_PER_YEAR, kind: 'followUp' });
      last = slot.start;
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Chronic-care office visits per person-year at an age (wellness.json `officeVisits.perYear`). */
export type OfficeVisitRates = readonly { readonly fromAge: number; readonly toAge: number; readonly rate: number }[];

/**
 * The further chronic-care office visits of a patient with a chronic diagnosis (the visits of the
 * problems the modules do not follow, which survey office-visit rates by age count): from the
 * first visit after the earliest chronic onset on, gaps drawn exponential at the age's rate, none
 * within `minGapDays` of another booked visit. `visits` are the visits already booked (ascending).
 */
export function planOfficeVisits(plan: {
  readonly rng: Rng;
  readonly courses: readonly LatentCourse[];
  readonly visits: readonly Instant[];
  readonly birthTime: Instant;
  readonly end: Instant;
  readonly zone: string;
  readonly rates: OfficeVisitRates;
  readonly minGapDays: number;
}): PlannedFollowUp[] {
  const { rng, courses, visits, birthTime, end, zone, rates, minGapDays } = plan;
  const onsets = courses.flatMap((c) => (c.onsetAge === undefined ? [] : [birthTime + c.onsetAge * MS_PER_YEAR]));
  if (onsets.length === 0) return [];
  const first = visits.find((v) => v >= Math.min(...onsets));
  if (first === undefined) return [];
  const gap = minGapDays * MS_PER_DAY;
  const taken = [...visits];
  const out: PlannedFollowUp[] = [];
  const rateAt = (t: Instant): number => {
    const age = (t - birthTime) / MS_PER_YEAR;
    return rates.find((r) => age >= r.fromAge && age < r.toAge)?.rate ?? 0;
  };
  for (let t = first; ; ) {
    const rate = rateAt(t);
    // A band without added visits is stepped over a year at a time, until one that has them.
    t += rate > 0 ? (-Math.log(1 - rng.next()) / rate) * MS_PER_YEAR : MS_PER_YEAR;
    if (t >= end) break;
    if (rateAt(t) === 0 || taken.some((v) => Math.abs(v - t) < gap)) continue;
    const slot = clinicSlot(rng, t, zone);
    if (slot.end > end) break;
    taken.push(slot.start);
    out.push({ ...slot, age: (slot.start - birthTime) / MS_PER_YEAR, kind: 'followUp' });
  }
  return out.sort((a, b) => a.start - b.start);
}
