/** INR monitoring of warfarin as data (data/anticoagulation.yaml): how often, and the INR it finds. */
import { z } from 'zod';
import { loadKnowledgeFile, once } from './load.js';
import { CodingSchema } from './schemas.js';

const Range = z.tuple([z.number().nonnegative(), z.number().nonnegative()]).refine(([lo, hi]) => lo <= hi, 'range must be [low, high]');
const LogNormal = z.strictObject({ median: z.number().positive(), logSd: z.number().nonnegative() });

export const AnticoagulationSchema = z.strictObject({
  source: z.string().min(1),
  /** RxNorm codes of the vitamin K antagonists whose orders are monitored. */
  drugs: z.array(z.string().regex(/^\d+$/)).min(1),
  encounterType: CodingSchema,
  visitMinutes: Range,
  /** Days from the order to the first INR check [min, max]. */
  firstCheckAfterDays: Range,
  /** The first checks while the dose is found: how many, how far apart, and the INR they find. */
  initiation: z.strictObject({ checks: z.number().int().nonnegative(), everyDays: z.number().positive(), inr: LogNormal }),
  /** Days between maintenance checks [min, max]. */
  everyDays: Range,
  maintenance: LogNormal,
  bounds: z.strictObject({ min: z.number().positive(), max: z.number().positive() }),
});
export type Anticoagulation = z.infer<typeof AnticoagulationSchema>;

export const loadAnticoagulation = once(() => loadKnowledgeFile('anticoagulation.yaml', AnticoagulationSchema));
