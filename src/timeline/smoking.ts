/** A lifetime smoking history: whether and when someone starts, what kind of smoker, and when they quit. */
import { loadSmoking } from '../knowledge/lifecycle.js';
import type { AdministrativeSex, SmokingStatus } from '../record/types.js';
import type { Rng } from '../core/random.js';

export interface SmokingHistory {
  /** Age at first regular smoking, or undefined for never-smokers. */
  readonly startAge: number | undefined;
  /** Age at quitting, or undefined while still smoking. */
  readonly quitAge: number | undefined;
  readonly occasional: boolean;
}

function interpolateCohort(birthYear: number, sex: AdministrativeSex): number {
  const rows = loadSmoking().everSmokerByBirthYear;
  const pick = (r: (typeof rows)[number]): number => (sex === 'male' ? r.male : r.female);
  if (birthYear <= rows[0]!.year) return pick(rows[0]!);
  for (let i = 1; i < rows.length; i++) {
    const b = rows[i]!;
    if (birthYear <= b.year) {
      const a = rows[i - 1]!;
      return pick(a) + ((pick(b) - pick(a)) * (birthYear - a.year)) / (b.year - a.year);
    }
  }
  return pick(rows[rows.length - 1]!);
}

export function sampleSmokingHistory(rng: Rng, sex: AdministrativeSex, birthYear: number, lifespanYears: number): SmokingHistory {
  const s = loadSmoking();
  if (!rng.chance(interpolateCohort(birthYear, sex))) return { startAge: undefined, quitAge: undefined, occasional: false };
  const startAge = rng.clampedNormal(s.initiationAge.mean, s.initiationAge.sd, s.initiationAge.min, s.initiationAge.max);
  const occasional = rng.chance(s.occasionalShareOfCurrent);
  let quitAge: number | undefined;
  for (let age = Math.ceil(startAge + 1); age < lifespanYears; age++) {
    let p = s.annualQuitProbability[0]!.probability;
    for (const band of s.annualQuitProbability) if (age >= band.fromAge) p = band.probability;
    if (rng.chance(p)) {
      quitAge = age + rng.next();
      break;
    }
  }
  return { startAge, quitAge, occasional };
}

export function smokingStatusAt(history: SmokingHistory, age: number): SmokingStatus {
  if (history.startAge === undefined || age < history.startAge) return 'never';
  if (history.quitAge !== undefined && age >= history.quitAge) return 'former';
  return history.occasional ? 'occasional' : 'daily';
}
