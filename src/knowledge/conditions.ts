/**
 * Disease modules as data: one YAML file per condition under data/conditions/, validated at load.
 * Adding a condition means adding a file (and a test), not changing the engine.
 */
import { readdirSync } from 'node:fs';
import { z } from 'zod';
import { KnowledgeError } from '../errors.js';
import { KNOWLEDGE_DIR, loadKnowledgeFile, once } from './load.js';
import { CodingSchema, CurveSchema, ShareSchema, interpolate } from './schemas.js';
import { LAB_EFFECTS, PanelKeySchema } from './labs.js';

/**
 * What raises (or lowers) a hazard: a body state (`obese`), a smoking state, a sex, or another
 * module's (latent) onset written `condition:<key>`.
 */
export const RiskFactorSchema = z.strictObject({
  factor: z.union([
    z.enum(['obese', 'currentSmoker', 'formerSmoker', 'male', 'female']),
    z.string().regex(/^condition:[a-z0-9-]+$/),
  ]),
  multiplier: z.number().positive(),
});
export type RiskFactor = z.infer<typeof RiskFactorSchema>;

/** Onset drawn from an annual hazard by age (per year, before multipliers). */
const HazardOnsetSchema = z.strictObject({
  kind: z.literal('hazard'),
  annualHazardByAge: CurveSchema,
  riskFactors: z.array(RiskFactorSchema).default([]),
});

/** Onset read off the body's own numbers, so the diagnosis agrees with the record's measurements. */
const MeasurementOnsetSchema = z.strictObject({
  kind: z.literal('measurement'),
  measure: z.enum(['bloodPressure', 'bmi']),
  fromAge: z.number().nonnegative(),
  /** Systolic, or BMI. */
  threshold: z.number(),
  /** Diastolic threshold (blood pressure only). */
  secondThreshold: z.number().optional(),
});

const MedicationStepSchema = z.strictObject({
  medication: CodingSchema,
  /** First line starts at diagnosis; later lines when control stays poor at a later visit. */
  line: z.number().int().positive(),
  /** Share of patients who get this line when it is due (first line: share treated at all). */
  share: ShareSchema,
  /**
   * Starting this line stops what came before instead of adding to it: `true` stops every order of
   * the pathway (a switch, e.g. to a high-intensity statin); an RxNorm code stops only that drug (a
   * titration to the next strength, or ACE inhibitor to ARNI).
   */
  replaces: z.union([z.boolean(), z.string().regex(/^[0-9]+$/)]).default(false),
  /** What the drug does to the record's own numbers while it is taken. */
  effect: z
    .strictObject({
      /** HbA1c change in percentage points. */
      hba1c: z.number().optional(),
      /** Multiplier on LDL (0.65 = 35 % lower); statins do not stack, the strongest applies. */
      ldlFactor: z.number().positive().max(1).optional(),
    })
    .optional(),
});

/** The number a clinician reads to judge control: escalation happens when it stays above `above`. */
const ControlSchema = z.strictObject({
  measure: z.enum(['bloodPressure', 'hba1c', 'ldl', 'tsh']),
  above: z.number(),
  /** Diastolic threshold (blood pressure only). */
  secondAbove: z.number().optional(),
});

const GoalSchema = z.strictObject({
  description: z.string().min(1),
  dueYears: z.number().positive(),
  targets: z.array(z.strictObject({ measure: CodingSchema, high: z.number(), unit: z.string() })).default([]),
});

/** Care plan and goal created at diagnosis (US Core CarePlan + Goal). */
const CarePlanSchema = z.strictObject({
  title: z.string().min(1),
  activities: z.array(z.string().min(1)).min(1),
  goal: GoalSchema,
  /**
   * The plans of earlier eras, newest first: at a diagnosis made before a target of `goal` was
   * measured (its test's period in availability.yaml, e.g. HbA1c from 1980), the first older plan
   * whose targets were measured then is opened instead (a fasting-glucose goal and urine testing).
   */
  olderPlans: z.array(z.strictObject({ activities: z.array(z.string().min(1)).min(1), goal: GoalSchema, source: z.string().min(1) })).default([]),
});

/** Lab panels a condition's pathway orders at diagnosis and at follow-up visits. */
export const PathwayPanelSchema = PanelKeySchema;
/** A procedure done during an emergency visit or an inpatient stay, for a share of the episodes. */
export const EpisodeProcedureSchema = z.strictObject({
  code: CodingSchema,
  share: ShareSchema,
  setting: z.enum(['emergency', 'inpatient']).default('emergency'),
});

const RangeSchema = z.tuple([z.number(), z.number()]).refine(([lo, hi]) => lo <= hi, 'range must be [low, high]');

/**
 * Emergency and inpatient care a condition brings: exacerbations at an annual rate while it is
 * active (`trigger: rate`), or an event that is the condition's own onset (`trigger: onset`, e.g. a
 * stroke). Each episode is an emergency visit and, for `admittedShare` of them, an admission.
 */
export const AcuteEpisodeSchema = z
  .strictObject({
    key: z.string().regex(/^[a-z0-9-]+$/),
    trigger: z.enum(['rate', 'onset']),
    /** Episodes per year while the condition is active (trigger `rate`). */
    annualRate: z.number().nonnegative().default(0),
    /** Rate multiplier once the condition is treated (fewer exacerbations on treatment). */
    treatedRateRatio: z.number().positive().max(1).default(1),
    /** The episode's own encounter diagnosis (e.g. myocardial infarction), when a code exists. */
    diagnosis: CodingSchema.optional(),
    /** Days after the admission the episode diagnosis is recorded as resolved. */
    resolvesAfterDays: z.number().nonnegative().default(30),
    admittedShare: ShareSchema,
    lengthOfStayDays: RangeSchema,
    /** Share of episodes that end in death in hospital. */
    fatalShare: ShareSchema.default(0),
    /** Share of survivors discharged to a skilled nursing facility (else home). */
    snfShare: ShareSchema.default(0),
    procedures: z.array(EpisodeProcedureSchema).default([]),
    /** Vital signs measured on arrival, drawn uniformly in each range. */
    vitals: z
      .strictObject({ oxygenSaturation: RangeSchema, heartRate: RangeSchema, respiratoryRate: RangeSchema })
      .partial()
      .default({}),
  })
  .refine((e) => e.trigger === 'onset' || e.annualRate > 0, 'a rate episode needs annualRate > 0');
export type AcuteEpisode = z.infer<typeof AcuteEpisodeSchema>;

export const ConditionModuleSchema = z.strictObject({
  key: z.string().regex(/^[a-z0-9-]+$/),
  source: z.string().min(1),
  code: CodingSchema,
  /** Where it lives in the chart: chronic problems on the problem list, episodes as encounter diagnoses. */
  category: z.enum(['problem-list-item', 'encounter-diagnosis']),
  sex: z.enum(['male', 'female']).optional(),
  /**
   * The youngest age (years) at which this disease, as the module models it, begins; below it the
   * hazard is zero and `check` flags any onset. Every module names its source.
   */
  onsetAgeFloor: z.strictObject({ age: z.number().nonnegative(), source: z.string().min(1) }),
  onset: z.discriminatedUnion('kind', [HazardOnsetSchema, MeasurementOnsetSchema]),
  /** Annual probability that an active condition remits or resolves, and the status it then carries. */
  remission: z
    .strictObject({ annualProbability: ShareSchema, status: z.enum(['remission', 'resolved', 'inactive']) })
    .optional(),
  medications: z.array(MedicationStepSchema).default([]),
  /** Years after diagnosis at which a poorly controlled patient is escalated to the next line. */
  escalationAfterYears: z.number().positive().default(1),
  /** Measured treatment effect on the body (blood pressure modules only). */
  treatmentEffect: z.strictObject({ systolic: z.number(), diastolic: z.number() }).optional(),
  control: ControlSchema.optional(),
  /**
   * What happens to the patients the first line's share leaves untreated at diagnosis: a share of
   * them stay untreated for good (declined, lost, never adherent), the rest start later, after an
   * exponential delay with this median, at the first visit that finds them still off target.
   */
  lateTreatment: z
    .strictObject({ neverShare: ShareSchema, medianDelayYears: z.number().positive(), source: z.string().min(1) })
    .optional(),
  carePlan: CarePlanSchema.optional(),
  labs: z.array(PathwayPanelSchema).default([]),
  /** The latent state of the lab physiology this condition's onset sets (glucose, LDL, eGFR, TSH move with it). */
  labEffect: z.enum(LAB_EFFECTS).optional(),
  /**
   * The problem-list entry is restaged by every eGFR result: its code becomes the KDIGO stage of the
   * latest eGFR (labs.json `kidney.stageCodes`), as a chart's CKD entry names its stage.
   */
  stageByEgfr: z.boolean().default(false),
  /** Months between chronic-care follow-up visits booked between checkups (hazard-onset modules). */
  followUpMonths: z.number().positive().optional(),
  /** Years between follow-up orders of the pathway's labs. */
  labIntervalYears: z.number().positive().default(1),
  /** Multiplier on the life-table death hazard from onset (condition-specific mortality). */
  mortality: z.strictObject({ hazardMultiplier: z.number().min(1) }).optional(),
  /** Emergency visits and admissions for exacerbations and events. */
  acuteCare: z.array(AcuteEpisodeSchema).default([]),
});
export type ConditionModule = z.infer<typeof ConditionModuleSchema>;

/** A hazard module's base annual onset hazard at an age: zero below the module's onset-age floor. */
export function onsetHazardAt(m: ConditionModule, age: number): number {
  if (m.onset.kind !== 'hazard' || age < m.onsetAgeFloor.age) return 0;
  return interpolate(m.onset.annualHazardByAge, age);
}

export const CONDITIONS_DIR = new URL('conditions/', KNOWLEDGE_DIR);

/**
 * Every condition module, in an order where each module comes after the modules its risk factors
 * name (so their onsets are known when it is simulated). Sorted by key first for determinism.
 */
export function loadConditionModules(dir: URL = CONDITIONS_DIR): readonly ConditionModule[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  const modules = files.map((f) => {
    const m = loadKnowledgeFile(f, ConditionModuleSchema, dir);
    if (`${m.key}.yaml` !== f) throw new KnowledgeError(`knowledge file ${f} declares key ${m.key}`);
    if (m.onset.kind === 'measurement' && m.onset.fromAge < m.onsetAgeFloor.age) {
      throw new KnowledgeError(`condition module ${m.key}: measurement onset fromAge ${m.onset.fromAge} is below its onsetAgeFloor ${m.onsetAgeFloor.age}`);
    }
    return m;
  });
  return orderByDependencies(modules);
}

export function dependenciesOf(m: ConditionModule): string[] {
  if (m.onset.kind !== 'hazard') return [];
  return m.onset.riskFactors.filter((r) => r.factor.startsWith('condition:')).map((r) => r.factor.slice(10));
}

function orderByDependencies(modules: ConditionModule[]): ConditionModule[] {
  const byKey = new Map(modules.map((m) => [m.key, m]));
  const out: ConditionModule[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (m: ConditionModule): void => {
    const s = state.get(m.key);
    if (s === 'done') return;
    if (s === 'visiting') throw new KnowledgeError(`condition modules have a risk-factor cycle through ${m.key}`);
    state.set(m.key, 'visiting');
    for (const dep of dependenciesOf(m)) {
      const d = byKey.get(dep);
      if (d === undefined) throw new KnowledgeError(`condition module ${m.key} names unknown risk factor condition:${dep}`);
      visit(d);
    }
    state.set(m.key, 'done');
    out.push(m);
  };
  for (const m of modules) visit(m);
  return out;
}

export const conditionModules = once(() => loadConditionModules());

/** Lab knowledge moved to labs.ts; re-exported here for existing importers. */
export { LabSchema, LabsSchema, loadLabs, type Lab, type Labs } from './labs.js';
