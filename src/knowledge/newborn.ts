/**
 * The newborn as its mother's delivery record charts it (data/newborn.yaml): sex ratio at birth,
 * birth weight by sex and gestational week, Apgar scores, and the LOINC and SNOMED CT codes.
 */
import { z } from 'zod';
import { loadKnowledgeFile, once } from './load.js';
import { CodingSchema, CurveSchema, interpolate, ShareSchema } from './schemas.js';

/** Weights of the scores 0..10. */
const ApgarWeightsSchema = z.array(z.number().nonnegative()).length(11);
/** Weights of the one-minute score lying 0, 1, ... points below the five-minute one. */
const DropWeightsSchema = z.array(z.number().nonnegative()).min(1).max(11);

export const NewbornKnowledgeSchema = z
  .strictObject({
    source: z.string().min(1),
    maleShare: ShareSchema,
    weightByWeek: z.strictObject({ male: CurveSchema, female: CurveSchema }),
    weightCv: CurveSchema,
    weightRatio: z.strictObject({ min: z.number().positive(), max: z.number().positive() }),
    apgar5: z.strictObject({ term: ApgarWeightsSchema, preterm: ApgarWeightsSchema }),
    apgar1Drop: z.strictObject({ term: DropWeightsSchema, preterm: DropWeightsSchema }),
    codes: z.strictObject({
      gestationalAge: CodingSchema,
      birthWeight: CodingSchema,
      apgar1: CodingSchema,
      apgar5: CodingSchema,
      sex: CodingSchema,
      male: CodingSchema,
      female: CodingSchema,
    }),
  })
  .superRefine((k, ctx) => {
    if (k.weightRatio.min >= 1 || k.weightRatio.max <= 1) ctx.addIssue({ code: 'custom', path: ['weightRatio'], message: 'the bounds must bracket the median' });
    for (const sex of ['male', 'female'] as const) {
      const curve = k.weightByWeek[sex];
      if (curve.some((p, i) => i > 0 && p[1] <= curve[i - 1]![1])) ctx.addIssue({ code: 'custom', path: ['weightByWeek', sex], message: 'median weight must rise with week' });
    }
    for (const group of ['term', 'preterm'] as const) {
      if (!k.apgar5[group].some((w) => w > 0)) ctx.addIssue({ code: 'custom', path: ['apgar5', group], message: 'needs a positive weight' });
      if (!k.apgar1Drop[group].some((w) => w > 0)) ctx.addIssue({ code: 'custom', path: ['apgar1Drop', group], message: 'needs a positive weight' });
    }
  });
export type NewbornKnowledge = z.infer<typeof NewbornKnowledgeSchema>;

/** The median birth weight (grams) of a baby of `sex` born at `weeks`. */
export function medianBirthWeight(k: NewbornKnowledge, sex: 'male' | 'female', weeks: number): number {
  return interpolate(k.weightByWeek[sex], weeks);
}

/** The weights a baby of `sex` born at `weeks` plausibly has, in grams. */
export function plausibleBirthWeight(k: NewbornKnowledge, sex: 'male' | 'female', weeks: number): { readonly min: number; readonly max: number } {
  const median = medianBirthWeight(k, sex, weeks);
  return { min: Math.round(median * k.weightRatio.min), max: Math.round(median * k.weightRatio.max) };
}

export function loadNewbornFile(name = 'newborn.yaml', dir?: URL): NewbornKnowledge {
  return loadKnowledgeFile(name, NewbornKnowledgeSchema, dir);
}

export const loadNewborn = once(() => loadNewbornFile());
