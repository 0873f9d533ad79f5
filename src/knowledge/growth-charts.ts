import { z } from 'zod';
import { loadKnowledgeFile, once } from './load.js';

const LmsRow = z.tuple([z.number(), z.number(), z.number().positive(), z.number().positive()]);
const Chart = z.strictObject({
  x: z.enum(['ageMonths', 'lengthCm']),
  unit: z.string(),
  male: z.array(LmsRow).min(2),
  female: z.array(LmsRow).min(2),
});

const Quadratic = z.tuple([z.number(), z.number(), z.number()]);

export const GrowthChartsSchema = z.strictObject({
  source: z.string(),
  /** The scale of BMI above the 95th percentile, by sex, as a quadratic in age (years). */
  extendedBmiForAge: z.strictObject({ source: z.string(), sigma: z.strictObject({ male: Quadratic, female: Quadratic }) }),
  charts: z.strictObject({
    weightForAgeInfant: Chart,
    lengthForAgeInfant: Chart,
    // Optional so that a trimmed knowledge set still loads; the measures that need them are then skipped.
    headCircumferenceForAgeInfant: Chart.optional(),
    weightForLengthInfant: Chart.optional(),
    statureForAge: Chart,
    weightForAge: Chart,
    bmiForAge: Chart,
  }),
});
export type GrowthCharts = z.infer<typeof GrowthChartsSchema>;
export type GrowthChart = GrowthCharts['charts']['bmiForAge'];
export type ChartName = keyof GrowthCharts['charts'];

export const loadGrowthCharts = once(() => loadKnowledgeFile('growth-charts.json', GrowthChartsSchema));
