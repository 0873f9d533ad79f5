/**
 * Which clinic visits happen: the well visits, each vaccine dose at one of them inside its window
 * or else at an immunization visit of its own, and the chronic-care follow-ups between them.
 */
import { MS_PER_DAY, MS_PER_YEAR, type Instant } from '../core/time.js';
import type { Rng } from '../core/random.js';
import type { AdministrativeSex } from '../record/types.js';
import { loadWellness } from '../knowledge/lifecycle.js';
import { planFollowUps, planOfficeVisits } from './follow-ups.js';
import type { PlannedDose } from './immunization-plan.js';
import type { LatentCourse } from './onsets.js';
import { clinicSlot, type PlannedVisit } from './visits.js';

/** One booked clinic visit and the doses given there. */
export interface Slot {
  readonly start: Instant;
  readonly end: Instant;
  /** Age in years at the visit. */
  readonly age: number;
  readonly kind: PlannedVisit['kind'] | 'immunization' | 'followUp';
  readonly doses: readonly PlannedDose[];
}

/** What the booking starts from. */
export interface SlotPlan {
  readonly visits: readonly PlannedVisit[];
  readonly doses: readonly PlannedDose[];
  readonly courses: readonly LatentCourse[];
  readonly birthTime: Instant;
  /** The further office visits are booked at the rates of the patient's sex. */
  readonly sex: AdministrativeSex;
  /** End of the record (reference date or death): no visit runs past it. */
  readonly end: Instant;
  /** Places immunization visits. */
  readonly shotRng: Rng;
  /** Books follow-ups. */
  readonly followUpRng: Rng;
  /** Books the further chronic-care office visits (wellness.json `officeVisits`). */
  readonly officeRng: Rng;
  /** The clinic's time zone (clinic hours are local). */
  readonly zone: string;
}

/** Every clinic visit of the life, in time order. */
export function bookSlots({ visits, doses, courses, birthTime, sex, end, shotRng, followUpRng, officeRng, zone }: SlotPlan): Slot[] {
  const slots = visits.map((v) => ({ ...v, doses: [] as PlannedDose[] }));
  const extra: (Slot & { doses: PlannedDose[] })[] = [];
  let cursor = 0;
  for (const dose of doses) {
    while (cursor < slots.length && slots[cursor]!.start < dose.earliest) cursor++;
    const visit = slots[cursor];
    if (visit !== undefined && visit.start <= dose.latest) {
      visit.doses.push(dose);
      continue;
    }
    const same = extra.find((s) => s.start >= dose.earliest && s.start <= dose.latest);
    if (same !== undefined) {
      same.doses.push(dose);
      continue;
    }
    const slot = clinicSlot(shotRng, dose.earliest + shotRng.next() * (dose.latest - dose.earliest), zone);
    if (slot.end > end) continue;
    extra.push({ ...slot, age: (slot.start - birthTime) / MS_PER_YEAR, kind: 'immunization', doses: [dose] });
  }
  // The further chronic-care office visits first: a condition may be diagnosed at one (before the
  // next checkup), and its own follow-ups are booked from the visit that diagnoses it.
  const office = loadWellness().officeVisits;
  const booked = [...slots, ...extra].map((s) => s.start).sort((a, b) => a - b);
  const rates = office.perYear.map((r) => ({ fromAge: r.fromAge, toAge: r.toAge, rate: sex === 'female' ? r.female : r.male }));
  const officeVisits = planOfficeVisits({ rng: officeRng, courses, visits: booked, birthTime, end, zone, rates, minGapDays: office.minGapDays }).map((f): Slot => ({ ...f, doses: [] }));
  const followUps = planFollowUps(
    followUpRng,
    courses,
    [...slots, ...officeVisits].map((v) => v.start).sort((a, b) => a - b),
    birthTime,
    end,
    zone,
  ).map((f): Slot => ({ ...f, doses: [] }));
  return oneVisitPerDay([...slots, ...extra, ...followUps, ...officeVisits].sort((a, b) => a.start - b.start));
}

/** Which booked visit a day keeps when two fall on it: the preventive visit covers a follow-up, a follow-up gives the shots. */
const KEEP_RANK: Readonly<Record<Slot['kind'], number>> = { wellChild: 0, adultCheckup: 0, followUp: 1, immunization: 2 };

/**
 * A clinic books one visit per patient per day: a second visit the same day (a follow-up drawn on
 * a checkup's day, a catch-up shot on a follow-up's day) is folded into the one kept, its doses
 * given there.
 */
export function oneVisitPerDay(sorted: readonly Slot[]): Slot[] {
  const out: Slot[] = [];
  for (const slot of sorted) {
    const last = out[out.length - 1];
    if (last === undefined || Math.floor(last.start / MS_PER_DAY) !== Math.floor(slot.start / MS_PER_DAY)) {
      out.push(slot);
      continue;
    }
    const [keep, fold] = KEEP_RANK[slot.kind] < KEEP_RANK[last.kind] ? [slot, last] : [last, slot];
    out[out.length - 1] = { ...keep, doses: [...keep.doses, ...fold.doses] };
  }
  return out;
}
