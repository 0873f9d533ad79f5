/**
 * Emergency and inpatient episodes a life's latent conditions bring: exacerbations at an annual
 * rate while a condition is active, and events that are a condition's own onset (a stroke). Planned
 * before the chart is written, with their whole timing, because a fatal episode decides when the
 * record ends.
 */
import type { AcuteEpisode, ConditionModule } from '../knowledge/conditions.js';
import { loadHospitalCare } from '../knowledge/hospital-care.js';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, MS_PER_YEAR, type Instant } from '../core/time.js';
import type { LatentCourse } from './onsets.js';
import type { Rng } from '../core/random.js';

/** One planned emergency visit, with the admission that follows it when there is one. */
export interface PlannedEpisode {
  readonly module: ConditionModule;
  readonly episode: AcuteEpisode;
  /** Arrival at the emergency department. */
  readonly arrive: Instant;
  /** End of the emergency visit (and start of the admission). */
  readonly edEnd: Instant;
  /** Discharge (or death) from the admission; equals `edEnd` when not admitted. */
  readonly discharge: Instant;
  readonly admitted: boolean;
  /** Dies in hospital at `discharge`. */
  readonly fatal: boolean;
  /** Discharged to a skilled nursing facility. */
  readonly snf: boolean;
  /** Uniform draw that thins exacerbations once the condition is treated (see treatedRateRatio). */
  readonly keep: number;
}

const minute = (t: number): Instant => Math.round(t / MS_PER_MINUTE) * MS_PER_MINUTE;

function plan(m: ConditionModule, e: AcuteEpisode, birthTime: Instant, age: number, rng: Rng): PlannedEpisode {
  const [hLo, hHi] = loadHospitalCare().emergencyHours;
  const fatal = rng.chance(e.fatalShare);
  const admitted = fatal || rng.chance(e.admittedShare);
  const [dLo, dHi] = e.lengthOfStayDays;
  // Arrival a few hours after the onset instant, so onset <= arrival always holds.
  const arrive = minute(birthTime + age * MS_PER_YEAR + rng.uniform(0.5, 4) * MS_PER_HOUR);
  const edEnd = minute(arrive + rng.uniform(hLo, hHi) * MS_PER_HOUR);
  const discharge = admitted ? minute(edEnd + rng.uniform(dLo, dHi) * MS_PER_DAY) : edEnd;
  const snf = admitted && !fatal && rng.chance(e.snfShare);
  return { module: m, episode: e, arrive, edEnd, discharge, admitted, fatal, snf, keep: rng.next() };
}

/**
 * Plans every episode of every latent course up to `horizonAge`, sorted by arrival. `forkFor(key)`
 * must give each module its own child stream.
 */
export function planAcuteEpisodes(
  courses: readonly LatentCourse[],
  birthTime: Instant,
  horizonAge: number,
  forkFor: (key: string) => Rng,
): PlannedEpisode[] {
  const out: PlannedEpisode[] = [];
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
  const kept: PlannedEpisode[] = [];
  for (const p of out) {
    const last = kept[kept.length - 1];
    if (last === undefined || p.arrive > last.discharge) kept.push(p);
  }
  return kept;
}
