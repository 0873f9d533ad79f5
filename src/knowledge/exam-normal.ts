/**
 * Normal exam findings by system and age (`data/exam-normal.yaml`), for the systems an encounter's
 * presentation does not speak to.
 */
import { z } from 'zod';
import { loadKnowledgeFile, once } from './load.js';

const OptionSchema = z.strictObject({
  text: z.string().min(1),
  minAge: z.number().nonnegative().default(0),
  maxAge: z.number().positive().default(200),
  sex: z.enum(['male', 'female']).optional(),
  /** The symptom the phrase states as absent ("no edema": leg swelling). */
  denies: z.string().min(1).optional(),
});

const FileSchema = z.strictObject({
  systems: z
    .array(
      z.strictObject({
        system: z.string().min(1),
        /** Charted at every routine exam under this age (the fontanelle until it closes, the hips until walking). */
        alwaysBelowAge: z.number().positive().optional(),
        options: z.array(OptionSchema).min(1),
      }),
    )
    .min(1),
});

export type NormalExamOption = z.infer<typeof OptionSchema>;
export type NormalExamSystem = z.infer<typeof FileSchema>['systems'][number];

export const normalExam = once((): readonly NormalExamSystem[] => loadKnowledgeFile('exam-normal.yaml', FileSchema).systems);
