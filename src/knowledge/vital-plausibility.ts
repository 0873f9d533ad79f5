import { z } from 'zod';
import { loadKnowledgeFile, once } from './load.js';

const Range = z.tuple([z.number(), z.number()]).refine(([lo, hi]) => lo < hi, 'a range is [low, high] with low < high');
/** Rows `[fromAge, min, max]`, ages ascending; a row holds from its age until the next row's. */
const ByAge = z
  .array(z.tuple([z.number().min(0), z.number(), z.number()]))
  .min(1)
  .refine((rows) => rows.every((r, i) => r[1] < r[2] && (i === 0 || rows[i - 1]![0] < r[0])), 'rows are [fromAge, min, max], ages ascending, min < max');

export const VitalPlausibilitySchema = z.strictObject({
  source: z.string(),
  /** Modified z-score ranges on the CDC charts (CDC biologically implausible value flags). */
  growthFlags: z.strictObject({
    weightForAge: Range,
    heightForAge: Range,
    bmiForAge: Range,
    weightForLength: Range,
    headCircumference: Range,
  }),
  adultFromAge: z.number(),
  adult: z.strictObject({ heightCm: Range, weightKg: Range, bmi: Range }),
  byAge: z.strictObject({
    heartRate: ByAge,
    respiratoryRate: ByAge,
    systolic: ByAge,
    diastolic: ByAge,
    temperatureC: ByAge,
    spo2: ByAge,
  }),
  minimumPulsePressure: z.number(),
  /** How far a recorded BMI may sit from weight / height² of the same visit (rounding). */
  bmiTolerance: z.number().positive(),
  /** How far a recorded growth percentile may sit from the one its measurement gives (percentile points). */
  percentileTolerance: z.number().positive(),
});
export type VitalPlausibility = z.infer<typeof VitalPlausibilitySchema>;
export type AgeLimit = keyof VitalPlausibility['byAge'];

export const loadVitalPlausibility = once(() => loadKnowledgeFile('vital-plausibility.json', VitalPlausibilitySchema));

/** The [min, max] a vital sign may take at an age (years). */
export function limitsAt(knowledge: VitalPlausibility, kind: AgeLimit, age: number): readonly [number, number] {
  const rows = knowledge.byAge[kind];
  let row = rows[0]!;
  for (const r of rows) if (r[0] <= age) row = r;
  return [row[1], row[2]];
}
