/**
 * The review of systems by age (`data/review-of-systems.yaml`): the symptoms a routine visit may
 * chart as absent, what a newborn's or infant's caregiver reports as normal, and the symptoms a
 * child of the age cannot report (dropped from a presentation's pertinent negatives).
 */
import { z } from 'zod';
import { loadKnowledgeFile, once } from './load.js';

const BandSchema = z.strictObject({
  name: z.string().min(1),
  /** Upper bound of the band in years (exclusive). */
  maxAge: z.number().positive(),
  routine: z.array(z.string().min(1)).min(1),
  normals: z.array(z.string().min(1)).optional(),
  /** Routine symptoms the normals already rule out ("feeding well": no poor feeding), not denied after them. */
  coveredByNormals: z.array(z.string().min(1)).optional(),
  unreportable: z.array(z.string().min(1)),
});

const FileSchema = z.strictObject({
  source: z.string().min(10),
  bands: z
    .array(BandSchema)
    .min(1)
    .refine((bands) => bands.every((b, i) => i === 0 || b.maxAge > bands[i - 1]!.maxAge), 'bands must be in increasing maxAge order'),
});

export type RosBand = z.infer<typeof BandSchema>;

const bands = once((): readonly RosBand[] => loadKnowledgeFile('review-of-systems.yaml', FileSchema).bands);

/** The review-of-systems band for an age in (fractional) years; the last band for any age beyond. */
export function rosBand(ageYears: number): RosBand {
  const all = bands();
  return all.find((b) => ageYears < b.maxAge) ?? all[all.length - 1]!;
}

/** Every symptom any band may deny at a routine visit (for the vocabulary look-ups done once). */
export function allRoutineSymptoms(): readonly string[] {
  return [...new Set(bands().flatMap((b) => b.routine))];
}
