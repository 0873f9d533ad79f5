/**
 * Exacerbations: the emergency and inpatient episodes a life's chronic conditions bring: exacerbations at an annual
 * rate while a condition is active, and events that are a condition's own onset (a stroke). Planned
 * before the chart is written, with their whole timing, because a fatal episode decides when the
 * record ends.
 */
import type { AcuteEpisode, ConditionModule } from '../knowledge/conditions.js';
import { loadHospitalCare } from '../knowledge/hospital-care.js';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, MS_PER_YEAR, type Instant } from '../core/time.js';
import type { LatentCourse } from './onsets.js';
import type { Rng } from '../core/random.js';

/**
 * How an emergency visit ends: sent home from the ED, or admitted and then discharged home, to a
 * skilled nursing facility, or dead in hospital. One value, so "released yet dead" cannot be said.
 */
export type ExacerbationOutcome = 'released' | 'home' | 'snf' | 'died';

/** One planned emergency visit, with the admission that follows it when there is one. */
export interface PlannedExacerbation {
  readonly module: ConditionModule;
  readonly episode: AcuteEpisode;
  /** Arrival at the emergency department. */
  readonly arrive: Instant;
  /** End of the emergency visit (and start of the admission). */
  readonly edEnd: Instant;
  /** Discharge (or death) from the admission; equals `edEnd` when released from the ED. */
  readonly discharge: Instant;
  readonly outcome: ExacerbationOutcome;
  /** Uniform draw that thins exacerbations once the condition is treated (see treatedRateRatio). */
  readonly keep: number;
}

const minute = (t: number): Instant => Math.round(t / MS_PER_MINUTE) * MS_PER_MINUTE;

function plan(m: ConditionModule, e: AcuteEpisode, birthTime: Instant, age: number, rng: Rng): PlannedExacerbation {
  const [hLo, hHi] = loadHospitalCare().emergencyHours;
  const fatal = rng.chance(e.fatalShare);
  const admitted = fatal || rng.chance(e.admittedShare);
  const [dLo, dHi] = e.lengthOfStayDays;
  // Arrival a few hours after the onset instant, so onset <= arrival always holds.
  const arrive = minute(birthTime + age * MS_PER_YEAR + rng.uniform(0.5, 4) * MS_PER_HOUR);
  const edEnd = minute(arrive + rng.uniform(hLo, hHi) * MS_PER_HOUR);
  const discharge = admitted ? minute(edEnd + rng.uniform(dLo, dHi) * MS_PER_DAY) : edEnd;
  const snf = admitted && !fatal && rng.chance(e.snfShare);
  const outcome: ExacerbationOutcome = fatal ? 'died' : !admitted ? 'released' : snf ? 'snf' : 'home';
  return { module: m, episode: e, arrive, edEnd, discharge, outcome, keep: rng.next() };
}

/** The HL7 discharge-disposition key each outcome is charted with (hospital-care.yaml's codes). */
export const DISPOSITION_OF: { readonly [O in ExacerbationOutcome]: 'home' | 'snf' | 'exp' } = { released: 'home', home: 'home', snf: 'snf', died: 'exp' };

/** Whether the emergency visit became an admission. */
export const isAdmitted = (p: PlannedExacerbation): boolean => p.outcome !== 'released';

/**
 * Plans every episode of every latent course up to `horizonAge`, sorted by arrival. `forkFor(key)`
 * must give each module its own child stream.
 */
export function planExacerbations(
  courses: readonly LatentCourse[],
  birthTime: Instant,
  horizonAge: number,
  forkFor: (key: string) => Rng,
): PlannedExacerbation[] {
  const out: PlannedExacerbation[] = [];
  for (const c of courses) {
    const m = c.module;
    if (c.onsetAge === undefined || m.acuteCare.length === 0) continue;
    const rng = forkFor(m.key);
    const until = Math.min(c.remissionAge ?? horizonAge, horizonAge);
    for (const e of m.acuteCare) {
      if (e.trigger === 'onset') {
        out.push(plan(m, e, birthTime, c.onsetAge, rng));
        continue;
      }
      // A Poisson process at the episode's rate over the years the condition is active.
      for (let age = c.onsetAge + rng.exponential(1 / e.annualRate); age < until; age += rng.exponential(1 / e.annualRate)) {
        out.push(plan(m, e, birthTime, age, rng));
      }
    }
  }
  out.sort((a, b) => a.arrive - b.arrive);
  // One stay at a time: an episode that would start during an earlier one is folded into it.
  const kept: PlannedExacerbation[] = [];
  for (const p of out) {
    const last = kept[kept.length - 1];
    if (last === undefined || p.arrive > last.discharge) kept.push(p);
  }
  return kept;
}
