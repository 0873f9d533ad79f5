/** Background mortality from the US life table: yearly death probabilities and survival curves. */
import { loadLifeTable } from '../knowledge/population.js';
import { once } from '../knowledge/load.js';
import type { Curve } from '../knowledge/schemas.js';
import type { AdministrativeSex } from '../record/types.js';
import type { Rng } from '../core/random.js';

/** Oldest age simulated; everyone still alive dies in the year after. */
export const MAX_AGE = 110;

export interface LifeTable {
  /** qx[a]: probability of dying between exact ages a and a+1. */
  readonly qx: Float64Array;
  /** survival[a]: probability of reaching exact age a. */
  readonly survival: Float64Array;
}

function logLinear(curve: Curve, age: number): number {
  const first = curve[0]!;
  if (age <= first[0]) return first[1];
  for (let i = 1; i < curve.length; i++) {
    const [x1, y1] = curve[i]!;
    if (age <= x1) {
      const [x0, y0] = curve[i - 1]!;
      const t = (age - x0) / (x1 - x0);
      return Math.exp(Math.log(y0) + t * (Math.log(y1) - Math.log(y0)));
    }
  }
  return curve[curve.length - 1]![1];
}

function build(curve: Curve): LifeTable {
  const qx = new Float64Array(MAX_AGE + 1);
  const survival = new Float64Array(MAX_AGE + 2);
  survival[0] = 1;
  for (let a = 0; a <= MAX_AGE; a++) {
    qx[a] = a === MAX_AGE ? 1 : Math.min(1, logLinear(curve, a));
    survival[a + 1] = survival[a]! * (1 - qx[a]!);
  }
  return { qx, survival };
}

export const lifeTables = once((): Readonly<Record<AdministrativeSex, LifeTable>> => {
  const table = loadLifeTable();
  return { male: build(table.male), female: build(table.female) };
});

/** Probability of surviving from birth to an exact (fractional) age. */
export function survivalTo(sex: AdministrativeSex, age: number): number {
  const { survival, qx } = lifeTables()[sex];
  const whole = Math.min(MAX_AGE, Math.floor(age));
  const frac = age - whole;
  // Deaths within a year of age are spread evenly (the life table's usual assumption).
  return survival[whole]! * (1 - frac * qx[whole]!);
}

/** Age at death in fractional years, drawn from the life table. */
export function sampleDeathAge(rng: Rng, sex: AdministrativeSex): number {
  const { qx } = lifeTables()[sex];
  for (let a = 0; a <= MAX_AGE; a++) {
    if (rng.next() < qx[a]!) return a + rng.next();
  }
  return MAX_AGE + rng.next();
}
