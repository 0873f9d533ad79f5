/**
 * Which evidence an assessment cites per chronic problem (`data/assessment-evidence.yaml`): blood
 * pressure for hypertension, A1c for diabetes, eGFR and potassium for CKD, LDL for hyperlipidemia,
 * TSH for hypothyroidism, with the goal each is judged against and its source.
 */
import { z } from 'zod';
import { loadKnowledgeFile, once } from './load.js';

const EvidenceSchema = z.strictObject({
  match: z.string().min(1),
  vitals: z.array(z.string().regex(/^vital\./)).default([]),
  labs: z.array(z.string().regex(/^\d+-\d$/)).default([]),
  goal: z.union([z.strictObject({ systolic: z.number(), diastolic: z.number() }), z.strictObject({ above: z.number() })]).optional(),
  source: z.string().min(10),
});

export type AssessmentEvidence = z.infer<typeof EvidenceSchema> & { readonly pattern: RegExp };

export const assessmentEvidence = once((): readonly AssessmentEvidence[] =>
  loadKnowledgeFile('assessment-evidence.yaml', z.strictObject({ evidence: z.array(EvidenceSchema).min(1) })).evidence.map((e) => ({ ...e, pattern: new RegExp(e.match, 'i') })),
);

/** The evidence rule of a problem, by its name. */
export function evidenceFor(problem: string): AssessmentEvidence | undefined {
  return assessmentEvidence().find((e) => e.pattern.test(problem));
}
