/** Collection-to-result hours by setting, from data/lab-turnaround.yaml. */
import { z } from 'zod';
import { loadKnowledgeFile, once } from './load.js';

const RangeSchema = z.tuple([z.number().positive(), z.number().positive()]).refine(([a, b]) => a <= b, 'range must be [low, high]');

export const LabTurnaroundSchema = z.strictObject({
  source: z.string().min(1),
  hours: z.strictObject({ ambulatory: RangeSchema, acute: RangeSchema }),
});

export const loadLabTurnaround = once(() => loadKnowledgeFile('lab-turnaround.yaml', LabTurnaroundSchema));
