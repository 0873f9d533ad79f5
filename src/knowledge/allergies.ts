import { z } from 'zod';
import { loadKnowledgeFile, once } from './load.js';
import { CodingSchema, ShareSchema } from './schemas.js';

export const AllergyKindSchema = z.strictObject({
  key: z.string().min(1),
  /** The name clinicians write ("Penicillin", "Peanuts"); codes' displays are often longer. */
  name: z.string().min(1),
  code: CodingSchema,
  category: z.enum(['food', 'medication', 'environment', 'biologic']),
  type: z.enum(['allergy', 'intolerance']),
  criticality: z.enum(['low', 'high', 'unable-to-assess']),
  prevalence: ShareSchema,
  onsetAgeYears: z.tuple([z.number().min(0), z.number().min(0)]),
  childhoodResolves: ShareSchema,
  reactions: z
    .array(z.strictObject({ code: CodingSchema, weight: z.number().positive(), severity: z.enum(['mild', 'moderate', 'severe']) }))
    .min(1),
});
export type AllergyKind = z.infer<typeof AllergyKindSchema>;

export const AllergiesSchema = z.strictObject({
  sources: z.array(z.string()),
  noKnownAllergy: CodingSchema,
  allergies: z.array(AllergyKindSchema).min(1),
});

export const loadAllergies = once(() => loadKnowledgeFile('allergies.json', AllergiesSchema));
