/**
 * Acute conditions as data: one YAML file per episode kind under data/acute/, validated at load.
 * Each file says how often the illness (or injury) brings a person to care by age and sex, in
 * which season, where it is seen, how long it lasts, and what is done for it. Adding an acute
 * condition means adding a file (and a test), not changing the engine.
 */
import { readdirSync } from 'node:fs';
import { z } from 'zod';
import { KnowledgeError } from '../errors.js';
import { KNOWLEDGE_DIR, loadKnowledgeFile, once } from './load.js';
import { LabDrawSchema } from './labs.js';
import { CodingSchema, CurveSchema, ShareSchema } from './schemas.js';

const DaysSchema = z
  .strictObject({ min: z.number().nonnegative(), max: z.number().nonnegative() })
  .refine((d) => d.min <= d.max, 'min must not exceed max');

/** Where an episode is seen; `admission` is an emergency visit followed by an inpatient stay. */
export const SETTINGS = ['clinic', 'urgent-care', 'emergency', 'admission'] as const;
export type EpisodeSetting = (typeof SETTINGS)[number];

const SettingSchema = z.strictObject({
  setting: z.enum(SETTINGS),
  weight: z.number().positive(),
  /** Age band (years, inclusive min, exclusive max) this weight applies to; all ages by default. */
  minAge: z.number().nonnegative().default(0),
  maxAge: z.number().positive().default(200),
});

const MedicationOptionSchema = z.strictObject({
  medication: CodingSchema,
  weight: z.number().positive().default(1),
  minAge: z.number().nonnegative().default(0),
  maxAge: z.number().positive().default(200),
});

/** One prescription slot: with probability `share`, one of the options (fitting the age) is ordered. */
const MedicationSlotSchema = z.strictObject({
  share: ShareSchema,
  /** Length of the course in days (the order ends then, status completed). */
  days: z.number().int().positive(),
  options: z.array(MedicationOptionSchema).min(1),
});

const ProcedureSchema = z.strictObject({
  code: CodingSchema,
  share: ShareSchema,
  minutes: DaysSchema,
  /** At the diagnosis visit, or during the inpatient stay when there is one. */
  at: z.enum(['visit', 'stay']).default('visit'),
});

/**
 * A quantitative lab drawn at the diagnosis visit (one result per report), e.g. a white cell count:
 * with probability `share`, the value of this illness drawn as every lab is (the lab-value model of
 * labs.ts: `lab` names its labs.json entry, which gives code, unit, decimals and reference interval).
 */
const AcuteLabSchema = z.strictObject({ share: ShareSchema, draw: LabDrawSchema });

export const AcuteModuleSchema = z
  .strictObject({
    key: z.string().regex(/^[a-z0-9-]+$/),
    source: z.string().min(1),
    code: CodingSchema,
    /** Medically attended episodes per person-year, by age in years. */
    annualRateByAge: CurveSchema,
    sexMultiplier: z.strictObject({ male: z.number().nonnegative(), female: z.number().nonnegative() }).default({ male: 1, female: 1 }),
    /** Relative weight of each calendar month (January first); flat when absent. */
    seasonByMonth: z.array(z.number().nonnegative()).length(12).optional(),
    /** First day the illness exists (e.g. COVID-19): no episode before it. */
    availableFrom: z.iso.date().optional(),
    /** At most one episode in a life (an appendix is removed once). */
    oncePerLife: z.boolean().default(false),
    /** Chronic modules whose (latent) onset raises the rate from then on. */
    riskFactors: z.array(z.strictObject({ condition: z.string().regex(/^[a-z0-9-]+$/), multiplier: z.number().positive() })).default([]),
    settings: z.array(SettingSchema).min(1),
    /** Days from symptom onset to the visit. */
    daysToVisit: DaysSchema,
    /** Days from symptom onset to resolution. */
    durationDays: DaysSchema,
    /** Inpatient length of stay (settings with `admission`). */
    lengthOfStayDays: DaysSchema.optional(),
    /** Share of episodes with fever at the visit, and its temperature (°C). */
    fever: z.strictObject({ share: ShareSchema, meanC: z.number().min(37.5).max(41), sdC: z.number().nonnegative() }).optional(),
    /** Drop of oxygen saturation (percentage points) at the visit, e.g. pneumonia. */
    spo2Drop: z.number().nonnegative().default(0),
    procedures: z.array(ProcedureSchema).default([]),
    labs: z.array(AcuteLabSchema).default([]),
    medications: z.array(MedicationSlotSchema).default([]),
  })
  .refine((m) => !m.settings.some((s) => s.setting === 'admission') || m.lengthOfStayDays !== undefined, {
    message: 'a module with an admission setting needs lengthOfStayDays',
  })
  .refine((m) => m.durationDays.max >= m.daysToVisit.min, { message: 'an episode must still be running when it is seen' });

export type AcuteModule = z.infer<typeof AcuteModuleSchema>;

export const ACUTE_DIR = new URL('acute/', KNOWLEDGE_DIR);

/** Every acute module, sorted by key (the order episodes are planned in). */
export function loadAcuteModules(dir: URL = ACUTE_DIR): readonly AcuteModule[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  return files.map((f) => {
    const m = loadKnowledgeFile(f, AcuteModuleSchema, dir);
    if (`${m.key}.yaml` !== f) throw new KnowledgeError(`knowledge file ${f} declares key ${m.key}`);
    return m;
  });
}

export const acuteModules = once(() => loadAcuteModules());
