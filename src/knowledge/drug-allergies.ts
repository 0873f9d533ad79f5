/** Allergy–drug conflicts, from data/drug-allergies.yaml: what each allergy rules out and what replaces it. */
import { z } from 'zod';
import { loadKnowledgeFile, once } from './load.js';
import { CodingSchema } from './schemas.js';

export const DrugAllergiesSchema = z.strictObject({
  source: z.string().min(1),
  allergens: z.record(
    z.string().regex(/^\d+$/),
    z.strictObject({
      name: z.string().min(1),
      drugs: z.array(z.string().regex(/^\d+$/)).min(1),
      instead: CodingSchema,
      /** The replacement of one long-term drug (by RxNorm code) that keeps its purpose (clopidogrel for aspirin). */
      alternatives: z.record(z.string().regex(/^\d+$/), CodingSchema).optional(),
    }),
  ),
});
export type DrugAllergies = z.infer<typeof DrugAllergiesSchema>;

export const loadDrugAllergies = once(() => loadKnowledgeFile('drug-allergies.yaml', DrugAllergiesSchema));

/** An allergy as the order check sees it: its substance and when it was present. */
export interface KnownAllergy {
  readonly code: string;
  readonly onset: number;
  readonly resolved: number | undefined;
}

/** The allergen (SNOMED code) among `allergies` that rules out `rxnorm` at `at`, if any. */
export function conflictingAllergen(rxnorm: string, allergies: readonly KnownAllergy[], at: number, data: DrugAllergies = loadDrugAllergies()): string | undefined {
  for (const a of allergies) {
    if (a.onset > at || (a.resolved !== undefined && a.resolved <= at)) continue;
    if (data.allergens[a.code]?.drugs.includes(rxnorm)) return a.code;
  }
  return undefined;
}

/**
 * The drug a long-term order becomes for a patient allergic to it: the allergen's alternative for
 * that drug (clopidogrel for aspirin), or undefined when the data names none (the order is skipped).
 */
export function allergyAlternative(rxnorm: string, allergen: string, data: DrugAllergies = loadDrugAllergies()): z.infer<typeof CodingSchema> | undefined {
  return data.allergens[allergen]?.alternatives?.[rxnorm];
}
