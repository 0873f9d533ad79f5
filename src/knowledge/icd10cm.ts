/** SNOMED CT to ICD-10-CM, from data/icd10cm-map.yaml (the NLM map's default targets, source named there). */
import { z } from 'zod';
import { loadKnowledgeFile, once } from './load.js';

export const Icd10cmMapSchema = z.strictObject({
  source: z.string().min(1),
  map: z.record(
    z.string().regex(/^\d+$/),
    z.strictObject({ code: z.string().regex(/^[A-Z]\d[0-9A-Z](\.[0-9A-Z]{1,4})?$/), display: z.string().min(1) }),
  ),
});

export const loadIcd10cmMap = once(() => loadKnowledgeFile('icd10cm-map.yaml', Icd10cmMapSchema));

/** The ICD-10-CM target (code and display) of a SNOMED CT concept code, when the map has one. */
export function icd10cmFor(snomedCode: string): { readonly code: string; readonly display: string } | undefined {
  return loadIcd10cmMap().map[snomedCode];
}
