/** Practitioner careers (data/careers.yaml): the ages a physician starts and stops practising. */
import { z } from 'zod';
import { loadKnowledgeFile, once } from './load.js';

const Range = z.strictObject({ min: z.number(), max: z.number() }).refine((r) => r.min <= r.max, 'min above max');
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');

export const CareersSchema = z.strictObject({
  source: z.string().min(1),
  startAge: Range,
  retireAge: Range,
  handoverMonths: Range,
  horizon: z.strictObject({ from: IsoDate, until: IsoDate }),
});
export type Careers = z.infer<typeof CareersSchema>;

export const loadCareers = once(() => loadKnowledgeFile('careers.yaml', CareersSchema));
