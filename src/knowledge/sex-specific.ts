import { z } from 'zod';
import { loadKnowledgeFile, once } from './load.js';
import { CodingSchema } from './schemas.js';

/** One family of codes that fit only one administrative gender (e.g. prostate disease and PSA). */
export const SexSpecificRuleSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  onlyFor: z.enum(['male', 'female']),
  label: z.string().min(1),
  codes: z.array(CodingSchema).min(1),
});

export const SexSpecificFileSchema = z.strictObject({
  note: z.string().min(1),
  rules: z.array(SexSpecificRuleSchema).min(1),
});

export type SexSpecificRule = z.infer<typeof SexSpecificRuleSchema>;

/** The sex-specific code lists of `data/sex-specific.json`, validated once per process. */
export const loadSexSpecificRules = once((): readonly SexSpecificRule[] => loadKnowledgeFile('sex-specific.json', SexSpecificFileSchema).rules);
