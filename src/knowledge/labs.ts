/**
 * Laboratory knowledge: each test (LOINC, UCUM unit, reference interval, reported decimals), the
 * panels that group them, and the parameters of the personal physiology the values are drawn from
 * (glycemia, lipids, kidney, chemistry, blood count, thyroid). Read from data/labs.json.
 */
import { z } from 'zod';
import { KnowledgeError } from '../errors.js';
import { loadKnowledgeFile, once } from './load.js';
import { CodingSchema, ShareSchema } from './schemas.js';

type Coding = z.infer<typeof CodingSchema>;
import type { EgfrEquation } from './kidney.js';

export const LabSchema = z.strictObject({
  code: CodingSchema,
  unit: z.string(),
  low: z.number(),
  high: z.number(),
  /** A different reference interval for females, where labs report one. */
  female: z.strictObject({ low: z.number(), high: z.number() }).optional(),
  decimals: z.number().int().nonnegative(),
});
export type Lab = z.infer<typeof LabSchema>;

const LAB_KEYS = [
  'hba1c',
  'glucose',
  'bun',
  'creatinine',
  'egfr',
  'sodium',
  'potassium',
  'chloride',
  'co2',
  'calcium',
  'hemoglobin',
  'hematocrit',
  'wbc',
  'platelets',
  'totalCholesterol',
  'triglycerides',
  'ldl',
  'hdl',
  'tsh',
  'uacr',
] as const;
export type LabKey = (typeof LAB_KEYS)[number];

const LabKeySchema = z.enum(LAB_KEYS);

/**
 * The panels a lab reports. Their order here is the order a day's panels are drawn and reported in,
 * so adding a panel changes no earlier panel's values. Each key needs a value model in
 * `src/timeline/lab-values.ts` (a `Record<PanelKey, ...>` there, so a missing one fails to compile).
 */
export const PANEL_KEYS = ['bmp', 'cbc', 'lipid', 'tsh', 'uacr'] as const;
export type PanelKey = (typeof PANEL_KEYS)[number];
export const PanelKeySchema = z.enum(PANEL_KEYS);
const PanelSchema = z.strictObject({ code: CodingSchema, members: z.array(LabKeySchema).min(1) });
export type Panel = z.infer<typeof PanelSchema>;
/**
 * The equation US labs reported eGFR by from a date on, and the LOINC code of its result. Before
 * the first, a metabolic panel reports creatinine without an eGFR.
 */
const EgfrEraSchema = z.strictObject({
  from: z.iso.date(),
  equation: z.enum(['mdrd', 'ckd-epi-2009', 'ckd-epi-2021'] satisfies EgfrEquation[]),
  code: CodingSchema,
  source: z.string().min(1),
});
export type EgfrEra = z.infer<typeof EgfrEraSchema>;

/** A panel ordered for everyone from an age on, at an interval, whatever their conditions. */
const ScreeningPanelSchema = z.strictObject({ panel: PanelKeySchema, fromAge: z.number().nonnegative(), intervalYears: z.number().positive() });
const MeanSd = z.strictObject({ mean: z.number(), sd: z.number().nonnegative() });
const Range = z.strictObject({ min: z.number(), max: z.number() });

/**
 * A lab that stood in for another before it existed and measures a different analyte, so its value
 * is computed from the modeled one on a line (availability.yaml `substitute: value-model`).
 */
const LinearSubstituteSchema = z.strictObject({
  /** The LOINC code of the modeled result this one stands in for. */
  for: z.string().regex(/^\d+-\d$/),
  lab: LabSchema,
  /** value = slope x modeled value + intercept, in the substitute's unit. */
  slope: z.number(),
  intercept: z.number(),
  source: z.string().min(10),
});

export const LabsSchema = z.strictObject({
  source: z.string(),
  labs: z.strictObject(Object.fromEntries(LAB_KEYS.map((k) => [k, LabSchema])) as Record<LabKey, typeof LabSchema>),
  panels: z.strictObject(Object.fromEntries(PANEL_KEYS.map((k) => [k, PanelSchema])) as Record<PanelKey, typeof PanelSchema>),
  /** Routine panels at adult checkups (lipid screening, chemistry and blood count), so people without disease have values too. */
  screening: z.array(ScreeningPanelSchema),
  /** In date order; the last is the equation of today, whose code is `labs.egfr.code`. */
  egfrEquations: z.array(EgfrEraSchema).min(1),
  glycemia: z.strictObject({
    base: z.number(),
    perYearOver30: z.number(),
    perBmiOver25: z.number(),
    personalSd: z.number(),
    visitSd: z.number(),
    nonDiabeticMax: z.number(),
    prediabetesFrom: z.number(),
    diabeticMean: z.number(),
    diabeticSd: z.number(),
    /** Untreated diabetes worsens with time since diagnosis, so one drug often stops being enough. */
    progressionPerYear: z.number(),
    /** HbA1c drop of a diabetes line that names no effect of its own. */
    treatmentDrop: z.number(),
    screening: z.strictObject({ fromAge: z.number(), toAge: z.number(), minBmi: z.number(), intervalYears: z.number() }),
    /** What diabetes was followed by before HbA1c (availability.yaml): a fasting glucose computed from the modeled A1c. */
    beforeA1c: LinearSubstituteSchema,
  }),
  lipids: z.strictObject({
    ldlAt20: z.number(),
    ldlPerYearTo60: z.number(),
    ldlPersonalSd: z.number(),
    ldlVisitSd: z.number(),
    /** LDL added once hyperlipidemia has begun (the latent state the diagnosis reads). */
    hyperlipidemiaShift: z.number(),
    hdlMale: z.number(),
    hdlFemale: z.number(),
    hdlSd: z.number(),
    triglyceridesBase: z.number(),
    triglyceridesPerBmiOver25: z.number(),
    triglyceridesSd: z.number(),
    triglyceridesDiabetic: z.number(),
  }),
  kidney: z.strictObject({
    egfrAt20: z.number(),
    egfrPersonalSd: z.number(),
    declineFromAge: z.number(),
    declinePerYear: z.number(),
    diabetesExtraDecline: z.number(),
    hypertensionExtraDecline: z.number(),
    /** Without CKD the trajectory never reads below this (the CKD module owns eGFR < 60). */
    nonCkdFloor: z.number(),
    visitSd: z.number(),
    stageAtOnset: z.array(z.strictObject({ stage: z.number().int().min(1).max(5), share: ShareSchema })).min(1),
    ckdDeclinePerYear: Range,
    uacrNormal: MeanSd,
    uacrAlbuminuric: Range,
    diabeticAlbuminuriaShare: ShareSchema,
    advancedAlbuminuriaShare: ShareSchema,
    stageCodes: z.strictObject({ '1': CodingSchema, '2': CodingSchema, '3': CodingSchema, '4': CodingSchema, '5': CodingSchema }),
  }),
  chemistry: z.strictObject({
    sodium: MeanSd,
    chloride: MeanSd,
    co2: MeanSd,
    calcium: MeanSd,
    potassium: MeanSd,
    potassiumPerStageOver3: z.number(),
    bunBase: z.number(),
    bunPerCreatinine: z.number(),
    bunSd: z.number(),
  }),
  blood: z.strictObject({
    hemoglobinMale: z.number(),
    hemoglobinFemale: z.number(),
    hemoglobinSd: z.number(),
    hemoglobinDropAdvancedCkd: z.number(),
    wbc: MeanSd,
    platelets: MeanSd,
  }),
  thyroid: z.strictObject({
    normalMedian: z.number().positive(),
    normalLogSd: z.number().nonnegative(),
    untreatedMin: z.number(),
    untreatedMax: z.number(),
    treatedAfterDays: z.number().nonnegative(),
  }),
  prediabetes: CodingSchema,
});
export type Labs = z.infer<typeof LabsSchema>;

export const loadLabs = once(() => {
  const labs = loadKnowledgeFile('labs.json', LabsSchema);
  const total = labs.kidney.stageAtOnset.reduce((s, x) => s + x.share, 0);
  if (Math.abs(total - 1) > 1e-6) throw new KnowledgeError(`labs.json kidney.stageAtOnset shares sum to ${total}, not 1`);
  const eras = labs.egfrEquations;
  for (let i = 1; i < eras.length; i++) {
    if (eras[i]!.from <= eras[i - 1]!.from) throw new KnowledgeError(`labs.json egfrEquations: ${eras[i]!.equation} does not start after ${eras[i - 1]!.equation}`);
  }
  if (eras.at(-1)!.code.code !== labs.labs.egfr.code.code) throw new KnowledgeError('labs.json egfrEquations: the last equation must be coded as labs.egfr');
  return labs;
});

/** The eGFR equation a lab used on a day (ms since epoch), or undefined before labs reported eGFR. */
export function egfrEraAt(time: number): EgfrEra | undefined {
  const day = new Date(time).toISOString().slice(0, 10);
  let era: EgfrEra | undefined;
  for (const e of loadLabs().egfrEquations) if (e.from <= day) era = e;
  return era;
}

/** Every LOINC code an eGFR result has carried, with its equation. */
export function egfrCodes(): ReadonlyMap<string, EgfrEquation> {
  return new Map(loadLabs().egfrEquations.map((e) => [e.code.code, e.equation]));
}

/** A value-model substitute: the lab it is reported as, and its value from the modeled result's. */
export interface EraValueModel {
  /** The LOINC code of the modeled result. */
  readonly from: string;
  readonly to: Coding;
  readonly lab: Lab;
  /** The substitute's value (rounded to its decimals) from the modeled value. */
  valueOf(modeled: number): number;
  readonly source: string;
}

/** Every value-model substitute the lab knowledge defines (today: fasting glucose for HbA1c). */
export function eraValueModels(labs: Pick<Labs, 'glycemia'> = loadLabs()): readonly EraValueModel[] {
  const m = labs.glycemia.beforeA1c;
  const scale = 10 ** m.lab.decimals;
  return [{ from: m.for, to: m.lab.code, lab: m.lab, source: m.source, valueOf: (x) => Math.round((m.slope * x + m.intercept) * scale) / scale }];
}

/** The value model that charts `to` in place of `from`, if labs.json has one. */
export function eraValueModel(from: string, to: string): EraValueModel | undefined {
  return eraValueModels().find((m) => m.from === from && m.to.code === to);
}

/** The reference interval that applies to a patient of this sex. */
export function referenceRange(lab: Lab, sex: 'male' | 'female'): { low: number; high: number } {
  return sex === 'female' && lab.female !== undefined ? lab.female : { low: lab.low, high: lab.high };
}
