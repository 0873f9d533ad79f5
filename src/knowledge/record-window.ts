/** What a record window carries from before it, from data/record-window.yaml (past surgical history). */
import { z } from 'zod';
import { CodingSchema } from './schemas.js';
import { loadKnowledgeFile, once } from './load.js';

export const RecordWindowKnowledgeSchema = z.strictObject({
  source: z.string().min(1),
  /** Procedures carried as past surgical history when they were done before the window. */
  surgicalHistory: z.array(CodingSchema).min(1),
});
export type RecordWindowKnowledge = z.infer<typeof RecordWindowKnowledgeSchema>;

export const loadRecordWindowKnowledge = once(() => loadKnowledgeFile('record-window.yaml', RecordWindowKnowledgeSchema));
