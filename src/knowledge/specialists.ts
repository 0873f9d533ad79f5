/** The specialists every hospital staffs, from data/specialists.yaml (NUCC taxonomy codes). */
import { z } from 'zod';
import { loadKnowledgeFile, once } from './load.js';

const TaxonomySchema = z.strictObject({ code: z.string().regex(/^[0-9]{3}[0-9A-Z]{6}X$/), display: z.string().min(1) });

export const SpecialistsSchema = z.strictObject({
  source: z.string().min(1),
  /** Every site's staff physicians, by role. */
  staff: z.strictObject({ pediatrics: TaxonomySchema, family: TaxonomySchema, internal: TaxonomySchema, emergency: TaxonomySchema, hospitalist: TaxonomySchema }),
  specialists: z.record(z.string().regex(/^[a-z][a-z-]*$/), TaxonomySchema),
});
export type Specialists = z.infer<typeof SpecialistsSchema>;

/** The specialties, keyed by the name the pathways refer to them by. */
export const loadSpecialists = once(() => loadKnowledgeFile('specialists.yaml', SpecialistsSchema));
