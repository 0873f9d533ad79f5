/**
 * Latent disease onsets: when each condition module begins in this person's body, before anyone
 * diagnoses it. Hazard modules step through whole years of age with their own child stream;
 * measurement modules read the body's own noise-free trajectory, so a diagnosis made later from a
 * visit's reading agrees with the numbers in the record.
 */
import { onsetHazardAt, type ConditionModule, type RiskFactor } from '../knowledge/conditions.js';
import type { AdministrativeSex } from '../record/types.js';
import { bloodPressureAt, bmiAt, type Body } from './body.js';
import type { Rng } from '../core/random.js';
import type { SmokingHistory } from './smoking.js';

/** One module's latent course: onset and remission ages in fractional years, undefined when none. */
export interface LatentCourse {
  readonly module: ConditionModule;
  readonly onsetAge: number | undefined;
  readonly remissionAge: number | undefined;
  /** When the chart can first diagnose it (screening or symptoms), when later than onset. */
  readonly detectableAge?: number;
}

export interface OnsetInputs {
  readonly body: Body;
  readonly sex: AdministrativeSex;
  readonly smoking: SmokingHistory;
  /** Age at the end of the record (reference date or death). */
  readonly ageAtEnd: number;
}

/** BMI at each whole year of age (from 2), computed once per life for the hazard steps. */
function bmiByYear(body: Body, years: number): Float64Array {
  const out = new Float64Array(years + 1);
  for (let a = 2; a <= years; a++) out[a] = bmiAt(body, a);
  return out;
}

function factorActive(
  r: RiskFactor,
  age: number,
  inputs: OnsetInputs,
  bmi: Float64Array,
  onsets: ReadonlyMap<string, number | undefined>,
): boolean {
  switch (r.factor) {
    case 'obese':
      return age >= 18 && (bmi[Math.floor(age)] ?? 0) >= 30;
    case 'currentSmoker': {
      const s = inputs.smoking;
      return s.startAge !== undefined && age >= s.startAge && (s.quitAge === undefined || age < s.quitAge);
    }
    case 'formerSmoker':
      return inputs.smoking.quitAge !== undefined && age >= inputs.smoking.quitAge;
    case 'male':
      return inputs.sex === 'male';
    case 'female':
      return inputs.sex === 'female';
    default: {
      const onset = onsets.get(r.factor.slice(10));
      return onset !== undefined && onset <= age;
    }
  }
}

function measurementOnset(m: ConditionModule, inputs: OnsetInputs, bmi: Float64Array): number | undefined {
  if (m.onset.kind !== 'measurement') return undefined;
  const { fromAge, threshold, secondThreshold } = m.onset;
  // Quarter-year steps: fine enough for a visit cadence of a year or more, cheap enough for the hot path.
  for (let age = fromAge; age <= inputs.ageAtEnd; age += 0.25) {
    if (m.onset.measure === 'bmi') {
      if (bmiAt(inputs.body, age) >= threshold) return age;
    } else {
      const bp = bloodPressureAt(inputs.body, age, bmi[Math.floor(age)]);
      if (bp.systolic >= threshold || (secondThreshold !== undefined && bp.diastolic >= secondThreshold)) return age;
    }
  }
  return undefined;
}

/**
 * Draws every module's latent course, in dependency order. `forkFor(key)` must give each module
 * its own child stream, so adding a module never changes what the others draw.
 */
export function planOnsets(
  modules: readonly ConditionModule[],
  inputs: OnsetInputs,
  forkFor: (key: string) => Rng,
): LatentCourse[] {
  const years = Math.floor(inputs.ageAtEnd);
  const bmi = bmiByYear(inputs.body, Math.max(2, years + 1));
  const onsets = new Map<string, number | undefined>();
  const out: LatentCourse[] = [];
  for (const m of modules) {
    const rng = forkFor(m.key);
    let onsetAge: number | undefined;
    if (m.sex === undefined || m.sex === inputs.sex) {
      if (m.onset.kind === 'measurement') onsetAge = measurementOnset(m, inputs, bmi);
      else {
        const { riskFactors } = m.onset;
        for (let a = Math.ceil(m.onsetAgeFloor.age); a <= years; a++) {
          let h = onsetHazardAt(m, a);
          if (h <= 0) continue;
          for (const r of riskFactors) if (factorActive(r, a, inputs, bmi, onsets)) h *= r.multiplier;
          if (rng.next() < h) {
            const at = a + rng.next();
            if (at <= inputs.ageAtEnd) onsetAge = at;
            break;
          }
        }
      }
    }
    let remissionAge: number | undefined;
    if (onsetAge !== undefined && m.remission !== undefined) {
      const p = m.remission.annualProbability;
      for (let a = onsetAge + 1; a <= inputs.ageAtEnd; a += 1) {
        if (rng.next() < p) {
          remissionAge = a;
          break;
        }
      }
    }
    onsets.set(m.key, onsetAge);
    out.push({ module: m, onsetAge, remissionAge });
  }
  return out;
}

/** A latent course as seen by a record that ends at `ageAtEnd`: what happens later is dropped. */
export function truncateCourse(c: LatentCourse, ageAtEnd: number): LatentCourse {
  if (c.onsetAge === undefined || c.onsetAge > ageAtEnd) return c.onsetAge === undefined ? c : { ...c, onsetAge: undefined, remissionAge: undefined };
  if (c.remissionAge !== undefined && c.remissionAge > ageAtEnd) return { ...c, remissionAge: undefined };
  return c;
}
