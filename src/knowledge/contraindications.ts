/** Drugs a lab value rules out, from data/contraindications.yaml (metformin below eGFR 30). */
import { z } from 'zod';
import { loadKnowledgeFile, once } from './load.js';

export const ContraindicationsSchema = z.strictObject({
  source: z.string().min(1),
  rules: z.array(
    z.strictObject({
      drug: z.string().regex(/^\d+$/),
      name: z.string().min(1),
      lab: z.string().min(1),
      below: z.number(),
      reason: z.string().min(1),
    }),
  ),
  /**
   * Drugs never given together: starting `drug` stops every active order of an ingredient in
   * `notWith` (dosing.yaml names), and none of them is started while it runs.
   */
  combinations: z.array(
    z.strictObject({
      drug: z.string().regex(/^\d+$/),
      name: z.string().min(1),
      notWith: z.array(z.string().min(1)).min(1),
      reason: z.string().min(1),
    }),
  ),
});
export type Contraindications = z.infer<typeof ContraindicationsSchema>;
export type Contraindication = Contraindications['rules'][number];

export const loadContraindications = once(() => loadKnowledgeFile('contraindications.yaml', ContraindicationsSchema));
