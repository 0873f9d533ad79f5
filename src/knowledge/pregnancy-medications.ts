/**
 * Medicines in pregnancy as data (data/pregnancy-medications.yaml): the drugs a pregnancy rules out,
 * stopped at the first prenatal visit; what replaces them for the condition they treated (labetalol
 * for chronic hypertension, insulin for type 2 diabetes); and how long after the pregnancy ends the
 * prior therapy resumes.
 */
import { z } from 'zod';
import { loadKnowledgeFile, once } from './load.js';
import { CodingSchema } from './schemas.js';

export const PregnancyMedicationsSchema = z
  .strictObject({
    source: z.string().min(1),
    drugs: z
      .array(
        z.strictObject({
          /** RxNorm code as the condition modules order it. */
          drug: z.string().regex(/^\d+$/),
          name: z.string().min(1),
          class: z.string().min(1),
          /** contraindicated: fetal harm on the label (the check flags it in a pregnancy); not-preferred: replaced by the guideline's agent. */
          kind: z.enum(['contraindicated', 'not-preferred']),
          /** The order's status reason when it is stopped for the pregnancy. */
          reason: z.string().min(1),
        }),
      )
      .min(1),
    replacements: z.array(
      z.strictObject({
        /** Condition module key (conditions/*.yaml). */
        condition: z.string().min(1),
        medication: CodingSchema,
        /** Share of pregnancies given this agent when the condition lists more than one (they sum to 1). */
        share: z.number().positive().max(1).optional(),
        /** The replacement's status reason when the prior therapy resumes. */
        reason: z.string().min(1),
        source: z.string().min(1),
      }),
    ),
    resumeAfterDays: z.strictObject({ birth: z.number().nonnegative(), loss: z.number().nonnegative() }),
  })
  .superRefine((k, ctx) => {
    const seen = new Set<string>();
    k.drugs.forEach((d, i) => {
      if (seen.has(d.drug)) ctx.addIssue({ code: 'custom', path: ['drugs', i, 'drug'], message: `${d.drug} is listed twice` });
      seen.add(d.drug);
    });
    k.replacements.forEach((r, i) => {
      if (seen.has(r.medication.code)) ctx.addIssue({ code: 'custom', path: ['replacements', i, 'medication'], message: `${r.medication.code} replaces a drug and is itself stopped for pregnancy` });
    });
    for (const condition of new Set(k.replacements.map((r) => r.condition))) {
      const options = k.replacements.filter((r) => r.condition === condition);
      const total = options.reduce((a, r) => a + (r.share ?? 0), 0);
      if (options.length > 1 && Math.abs(total - 1) > 1e-9) ctx.addIssue({ code: 'custom', path: ['replacements'], message: `${condition}: the shares of its ${options.length} agents sum to ${total}, not 1` });
    }
  });
export type PregnancyMedications = z.infer<typeof PregnancyMedicationsSchema>;
export type PregnancyDrug = PregnancyMedications['drugs'][number];

export function loadPregnancyMedicationsFile(name = 'pregnancy-medications.yaml', dir?: URL): PregnancyMedications {
  return loadKnowledgeFile(name, PregnancyMedicationsSchema, dir);
}

export const loadPregnancyMedications = once(() => loadPregnancyMedicationsFile());
