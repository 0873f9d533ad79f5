/**
 * The one lab-value evaluator: how a lab value described by the knowledge (labs.ts
 * `LabDistributionSchema` / `LabDrawSchema`) is drawn, and how a result is reported (labs.json's
 * code, unit, decimals and reference interval for the subject). The clinic's personal physiology
 * (lab-values.ts), acute episodes (episodes.ts), prenatal labs (pregnancy.ts) and ward stays
 * (ward.ts, clinical-course.ts) all draw and report through here, so a lab in an acute stay or a
 * pregnancy is drawn and interpreted by the same code as a clinic lab.
 */
import type { Rng } from '../core/random.js';
import { loadLabs, referenceRange, type DrawState, type LabDistribution, type LabDraw, type LabKey } from '../knowledge/labs.js';
import type { AdministrativeSex, LabResult } from '../record/types.js';
import type { IdAllocator } from './ids.js';

/**
 * The one evaluator of a drawn lab value, whatever file describes it (labs.json's chemistry and
 * blood count, an acute episode's emergency count, a prenatal panel, a delivery stay): normal(mean,
 * sd) from the state's distribution when the lab has one for `state`, else its own, held to [min,
 * max]. One normal draw from `rng`, whatever the bounds, so a bound changes no later draw.
 */
export function drawLabValue(d: LabDistribution, rng: Rng, state?: DrawState): number {
  const s = (state === undefined ? undefined : d.states?.[state]) ?? d;
  let value = rng.normal(s.mean, s.sd);
  if (s.min !== undefined) value = Math.max(s.min, value);
  if (s.max !== undefined) value = Math.min(s.max, value);
  return value;
}

/**
 * The values of a blood count whose hematocrit follows its hemoglobin (a prenatal or delivery CBC):
 * the hemoglobin drawn and rounded first, the hematocrit at the ratio of the two labs' means plus
 * `hematocritSd` of noise, every other lab drawn on its own; in the order of `results`. Drawn
 * independently, a hemoglobin of 10.5 g/dL could come with a hematocrit of 40% (ratio 3.8), which
 * no analyzer reports (hematocrit is about three times hemoglobin: MCHC 32-36 g/dL).
 */
export function drawLinkedCbc(results: readonly LabDraw[], rng: Rng, hematocritSd: number): number[] {
  const hgb = results.find((r) => r.lab === 'hemoglobin');
  const hct = results.find((r) => r.lab === 'hematocrit');
  if (hgb === undefined || hct === undefined) return results.map((r) => drawLabValue(r, rng));
  const hemoglobin = roundLab('hemoglobin', drawLabValue(hgb, rng));
  const ratio = hct.mean / hgb.mean;
  return results.map((r) => (r === hgb ? hemoglobin : r === hct ? hemoglobin * ratio + rng.normal(0, hematocritSd) : drawLabValue(r, rng)));
}

/** A value rounded to the decimals its lab reports. */
export function roundLab(key: LabKey, value: number): number {
  const scale = 10 ** loadLabs().labs[key].decimals;
  return Math.round(value * scale) / scale;
}

/** Whose result it is: the sex picks the reference interval, and pregnancy its pregnancy interval where the lab has one. */
export interface LabSubject {
  readonly sex: AdministrativeSex;
  readonly pregnant?: boolean;
}

/**
 * A result as every lab reports it: its labs.json entry's code (or `code`, e.g. the eGFR of the
 * day's equation), unit and reference interval for the subject, the value rounded to its decimals.
 */
export function labResult(key: LabKey, raw: number, ids: IdAllocator, subject: LabSubject, code = loadLabs().labs[key].code): LabResult {
  const lab = loadLabs().labs[key];
  const range = referenceRange(lab, subject.sex, subject.pregnant === true);
  return { id: ids.next(), code, value: roundLab(key, raw), unit: lab.unit, low: range.low, high: range.high };
}

/**
 * A result moved by a shift (a stay's illness), floored at `floor` and rounded again to its lab's
 * decimals; unchanged when the shift is 0 or the result's lab has none.
 */
export function shiftLabResult(r: LabResult, key: LabKey | undefined, by: number | undefined, floor: number): LabResult {
  if (key === undefined || by === undefined || by === 0) return r;
  return { ...r, value: roundLab(key, Math.max(floor, r.value + by)) };
}
