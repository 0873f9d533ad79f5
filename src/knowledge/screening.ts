/**
 * Cancer screening as data (data/screening.yaml): USPSTF programs by sex and age, their interval,
 * how many people take part, which cancer module each can find and how often, and how long a cancer
 * stays silent before symptoms bring it to diagnosis.
 */
import { z } from 'zod';
import { loadKnowledgeFile, once } from './load.js';
import { CodingSchema, ShareSchema } from './schemas.js';

const ProgramBase = {
  key: z.string().regex(/^[a-z0-9-]+$/),
  code: CodingSchema,
  sex: z.enum(['male', 'female']).optional(),
  fromAge: z.number().nonnegative(),
  toAge: z.number().positive(),
  intervalYears: z.number().positive(),
  /** Share of eligible people who take part in the program at all. */
  participation: ShareSchema,
  /** The condition module a positive screen diagnoses. */
  detects: z.string().regex(/^[a-z0-9-]+$/).optional(),
  /** Chance that a screen finds a latent cancer it can detect. */
  sensitivity: ShareSchema.optional(),
  /** Lung screening eligibility: a smoking history of at least this many pack-years... */
  minPackYears: z.number().positive().optional(),
  /** ...and still smoking or quit within this many years. */
  maxYearsSinceQuit: z.number().positive().optional(),
};

/** A screening recorded as a Procedure (imaging, endoscopy, cytology). */
const ProcedureProgramSchema = z.strictObject({ ...ProgramBase, kind: z.literal('procedure') });

/** A screening recorded as a lab result (PSA), with the values it takes. */
const LabProgramSchema = z.strictObject({
  ...ProgramBase,
  kind: z.literal('lab'),
  lab: z.strictObject({
    unit: z.string().min(1),
    low: z.number(),
    high: z.number(),
    decimals: z.number().int().nonnegative(),
    normalMedian: z.number().positive(),
    normalPerYearOver55: z.number().nonnegative(),
    normalSdLog: z.number().positive(),
    cancerMin: z.number().positive(),
    cancerMax: z.number().positive(),
  }),
});

export const ScreeningProgramSchema = z
  .discriminatedUnion('kind', [ProcedureProgramSchema, LabProgramSchema])
  .refine((p) => p.fromAge < p.toAge, 'fromAge must be below toAge')
  .refine((p) => (p.detects === undefined) === (p.sensitivity === undefined), 'detects and sensitivity go together');
export type ScreeningProgram = z.infer<typeof ScreeningProgramSchema>;

export const ScreeningKnowledgeSchema = z.strictObject({
  source: z.string().min(1),
  programs: z.array(ScreeningProgramSchema).min(1),
  sojournYears: z.record(
    z.string().regex(/^[a-z0-9-]+$/),
    z.strictObject({ min: z.number().nonnegative(), max: z.number().nonnegative() }).refine((r) => r.min <= r.max),
  ),
  packsPerDay: z.number().positive(),
  occasionalFactor: ShareSchema,
});
export type ScreeningKnowledge = z.infer<typeof ScreeningKnowledgeSchema>;

export function loadScreeningFile(name = 'screening.yaml', dir?: URL): ScreeningKnowledge {
  return loadKnowledgeFile(name, ScreeningKnowledgeSchema, dir);
}

export const loadScreening = once(() => loadScreeningFile());
