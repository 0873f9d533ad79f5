/**
 * Death with disease: the life table's yearly hazard, raised while conditions with a mortality
 * multiplier are active (each adds its excess, multiplier - 1, to a background weight for the
 * causes no module models) and divided by the population's expected weight at that age, so
 * the cohort as a whole still follows the life table while the sick die sooner than the well. A
 * fatal hospital episode ends the life at its discharge. The cause is the condition whose excess
 * hazard fired (drawn by its share), or one of the causes the modules do not model.
 */
import type { ConditionModule } from '../knowledge/conditions.js';
import { conditionModules, onsetHazardAt } from '../knowledge/conditions.js';
import { loadHospitalCare, loadMortalityCauses } from '../knowledge/hospital-care.js';
import { interpolate } from '../knowledge/schemas.js';
import { once } from '../knowledge/load.js';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, MS_PER_YEAR, type Instant } from '../core/time.js';
import type { AdministrativeSex, Coding } from '../record/types.js';
import type { PlannedExacerbation } from './exacerbations.js';
import { MAX_AGE, lifeTables } from './mortality.js';
import type { LatentCourse } from './onsets.js';
import type { Rng } from '../core/random.js';

/** How a life ended before the horizon. */
export interface DeathDraw {
  /** Fractional age at death. */
  readonly age: number;
  /** What the death certificate names. */
  readonly cause: Coding;
  /** The condition module behind the cause, when there is one. */
  readonly conditionKey: string | undefined;
  /** The fatal hospital episode, when the patient died in hospital. */
  readonly episode: PlannedExacerbation | undefined;
}

/** Weight of the causes no module models at each whole age (see mortality-causes.json). */
const backgroundWeight = once((): Float64Array => {
  const curve = loadMortalityCauses().backgroundWeightByAge;
  const out = new Float64Array(MAX_AGE + 1);
  for (let a = 0; a <= MAX_AGE; a++) out[a] = interpolate(curve, a);
  return out;
});

/**
 * Expected hazard weight of the population at each whole age, per sex: the background weight plus,
 * over modules, P(onset by that age) * (multiplier - 1), from the modules' base hazard curves. Risk
 * factors and the survival of the sick pull in opposite directions and are left out.
 */
export const expectedMultiplier = once((): Readonly<Record<AdministrativeSex, Float64Array>> => {
  const build = (sex: AdministrativeSex): Float64Array => {
    const out = Float64Array.from(backgroundWeight());
    for (const m of conditionModules()) {
      if (m.mortality === undefined || m.onset.kind !== 'hazard' || (m.sex !== undefined && m.sex !== sex)) continue;
      const excess = m.mortality.hazardMultiplier - 1;
      let cumulative = 0;
      for (let a = 0; a <= MAX_AGE; a++) {
        out[a]! += (1 - Math.exp(-cumulative)) * excess;
        cumulative += onsetHazardAt(m, a);
      }
    }
    return out;
  };
  return { male: build('male'), female: build('female') };
});

function otherCause(rng: Rng, age: number): Coding {
  const causes = loadMortalityCauses().otherCauses;
  const weights = causes.map((c) => interpolate(c.weightByAge, age));
  return causes[rng.weightedIndex(weights)]!.code;
}

/**
 * For a share of deaths from a condition: the admission for it that the patient dies in, ending at
 * the death. None when it would begin before the onset, or overlap a planned episode.
 */
function terminalAdmission(
  rng: Rng,
  course: LatentCourse,
  deathAge: number,
  birthTime: Instant,
  episodes: readonly PlannedExacerbation[],
): PlannedExacerbation | undefined {
  const { terminalAdmission: terminal, emergencyHours } = loadHospitalCare();
  if (!rng.chance(terminal.inHospitalShare)) return undefined;
  if (course.remissionAge !== undefined && course.remissionAge <= deathAge) return undefined;
  const e = terminal.episode;
  const minute = (t: number): Instant => Math.round(t / MS_PER_MINUTE) * MS_PER_MINUTE;
  const discharge = minute(birthTime + deathAge * MS_PER_YEAR);
  const edEnd = minute(discharge - rng.uniform(e.lengthOfStayDays[0], e.lengthOfStayDays[1]) * MS_PER_DAY);
  const arrive = minute(edEnd - rng.uniform(emergencyHours[0], emergencyHours[1]) * MS_PER_HOUR);
  if (arrive <= birthTime + course.onsetAge! * MS_PER_YEAR) return undefined;
  if (episodes.some((p) => p.arrive <= discharge && p.discharge >= arrive)) return undefined;
  return { module: course.module, episode: e, arrive, edEnd, discharge, outcome: 'died', keep: 0 };
}

function activeAt(c: LatentCourse, age: number): boolean {
  return c.onsetAge !== undefined && c.onsetAge <= age && (c.remissionAge === undefined || c.remissionAge > age);
}

/**
 * Draws when (and of what) a life ends before `horizonAge`, or undefined when it reaches it.
 * `episodes` are the planned hospital episodes; the first fatal one before the hazard's death wins.
 */
export function sampleDeath(
  rng: Rng,
  sex: AdministrativeSex,
  courses: readonly LatentCourse[],
  episodes: readonly PlannedExacerbation[],
  birthTime: Instant,
  horizonAge: number,
): DeathDraw | undefined {
  const { qx } = lifeTables()[sex];
  const norm = expectedMultiplier()[sex];
  const mortal = courses.filter((c) => c.onsetAge !== undefined && c.module.mortality !== undefined);
  let hazardDeath: DeathDraw | undefined;
  for (let a = 0; a <= MAX_AGE && a <= horizonAge; a++) {
    const mid = a + 0.5;
    const background = backgroundWeight()[a]!;
    let weight = background;
    for (const c of mortal) if (activeAt(c, mid)) weight += c.module.mortality!.hazardMultiplier - 1;
    const h = Math.min(1, (qx[a]! * weight) / norm[a]!);
    if (rng.next() >= h) continue;
    let age = a + rng.next();
    // Which part of the hazard fired: the background or a condition's excess.
    let pick = rng.next() * weight - background;
    let course: LatentCourse | undefined;
    if (pick >= 0) {
      for (const c of mortal) {
        if (!activeAt(c, mid)) continue;
        pick -= c.module.mortality!.hazardMultiplier - 1;
        if (pick < 0) {
          course = c;
          age = Math.max(age, c.onsetAge! + (a + 1 - c.onsetAge!) * rng.next());
          break;
        }
      }
    }
    const module: ConditionModule | undefined = course?.module;
    hazardDeath = {
      age,
      cause: module?.code ?? otherCause(rng, age),
      conditionKey: module?.key,
      episode: course === undefined ? undefined : terminalAdmission(rng, course, age, birthTime, episodes),
    };
    break;
  }
  // A planned fatal episode before the hazard's death ends the life first.
  const fatal = episodes.find((e) => e.outcome === 'died');
  if (fatal !== undefined) {
    const age = (fatal.discharge - birthTime) / MS_PER_YEAR;
    if (age < horizonAge && (hazardDeath === undefined || age < hazardDeath.age)) {
      return { age, cause: fatal.module.code, conditionKey: fatal.module.key, episode: fatal };
    }
  }
  return hazardDeath !== undefined && hazardDeath.age < horizonAge ? hazardDeath : undefined;
}
