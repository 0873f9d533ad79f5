import { z } from 'zod';
import { loadKnowledgeFile, once } from './load.js';
import { ShareSchema } from './schemas.js';

const IsoDateText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const VaccineSchema = z.strictObject({
  key: z.string().min(1),
  cvx: z.string().regex(/^\d{1,3}$/),
  display: z.string().min(1),
  routineFrom: IsoDateText,
  routineUntil: IsoDateText.nullable(),
  coverage: ShareSchema,
  series: z.array(z.strictObject({ ageDays: z.number().int().nonnegative(), windowDays: z.number().int().nonnegative() })),
  recurring: z
    .strictObject({
      startAgeDays: z.number().int().nonnegative(),
      intervalDays: z.number().int().positive(),
      endAgeDays: z.number().int().positive().nullable(),
      seasonal: z.boolean(),
    })
    .nullable(),
});
export type Vaccine = z.infer<typeof VaccineSchema>;

export const ImmunizationsSchema = z.strictObject({
  sources: z.array(z.string()),
  vaccines: z.array(VaccineSchema).min(1),
});

export const loadImmunizations = once(() => loadKnowledgeFile('immunizations.json', ImmunizationsSchema));
