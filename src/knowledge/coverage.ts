/** Who pays, by age (data/coverage.yaml): Medicare from 65, below it Medicaid, commercial or none, with their shares. */
import { z } from 'zod';
import { loadKnowledgeFile, once } from './load.js';
import { CodingSchema, ShareSchema } from './schemas.js';

const PayerSchema = z.strictObject({ name: z.string().min(1), type: CodingSchema, plan: z.string().min(1) });

export const CoverageDataSchema = z.strictObject({
  source: z.string().min(1),
  medicareFromAge: z.number().int().positive(),
  /** Under-65 age bands (ascending `untilAge`, exclusive); the rest of each band is commercially insured. */
  bands: z
    .array(z.strictObject({ untilAge: z.number().positive(), medicaid: ShareSchema, uninsured: ShareSchema }).refine((b) => b.medicaid + b.uninsured <= 1, 'shares exceed 1'))
    .min(1),
  payers: z.strictObject({ medicare: PayerSchema, medicaid: PayerSchema, commercial: PayerSchema }),
});
export type CoverageData = z.infer<typeof CoverageDataSchema>;
export type PayerKind = keyof CoverageData['payers'];

export const loadCoverage = once(() => loadKnowledgeFile('coverage.yaml', CoverageDataSchema));

/** The payer of a patient aged `age`, from a uniform draw `u` in [0, 1): undefined when uninsured. */
export function payerFor(age: number, u: number, data: CoverageData = loadCoverage()): PayerKind | undefined {
  if (age >= data.medicareFromAge) return 'medicare';
  const band = data.bands.find((b) => age < b.untilAge) ?? data.bands.at(-1)!;
  if (u < band.medicaid) return 'medicaid';
  if (u < band.medicaid + band.uninsured) return undefined;
  return 'commercial';
}
