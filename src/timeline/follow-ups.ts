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
