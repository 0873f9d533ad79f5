/**
 * How specialists word their visit notes (`data/specialist-notes.yaml`): the clinical name of the
 * condition they follow and the focused exam lines of each specialty. Validated against the
 * specialists it names.
 */
import { z } from 'zod';
import { KnowledgeError } from '../errors.js';
import { loadKnowledgeFile, once } from './load.js';
import { loadSpecialists } from './specialists.js';

const FileSchema = z.strictObject({
  source: z.string().min(1),
  names: z.record(z.string().regex(/^\d+$/), z.strictObject({ name: z.string().min(1), short: z.string().min(1), beforeDialysis: z.string().min(1).optional() })),
  exam: z.record(z.string(), z.array(z.strictObject({ system: z.string().min(1), options: z.array(z.string().min(1)).min(1) })).min(1)),
});
export type SpecialistNotes = z.infer<typeof FileSchema>;

/** The specialist note knowledge, checked against specialists.yaml. */
export const loadSpecialistNotes = once((): SpecialistNotes => {
  const file = loadKnowledgeFile('specialist-notes.yaml', FileSchema);
  const known = loadSpecialists().specialists;
  for (const key of Object.keys(file.exam)) if (known[key] === undefined) throw new KnowledgeError(`specialist-notes.yaml exam: unknown specialty ${key} (not in specialists.yaml)`);
  return file;
});

/** The clinic names of a condition by its SNOMED CT code ("lung cancer", "lung ca"), for its fact's synonyms. */
export function clinicNames(code: string): string[] {
  const n = loadSpecialistNotes().names[code];
  return n === undefined ? [] : [n.name, n.short, ...(n.beforeDialysis === undefined ? [] : [n.beforeDialysis])];
}
