/**
 * Who the patients are: age and sex at the reference date (US Census 2020 structure among the
 * living), state, race and ethnicity, language and marital status.
 */
import { loadCensusAgeSex, loadRaceEthnicity, loadStates, type State } from '../knowledge/population.js';
import { once } from '../knowledge/load.js';
import type { AdministrativeSex, Coding } from '../record/types.js';
import { SYSTEMS } from '../record/types.js';
import { survivalTo } from './mortality.js';
import type { Rng } from '../core/random.js';

/** Living population by single year of age and sex, from the census bands (spread evenly within a band). */
const populationByAge = once((): Readonly<Record<AdministrativeSex, Float64Array>> => {
  const bands = loadCensusAgeSex().bands;
  const maxAge = Math.max(...bands.map((b) => b.maxAge));
  const male = new Float64Array(maxAge + 1);
  const female = new Float64Array(maxAge + 1);
  for (const band of bands) {
    const years = band.maxAge - band.minAge + 1;
    if (band.maxAge > band.minAge + 10) {
      // The open-ended top band: share it out in proportion to survival, so that 100-year-olds are rare.
      for (const [sex, out, total] of [['male', male, band.male], ['female', female, band.female]] as const) {
        let weight = 0;
        for (let a = band.minAge; a <= band.maxAge; a++) weight += survivalTo(sex, a + 0.5);
        for (let a = band.minAge; a <= band.maxAge; a++) out[a] = (total * survivalTo(sex, a + 0.5)) / weight;
      }
    } else {
      for (let a = band.minAge; a <= band.maxAge; a++) {
        male[a] = band.male / years;
        female[a] = band.female / years;
      }
    }
  }
  return { male, female };
});

export interface BirthDraw {
  readonly sex: AdministrativeSex;
  /** Age at the reference date in fractional years, had the person lived. */
  readonly ageAtReference: number;
}

export interface AgeSexFilter {
  readonly age: { readonly min: number; readonly max: number } | undefined;
  readonly gender: AdministrativeSex | undefined;
}

interface BirthSampler {
  readonly weights: Float64Array;
  readonly total: number;
  readonly ages: Int32Array;
  readonly sexes: AdministrativeSex[];
}

const samplers = new Map<string, BirthSampler>();

/**
 * Draws who is born: weights are census(age, sex) / survival(age, sex), so that among those whose
 * simulated life reaches the reference date, age and sex follow the census; the others become the
 * cohort's deceased patients.
 */
export function sampleBirth(rng: Rng, filter: AgeSexFilter): BirthDraw {
  const cacheKey = `${filter.age?.min ?? ''}-${filter.age?.max ?? ''}-${filter.gender ?? ''}`;
  let sampler = samplers.get(cacheKey);
  if (sampler === undefined) {
    const pop = populationByAge();
    const weights: number[] = [];
    const ages: number[] = [];
    const sexes: AdministrativeSex[] = [];
    for (const sex of ['female', 'male'] as const) {
      if (filter.gender !== undefined && filter.gender !== sex) continue;
      const counts = pop[sex];
      for (let a = 0; a < counts.length; a++) {
        if (filter.age !== undefined && (a < filter.age.min || a > filter.age.max)) continue;
        weights.push(counts[a]! / survivalTo(sex, a + 0.5));
        ages.push(a);
        sexes.push(sex);
      }
    }
    const w = Float64Array.from(weights);
    sampler = { weights: w, total: w.reduce((s, x) => s + x, 0), ages: Int32Array.from(ages), sexes };
    samplers.set(cacheKey, sampler);
  }
  if (sampler.total <= 0) throw new RangeError('no ages to sample from');
  const i = rng.weightedIndex(sampler.weights, sampler.total);
  return { sex: sampler.sexes[i]!, ageAtReference: sampler.ages[i]! + rng.next() };
}

const stateWeights = once(() => {
  const states = loadStates();
  return { states, weights: states.map((s) => s.population) };
});

/** A US state: the one asked for, or census-weighted. */
export function sampleState(rng: Rng, only: string | undefined): State {
  const { states, weights } = stateWeights();
  if (only !== undefined) {
    const state = states.find((s) => s.code === only);
    if (state === undefined) throw new RangeError(`unknown state ${only}`);
    return state;
  }
  return states[rng.weightedIndex(weights)]!;
}

export interface RaceEthnicityDraw {
  readonly ethnicity: { readonly omb: Coding; readonly text: string };
  readonly race: { readonly omb: Coding | undefined; readonly text: string };
  readonly hispanic: boolean;
  readonly asian: boolean;
}

export function sampleRaceEthnicity(rng: Rng): RaceEthnicityDraw {
  const data = loadRaceEthnicity();
  const eth = data.ethnicity[rng.weightedIndex(data.ethnicity.map((e) => e.share))]!;
  const races = data.raceByEthnicity[eth.key];
  const race = races[rng.weightedIndex(races.map((r) => r.share))]!;
  return {
    ethnicity: { omb: { system: SYSTEMS.raceEthnicity, code: eth.code, display: eth.display }, text: eth.display },
    race: {
      omb: race.code === null ? undefined : { system: SYSTEMS.raceEthnicity, code: race.code, display: race.display },
      text: race.display,
    },
    hispanic: eth.key === 'hispanic',
    asian: race.code === '2028-9',
  };
}

export function sampleLanguage(rng: Rng, who: RaceEthnicityDraw): Coding {
  const langs = loadRaceEthnicity().languages;
  const options = who.hispanic ? langs.hispanic : who.asian ? langs.asian : langs.other;
  const lang = options[rng.weightedIndex(options.map((l) => l.share))]!;
  return { system: SYSTEMS.bcp47, code: lang.code, display: lang.display };
}

/** Marital status at an age, or undefined for children. */
export function sampleMaritalStatus(rng: Rng, age: number): Coding | undefined {
  const data = loadRaceEthnicity().maritalStatus;
  const band = data.byAge.find((b) => age >= b.minAge && age <= b.maxAge);
  if (band === undefined) return undefined;
  const codes = Object.keys(band.shares).sort();
  const code = codes[rng.weightedIndex(codes.map((c) => band.shares[c]!))]!;
  return { system: SYSTEMS.maritalStatus, code, display: data.codes[code] ?? code };
}
