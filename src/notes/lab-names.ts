/**
 * How notes name lab results: a short label and the other names charts use ("Hemoglobin A1c",
 * "A1c", "HbA1c"), from `note-lab-names.yaml` by LOINC code, else read off the LOINC display, plus the
 * condition modules the result speaks to (an A1c belongs to the diabetes assessment).
 */
import { z } from 'zod';
import { loadKnowledgeFile, once } from '../knowledge/load.js';
import type { Coding } from '../record/types.js';

const LabNameSchema = z.strictObject({
  codes: z.array(z.string().min(1)).min(1),
  label: z.string().min(1),
  synonyms: z.array(z.string().min(1)),
  conditions: z.array(z.string().regex(/^[a-z0-9-]+$/)),
});
export const LabNamesFileSchema = z.strictObject({ labs: z.array(LabNameSchema) });
export type LabNamesFile = z.infer<typeof LabNamesFileSchema>;

export interface LabName {
  readonly label: string;
  readonly synonyms: readonly string[];
  /** Condition module keys whose assessment this result belongs to. */
  readonly conditions: readonly string[];
}

const byCode = once(() => {
  const file = loadKnowledgeFile('note-lab-names.yaml', LabNamesFileSchema);
  const map = new Map<string, LabName>();
  for (const lab of file.labs) for (const code of lab.codes) map.set(code, lab);
  return map;
});

/** Every lab name the knowledge file lists (for the grounding vocabulary and tests). */
export function knownLabNames(): readonly LabName[] {
  return [...new Set(byCode().values())];
}

/** The chart name of a LOINC-coded result. */
export function labName(code: Coding): LabName {
  return byCode().get(code.code) ?? { label: labelFromLoinc(code.display), synonyms: [], conditions: [] };
}

/** "Creatinine [Mass/volume] in Serum or Plasma" -> "Creatinine"; urine tests keep their specimen. */
export function labelFromLoinc(display: string): string {
  const urine = /\bin Urine\b/i.test(display);
  let text = display.replace(/\s*\[[^\]]*\]/g, '').replace(/\s+(?:in|by|from|--)\s.*$/i, '').trim();
  const slash = text.indexOf('/');
  if (slash > 2) text = text.slice(0, slash).trim();
  if (text === '') text = display.trim();
  return urine && !/urine/i.test(text) ? `Urine ${text.charAt(0).toLowerCase()}${text.slice(1)}` : text;
}
