/**
 * Cancer screening at preventive visits (USPSTF programs from data/screening.yaml), and what it
 * changes: a latent cancer stays silent for a sojourn time before symptoms bring it to diagnosis,
 * unless a screening in that window finds it first, diagnosing it at the screening visit.
 */
import { eraChoice } from '../knowledge/availability.js';
import { loadScreening, type ScreeningKnowledge, type ScreeningProgram } from '../knowledge/screening.js';
import { MS_PER_MINUTE, MS_PER_YEAR, type Instant } from '../core/time.js';
import type { AdministrativeSex, Encounter, LabReport, ProcedureEntry } from '../record/types.js';
import type { IdAllocator } from './ids.js';
import type { LatentCourse } from './onsets.js';
import type { Rng } from '../core/random.js';
import type { StepFragment } from './fragment.js';
import type { SmokingHistory } from './smoking.js';

/** A preventive visit where screening can happen. */
export interface ScreeningVisit {
  readonly start: Instant;
  readonly age: number;
}

export interface PlannedScreening {
  readonly program: ScreeningProgram;
  readonly visit: ScreeningVisit;
  /** True when this screen found the cancer its program detects. */
  readonly found: boolean;
  /** The result of a lab screening (PSA), undefined for procedures. */
  readonly value: number | undefined;
}

export interface ScreeningPlan {
  /** The latent courses, with `detectableAge` set for cancers that screening or symptoms reveal. */
  readonly courses: LatentCourse[];
  readonly screenings: PlannedScreening[];
}

/**
 * A screen is due again a little before the interval is up: visits are not on exact anniversaries,
 * and a clinician screens at the visit nearest the due date rather than waiting for the next one.
 */
const dueSlackYears = (interval: number): number => Math.min(0.5, 0.25 * interval);
/** Diagnosis ages sit a minute before the screening visit so the visit itself records the diagnosis. */
const ONE_MINUTE_YEARS = MS_PER_MINUTE / MS_PER_YEAR;

/** Pack-years smoked by `age` (a daily smoker a pack a day; occasional smokers a fraction). */
export function packYearsAt(smoking: SmokingHistory, age: number, k: ScreeningKnowledge): number {
  if (smoking.startAge === undefined || age <= smoking.startAge) return 0;
  const stop = smoking.quitAge === undefined ? age : Math.min(age, smoking.quitAge);
  return Math.max(0, stop - smoking.startAge) * k.packsPerDay * (smoking.occasional ? k.occasionalFactor : 1);
}

function smokingEligible(p: ScreeningProgram, smoking: SmokingHistory, age: number, k: ScreeningKnowledge): boolean {
  if (p.minPackYears === undefined) return true;
  if (packYearsAt(smoking, age, k) < p.minPackYears) return false;
  const quit = smoking.quitAge;
  return quit === undefined || quit > age || p.maxYearsSinceQuit === undefined || age - quit <= p.maxYearsSinceQuit;
}

function labValue(p: ScreeningProgram, rng: Rng, age: number, found: boolean): number | undefined {
  if (p.kind !== 'lab') return undefined;
  const l = p.lab;
  const raw = found
    ? rng.uniform(l.cancerMin, l.cancerMax)
    : l.normalMedian * (1 + l.normalPerYearOver55 * Math.max(0, age - 55)) * Math.exp(rng.normal(0, l.normalSdLog));
  const scale = 10 ** l.decimals;
  return Math.max(1 / scale, Math.round(raw * scale) / scale);
}

/**
 * Plans who is screened at which visit and which latent cancers a screen finds. `visits` are the
 * preventive visits in time order; `courses` the latent courses from planOnsets.
 */
export function planScreenings(
  rng: Rng,
  visits: readonly ScreeningVisit[],
  sex: AdministrativeSex,
  smoking: SmokingHistory,
  courses: readonly LatentCourse[],
  k: ScreeningKnowledge = loadScreening(),
): ScreeningPlan {
  const byKey = new Map(courses.map((c) => [c.module.key, c]));
  // Age at which each cancer reaches the chart: symptoms after the sojourn, unless screening comes first.
  const detectAt = new Map<string, number>();
  for (const c of courses) {
    const sojourn = k.sojournYears[c.module.key];
    if (sojourn !== undefined && c.onsetAge !== undefined) detectAt.set(c.module.key, c.onsetAge + rng.uniform(sojourn.min, sojourn.max));
  }
  const screenings: PlannedScreening[] = [];
  for (const p of k.programs) {
    const takesPart = rng.chance(p.participation);
    if (!takesPart || (p.sex !== undefined && p.sex !== sex)) continue;
    let last = -Infinity;
    for (const v of visits) {
      if (v.age < p.fromAge) continue;
      if (v.age >= p.toAge + 1) break;
      if (v.age - last < p.intervalYears - dueSlackYears(p.intervalYears)) continue;
      if (!smokingEligible(p, smoking, v.age, k)) continue;
      const target = p.detects === undefined ? undefined : byKey.get(p.detects);
      const known = p.detects === undefined ? undefined : detectAt.get(p.detects);
      // Once the cancer is in the chart, follow-up is surveillance, not screening.
      if (known !== undefined && known <= v.age) break;
      const found = target?.onsetAge !== undefined && target.onsetAge <= v.age && rng.chance(p.sensitivity ?? 0);
      const value = labValue(p, rng, v.age, found);
      last = v.age;
      // A test not yet in practice at the visit (availability.yaml: low-dose CT before 2013-12-31)
      // is not done and finds nothing; its draws are still taken, so later screens keep theirs.
      if (eraChoice(p.code, v.start) === undefined) continue;
      if (found) detectAt.set(p.detects!, v.age - ONE_MINUTE_YEARS);
      screenings.push({ program: p, visit: v, found, value });
      if (found) break;
    }
  }
  screenings.sort((a, b) => a.visit.start - b.visit.start);
  const out = courses.map((c): LatentCourse => {
    const detect = detectAt.get(c.module.key);
    if (detect === undefined || c.onsetAge === undefined) return c;
    // Remission is counted from diagnosis, so a cancer never remits before the chart knows of it.
    const remissionAge = c.remissionAge === undefined ? undefined : detect + (c.remissionAge - c.onsetAge);
    return { module: c.module, onsetAge: c.onsetAge, remissionAge, detectableAge: detect };
  });
  return { courses: out, screenings };
}

/**
 * The record items of the screenings done: procedures, and lab reports for lab screens. `encounterAt`
 * finds the visit's encounter by its start time.
 */
export function screeningRecords(
  screenings: readonly PlannedScreening[],
  encounterAt: (start: Instant) => Encounter | undefined,
  ids: IdAllocator,
): StepFragment<'screening'> {
  const procedures: ProcedureEntry[] = [];
  const labReports: LabReport[] = [];
  for (const s of screenings) {
    const e = encounterAt(s.visit.start);
    if (e === undefined) continue;
    const p = s.program;
    if (p.kind === 'lab') {
      const l = p.lab;
      labReports.push({
        id: ids.next(),
        code: p.code,
        encounterId: e.id,
        practitionerId: e.practitionerId,
        time: e.start + 10 * MS_PER_MINUTE,
        results: [{ id: ids.next(), code: p.code, value: s.value ?? l.normalMedian, unit: l.unit, low: l.low, high: l.high }],
      });
    } else {
      procedures.push({
        id: ids.next(),
        code: p.code,
        encounterId: e.id,
        practitionerId: e.practitionerId,
        start: e.start,
        end: e.end,
        reasonConditionId: undefined,
      });
    }
  }
  return { procedures, labReports };
}
