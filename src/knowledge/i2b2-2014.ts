/** The i2b2/UTHealth 2014 de-identification corpus's size, from data/i2b2-2014-deid.yaml (with its source). */
import { z } from 'zod';
import { loadKnowledgeFile, once } from './load.js';

const SplitSchema = z.strictObject({
  patients: z.number().int().positive(),
  records: z.number().int().positive(),
  /** PHI annotations. */
  annotations: z.number().int().positive(),
});

export const I2b2DeidCorpusSchema = z.strictObject({
  source: z.string().min(1),
  splits: z.strictObject({ training: SplitSchema, evaluation: SplitSchema }),
});
export type I2b2DeidCorpus = z.infer<typeof I2b2DeidCorpusSchema>;

export const loadI2b2DeidCorpus = once(() => loadKnowledgeFile('i2b2-2014-deid.yaml', I2b2DeidCorpusSchema));
