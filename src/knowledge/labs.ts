/**
 * Laboratory knowledge: each test (LOINC, UCUM unit, reference interval, reported decimals), the
 * panels that group them, and the parameters of the personal physiology the values are drawn from
 * (glycemia, lipids, kidney, chemistry, blood count, thyroid). Read from data/labs.json.
 *
 * This is the one lab-value model of the project. Every lab any knowledge file charts (a clinic
 * panel, an acute episode's emergency count, a prenatal panel, a delivery stay's) is a {@link LabKey}
 * here, and is reported by its entry (code, unit, decimals, reference interval by sex and
 * pregnancy); a value drawn from a distribution is described by {@link LabDistributionSchema} or
 * {@link LabDrawSchema}, in labs.json, acute/*.yaml and pregnancy.yaml alike, and evaluated by one
 * function (`drawLabValue` in src/timeline/lab-values.ts). A file naming a lab that is not here
 * fails its load with one line naming the file, the path and the key.
 */
import { z } from 'zod';
import { KnowledgeError } from '../errors.js';
import { loadKnowledgeFile, once } from './load.js';
import { CodingSchema, ShareSchema } from './schemas.js';

type Coding = z.infer<typeof CodingSchema>;
import type { EgfrEquation } from './kidney.js';

const IntervalSchema = z.strictObject({ low: z.number(), high: z.number() }).refine((r) => r.low < r.high, 'low must be below high');

export const LabSchema = z.strictObject({
  code: CodingSchema,
  unit: z.string(),
  low: z.number(),
  high: z.number(),
  /** A different reference interval for females, where labs report one. */
  female: IntervalSchema.optional(),
  /** The interval reported while pregnant (prenatal and delivery-stay results), where it differs. */
  pregnant: IntervalSchema.optional(),
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
  'crp',
  'glucoseChallenge',
  'phosphorus',
  'pth',
  'neutrophils',
  'albumin',
  'totalProtein',
  'alt',
  'ast',
  'alkalinePhosphatase',
  'bilirubin',
  'inr',
] as const;
export type LabKey = (typeof LAB_KEYS)[number];

/**
 * A lab named by a knowledge file. An unknown key fails the file's load in one line (`knowledge file
 * pneumonia.yaml is invalid at labs.1.lab: "procalcitonin" is no lab of labs.json ...`): a lab
 * without its entry here has no code, unit, decimals or reference interval to be reported by.
 */
export const LabKeySchema = z.enum(LAB_KEYS, {
  error: (issue) => `${JSON.stringify(issue.input)} is no lab of labs.json (add its entry under labs and its key to LAB_KEYS, src/knowledge/labs.ts)`,
});

/**
 * The latent conditions the personal lab physiology reads (src/timeline/lab-values.ts `LabOnsets`):
 * a condition module names the one its onset sets with `labEffect`, so no condition key is checked
 * in code (two diabetes modules both set `diabetes`; the earlier onset counts).
 */
export const LAB_EFFECTS = ['diabetes', 'hypertension', 'hyperlipidemia', 'ckd', 'hypothyroidism'] as const;
export type LabEffect = (typeof LAB_EFFECTS)[number];

/** The states a value's distribution may differ in (today: the glucose challenge of a diabetic pregnancy). */
export const DRAW_STATES = ['diabetic'] as const;
export type DrawState = (typeof DRAW_STATES)[number];

const DistributionCore = {
  mean: z.number(),
  sd: z.number().nonnegative(),
  /** Floor and ceiling of the drawn value (before rounding to the lab's decimals). */
  min: z.number().optional(),
  max: z.number().optional(),
};
const ordered = (d: { min?: number | undefined; max?: number | undefined }): boolean => d.min === undefined || d.max === undefined || d.min <= d.max;
const StateDistributionSchema = z.strictObject(DistributionCore).refine(ordered, 'min must not exceed max');

/**
 * How one value is drawn: normal(mean, sd) held to [min, max]; in a state listed under `states`,
 * that state's distribution instead (whole, not merged). Evaluated by `drawLabValue`.
 */
export const LabDistributionSchema = z
  .strictObject({ ...DistributionCore, states: z.partialRecord(z.enum(DRAW_STATES), StateDistributionSchema).optional() })
  .refine(ordered, 'min must not exceed max');
export type LabDistribution = z.infer<typeof LabDistributionSchema>;

/** A lab drawn from a distribution, reported by its labs.json entry (acute episodes, prenatal and delivery labs). */
export const LabDrawSchema = z
  .strictObject({ lab: LabKeySchema, ...DistributionCore, states: z.partialRecord(z.enum(DRAW_STATES), StateDistributionSchema).optional() })
  .refine(ordered, 'min must not exceed max');
export type LabDraw = z.infer<typeof LabDrawSchema>;

/**
 * The panels a lab reports. Their order here is the order a day's panels are drawn and reported in,
 * so adding a panel changes no earlier panel's values. Each key needs a value model in
 * `src/timeline/lab-values.ts` (a `Record<PanelKey, ...>` there, so a missing one fails to compile).
 */
export const PANEL_KEYS = ['bmp', 'cbc', 'lipid', 'tsh', 'uacr'] as const;
export type PanelKey = (typeof PANEL_KEYS)[number];
export const PanelKeySchema = z.enum(PANEL_KEYS, {
  error: (issue) => `${JSON.stringify(issue.input)} is no panel of labs.json (add it under panels, to PANEL_KEYS and PANEL_ANALYTES, src/knowledge/labs.ts, and its value model in src/timeline/lab-values.ts)`,
});

/**
 * The analytes each panel's value model (src/timeline/lab-values.ts) computes: the model is typed to
 * return exactly these, and `loadLabs()` refuses a panel member its model does not compute, naming
 * panel and member (such a member used to be reported silently as 0).
 */
export const PANEL_ANALYTES = {
  bmp: ['glucose', 'bun', 'creatinine', 'egfr', 'sodium', 'potassium', 'chloride', 'co2', 'calcium'],
  cbc: ['hemoglobin', 'hematocrit', 'wbc', 'platelets'],
  lipid: ['totalCholesterol', 'triglycerides', 'ldl', 'hdl'],
  tsh: ['tsh'],
  uacr: ['uacr'],
} as const satisfies { readonly [K in PanelKey]: readonly LabKey[] };

/** The members of the knowledge's panels that their value models do not compute, one line each. */
export function panelModelGaps(labs: Pick<Labs, 'panels'>): string[] {
  const gaps: string[] = [];
  for (const key of PANEL_KEYS) {
    const computed: readonly LabKey[] = PANEL_ANALYTES[key];
    for (const m of labs.panels[key].members) if (!computed.includes(m)) gaps.push(`panel ${key} member ${m} has no value model`);
  }
  return gaps;
}
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
const Range = z.strictObject({ min: z.number(), max: z.number() });

/** A straight line between two analytes, with the study it comes from. */
const LineSchema = z.strictObject({
  /** value = slope x the other analyte + intercept. */
  slope: z.number(),
  intercept: z.number(),
  source: z.string().min(10),
});

/**
 * A lab that stood in for another before it existed and measures a different analyte, so its value
 * is computed from the modeled one (availability.yaml `substitute: value-model`); for HbA1c, on the
 * ADAG line of `glycemia.averageGlucose`.
 */
const LinearSubstituteSchema = z.strictObject({
  /** The LOINC code of the modeled result this one stands in for. */
  for: z.string().regex(/^\d+-\d$/),
  lab: LabSchema,
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
    /** HbA1c (%) an untreated diabetic is never charted below: the diagnostic threshold. */
    untreatedDiabeticMin: z.number(),
    untreatedDiabeticMinSource: z.string().min(10),
    prediabetesFrom: z.number(),
    diabeticMean: z.number(),
    diabeticSd: z.number(),
    /** Untreated diabetes worsens with time since diagnosis, so one drug often stops being enough. */
    progressionPerYear: z.number(),
    /** HbA1c drop of a diabetes line that names no effect of its own. */
    treatmentDrop: z.number(),
    /**
     * Adult screening of patients not known to be diabetic. `a1cDiagnosisFrom`: the day HbA1c became
     * a diagnostic test (ADA 2010); a screen before it is a fasting glucose, whatever HbA1c's period.
     */
    screening: z.strictObject({
      fromAge: z.number(),
      toAge: z.number(),
      minBmi: z.number(),
      intervalYears: z.number(),
      a1cDiagnosisFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD'),
      a1cDiagnosisSource: z.string().min(10),
    }),
    /**
     * Average glucose (mg/dL) from HbA1c (%): the one copy of the ADAG line, read by the metabolic
     * panel's glucose and by the fasting glucose charted before HbA1c.
     */
    averageGlucose: LineSchema,
    /** The metabolic panel's glucose about its average: visit noise and floor (mg/dL). */
    panelGlucose: z.strictObject({ visitSd: z.number().nonnegative(), min: z.number() }),
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
    /** LDL rises with age from 20 until this age (NHANES LDL by age), then holds. */
    ldlRisesUntilAge: z.number(),
    ldlMin: z.number(),
    /** HDL per BMI unit over 25 (lower with obesity). */
    hdlPerBmiOver25: z.number(),
    hdlVisitSd: z.number().nonnegative(),
    hdlMin: z.number(),
    triglyceridesVisitSd: z.number().nonnegative(),
    triglyceridesMin: z.number(),
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
    /**
     * The stage a CKD diagnosis is made at, and the eGFR its course starts from: `trajectory`, the
     * person's own (kept at or above `nonCkdFloor`), or drawn uniformly in a range.
     */
    stageAtOnset: z
      .array(z.strictObject({ stage: z.number().int().min(1).max(5), share: ShareSchema, startEgfr: z.union([z.literal('trajectory'), Range]) }))
      .min(1),
    startEgfrSource: z.string().min(10),
    ckdDeclinePerYear: Range,
    /** Urine albumin/creatinine without albuminuria, held below the A2 threshold. */
    uacrNormal: LabDistributionSchema,
    /** The latent eGFR's ceiling without disease, and its floor in end-stage disease. */
    egfrMax: z.number(),
    egfrMin: z.number(),
    /** Years from a diabetes onset before its albuminuria (in those who get it) shows. */
    diabeticAlbuminuriaAfterYears: z.number().nonnegative(),
    uacrAlbuminuric: Range,
    diabeticAlbuminuriaShare: ShareSchema,
    advancedAlbuminuriaShare: ShareSchema,
    stageCodes: z.strictObject({ '1': CodingSchema, '2': CodingSchema, '3': CodingSchema, '4': CodingSchema, '5': CodingSchema }),
    /** Children's creatinine (the FAS equation's Q) and its reference interval; no eGFR reported before `reportEgfrFromAge`. */
    children: z.strictObject({
      reportEgfrFromAge: z.number().positive(),
      fasNumerator: z.number().positive(),
      qLinear: z.strictObject({ slope: z.number().positive(), intercept: z.number().positive(), fromAge: z.number().nonnegative(), toAge: z.number().positive() }),
      qAdolescent: z.strictObject({ male: z.record(z.string().regex(/^\d+$/), z.number().positive()), female: z.record(z.string().regex(/^\d+$/), z.number().positive()) }),
      referenceRatio: Range,
      source: z.string().min(10),
    }),
  }),
  chemistry: z.strictObject({
    sodium: LabDistributionSchema,
    chloride: LabDistributionSchema,
    co2: LabDistributionSchema,
    calcium: LabDistributionSchema,
    potassium: LabDistributionSchema,
    potassiumPerStageOver3: z.number(),
    bunBase: z.number(),
    bunPerCreatinine: z.number(),
    bunSd: z.number(),
    /** No BUN drawn below this (mg/dL). */
    bunMin: z.number().nonnegative(),
    /** Stages of CKD that raise potassium: those over `overStage`, and `fromStage3` of one from stage 3. */
    potassiumStageTerm: z.strictObject({ overStage: z.number().int().positive(), fromStage3: z.number().nonnegative() }),
    /** Serum bicarbonate (mmol/L) lower from this CKD stage on. */
    co2DropAdvancedCkd: z.strictObject({ fromStage: z.number().int().min(1).max(5), mmolL: z.number().nonnegative() }),
    ckdSource: z.string().min(10),
  }),
  blood: z.strictObject({
    hemoglobinMale: z.number(),
    hemoglobinFemale: z.number(),
    hemoglobinSd: z.number(),
    hemoglobinVisitSd: z.number().nonnegative(),
    hemoglobinDropAdvancedCkd: z.number(),
    /** CKD with a latent eGFR below this is advanced: its hemoglobin drops. */
    advancedCkdBelowEgfr: z.number().positive(),
    advancedCkdSource: z.string().min(10),
    /** Hematocrit (%) per g/dL of hemoglobin (100 / MCHC). */
    hematocritPerHemoglobin: z.number().positive(),
    hematocritVisitSd: z.number().nonnegative(),
    hematocritSource: z.string().min(10),
    wbc: LabDistributionSchema,
    platelets: LabDistributionSchema,
  }),
  /** Within-person variation: each result a person's own set point times (1 + cv x N(0, 1)). */
  variation: z.strictObject({
    source: z.string().min(1),
    cv: z.strictObject({ wbc: z.number().positive(), platelets: z.number().positive(), sodium: z.number().positive(), potassium: z.number().positive(), chloride: z.number().positive(), co2: z.number().positive(), calcium: z.number().positive() }),
    /** eGFR's day-to-day CV (creatinine's, through the equation). */
    egfrCv: z.number().positive(),
  }),
  thyroid: z.strictObject({
    normalMedian: z.number().positive(),
    normalLogSd: z.number().nonnegative(),
    untreatedMin: z.number(),
    untreatedMax: z.number(),
    treatedAfterDays: z.number().nonnegative(),
    /** Visit-to-visit variation of TSH, on the log scale. */
    visitLogSd: z.number().nonnegative(),
  }),
  prediabetes: CodingSchema,
});
export type Labs = z.infer<typeof LabsSchema>;

export const loadLabs = once(() => loadLabsFile());

/** Reads and checks a labs file (the shipped labs.json unless a test names another). */
export function loadLabsFile(name = 'labs.json', dir?: URL): Labs {
  const labs = loadKnowledgeFile(name, LabsSchema, dir);
  const gaps = panelModelGaps(labs);
  if (gaps.length > 0) throw new KnowledgeError(`knowledge file ${name}: ${gaps.join('; ')}`);
  const total = labs.kidney.stageAtOnset.reduce((s, x) => s + x.share, 0);
  if (Math.abs(total - 1) > 1e-6) throw new KnowledgeError(`labs.json kidney.stageAtOnset shares sum to ${total}, not 1`);
  const eras = labs.egfrEquations;
  for (let i = 1; i < eras.length; i++) {
    if (eras[i]!.from <= eras[i - 1]!.from) throw new KnowledgeError(`labs.json egfrEquations: ${eras[i]!.equation} does not start after ${eras[i - 1]!.equation}`);
  }
  if (eras.at(-1)!.code.code !== labs.labs.egfr.code.code) throw new KnowledgeError('labs.json egfrEquations: the last equation must be coded as labs.egfr');
  return labs;
}

/** The lab key a LOINC code is reported under in labs.json (eGFR: today's equation's code only). */
export function labKeyOfCode(code: string): LabKey | undefined {
  return labKeyIndex().get(code);
}
const labKeyIndex = once(() => new Map(Object.entries(loadLabs().labs).map(([k, l]) => [l.code.code, k as LabKey])));

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

/** Every value-model substitute the lab knowledge defines (today: fasting glucose for HbA1c, on the ADAG line). */
export function eraValueModels(labs: Pick<Labs, 'glycemia'> = loadLabs()): readonly EraValueModel[] {
  const m = labs.glycemia.beforeA1c;
  const line = labs.glycemia.averageGlucose;
  const scale = 10 ** m.lab.decimals;
  return [{ from: m.for, to: m.lab.code, lab: m.lab, source: `${m.source} ${line.source}`, valueOf: (x) => Math.round((line.slope * x + line.intercept) * scale) / scale }];
}

/** The value model that charts `to` in place of `from`, if labs.json has one. */
export function eraValueModel(from: string, to: string): EraValueModel | undefined {
  return eraValueModels().find((m) => m.from === from && m.to.code === to);
}

/** The reference interval that applies to a patient of this sex (and, with `pregnant`, in pregnancy where the lab has one). */
export function referenceRange(lab: Lab, sex: 'male' | 'female', pregnant = false): { low: number; high: number } {
  if (pregnant && lab.pregnant !== undefined) return lab.pregnant;
  return sex === 'female' && lab.female !== undefined ? lab.female : { low: lab.low, high: lab.high };
}
