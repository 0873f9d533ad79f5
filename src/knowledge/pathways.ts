/**
 * Specialist pathways as data (data/pathways.yaml): kidney failure (nephrology referral, then
 * dialysis or a recorded decision for conservative care) and cancer (biopsy, stage, surgery,
 * chemotherapy, radiation, endocrine therapy by stage, oncology follow-up). Validated at load
 * against the specialists and condition modules they name.
 */
import { z } from 'zod';
import { KnowledgeError } from '../errors.js';
import { loadConditionModules } from './conditions.js';
import { loadKnowledgeFile, once } from './load.js';
import { LabKeySchema, PanelKeySchema } from './labs.js';
import { CodingSchema, ShareSchema } from './schemas.js';
import { loadSpecialists } from './specialists.js';

const DaysSchema = z.tuple([z.number().nonnegative(), z.number().nonnegative()]).refine(([lo, hi]) => lo <= hi, 'range must be [low, high]');
const StageSchema = z.number().int().min(1).max(4);
const ByStageSchema = z.partialRecord(z.enum(['1', '2', '3', '4']), ShareSchema);

const KidneySchema = z.strictObject({
  condition: z.string().min(1),
  source: z.string().min(1),
  referral: z.strictObject({ belowEgfr: z.number().positive(), specialty: z.string().min(1), afterDays: DaysSchema }),
  followUpMonths: z.number().positive(),
  kidneyFailure: z.strictObject({
    belowEgfr: z.number().positive(),
    decisionAfterDays: DaysSchema,
    options: z
      .array(
        z.strictObject({
          kind: z.enum(['hemodialysis', 'peritoneal-dialysis', 'conservative']),
          share: ShareSchema,
          procedure: CodingSchema,
          /** What the chart calls it (Procedure.code.text). */
          text: z.string().min(1),
          /** Whether the patient is dialysis-dependent from then on (a problem-list finding). */
          dependence: z.boolean(),
        }),
      )
      .min(1)
      .refine((os) => Math.abs(os.reduce((s, o) => s + o.share, 0) - 1) < 1e-9, 'kidney-failure option shares must sum to 1'),
  }),
  dependence: CodingSchema,
  /** The CKD problem-list code from the first dialysis on (ESRD). */
  endStage: CodingSchema,
  transplantNote: z.string().min(1),
});

const ProcedureChoiceSchema = z.strictObject({
  procedure: CodingSchema,
  share: ShareSchema,
  stages: z.array(StageSchema).min(1),
  /** Nights in hospital after the operation (0: day surgery). */
  inpatientDays: z.number().int().nonnegative(),
  text: z.string().min(1).optional(),
});

const CancerTypeSchema = z.strictObject({
  biopsy: z.strictObject({ procedure: CodingSchema, specialty: z.string().min(1) }),
  stages: z
    .array(z.strictObject({ stage: StageSchema, share: ShareSchema, fiveYearSurvival: ShareSchema }))
    .length(4)
    .refine((ss) => Math.abs(ss.reduce((s, x) => s + x.share, 0) - 1) < 1e-9, 'stage shares must sum to 1'),
  surgery: z.strictObject({ specialty: z.string().min(1), options: z.array(ProcedureChoiceSchema).min(1) }).optional(),
  chemotherapy: z
    .strictObject({ byStage: ByStageSchema, cycles: z.tuple([z.number().int().positive(), z.number().int().positive()]), everyDays: z.number().int().positive() })
    .optional(),
  radiation: z.strictObject({ byStage: ByStageSchema, weeks: DaysSchema, notAfterSurgery: z.boolean().default(false) }).optional(),
  hormone: z.strictObject({ byStage: ByStageSchema, years: z.number().positive(), text: z.string().min(1) }).optional(),
});
export type CancerPathway = z.infer<typeof CancerTypeSchema>;

/** The kinds of visit the pathways book, each with its own labs (`visitCare.labs`). */
export const SPECIALIST_VISITS = ['nephrology', 'biopsy', 'oncology-consult', 'chemotherapy', 'radiation', 'oncology-follow-up'] as const;
export type SpecialistVisit = (typeof SPECIALIST_VISITS)[number];

/** An analyte a clinic panel lacks, drawn at a specialist visit. */
const VisitDrawSchema = z
  .strictObject({
    lab: LabKeySchema,
    mean: z.number(),
    sd: z.number().nonnegative(),
    min: z.number().optional(),
    max: z.number().optional(),
    /** Raised by `by` per mL/min of the visit's eGFR below `egfr` (phosphate and PTH in CKD G4-G5). */
    perEgfrBelow: z.strictObject({ egfr: z.number().positive(), by: z.number() }).optional(),
    /** Reported as this share (the draw) of another result of the visit (the neutrophils of the white count). */
    fractionOf: LabKeySchema.optional(),
  })
  .refine((d) => d.min === undefined || d.max === undefined || d.min <= d.max, 'min must not exceed max');
export type VisitDraw = z.infer<typeof VisitDrawSchema>;

/** One report of a specialist visit: a clinic panel (under its own code or `code`) and any added analytes. */
const VisitReportSchema = z
  .strictObject({ panel: PanelKeySchema.optional(), code: CodingSchema.optional(), draws: z.array(VisitDrawSchema).default([]) })
  .refine((r) => r.panel !== undefined || (r.code !== undefined && r.draws.length > 0), 'a report without a panel needs a code and draws');
export type VisitReport = z.infer<typeof VisitReportSchema>;

const LabShiftsSchema = z.partialRecord(LabKeySchema, z.number());

const VisitCareSchema = z.strictObject({
  source: z.string().min(1),
  labs: z.strictObject(Object.fromEntries(SPECIALIST_VISITS.map((k) => [k, z.array(VisitReportSchema)])) as Record<SpecialistVisit, z.ZodArray<typeof VisitReportSchema>>),
  cytopenia: z.strictObject({ perCycle: LabShiftsSchema, max: LabShiftsSchema, recoveryMonths: z.number().positive() }),
});
export type VisitCare = z.infer<typeof VisitCareSchema>;

export const PathwaysSchema = z.strictObject({
  visitCare: VisitCareSchema,
  kidney: KidneySchema,
  cancers: z.strictObject({
    source: z.string().min(1),
    consultAfterDays: DaysSchema,
    /** Who sees the patient for the consult, chemotherapy and follow-up, and who gives radiation. */
    oncologist: z.string().min(1),
    radiationOncologist: z.string().min(1),
    /** Oncology follow-up interval by years since diagnosis (the first row whose `untilYears` is ahead applies). */
    followUp: z.array(z.strictObject({ untilYears: z.number().positive(), everyMonths: z.number().positive() })).min(1),
    stageCodes: z.record(z.enum(['1', '2', '3', '4']), CodingSchema),
    modalities: z.strictObject({ chemotherapy: CodingSchema, radiation: CodingSchema, hormone: CodingSchema }),
    types: z.record(z.string().regex(/^[a-z0-9-]+$/), CancerTypeSchema),
  }),
});
export type Pathways = z.infer<typeof PathwaysSchema>;
export type KidneyPathway = Pathways['kidney'];

function validate(p: Pathways): Pathways {
  const specialties = loadSpecialists().specialists;
  const conditions = new Set(loadConditionModules().map((m) => m.key));
  const need = (specialty: string, where: string): void => {
    if (specialties[specialty] === undefined) throw new KnowledgeError(`pathways.yaml ${where}: unknown specialty ${specialty} (not in specialists.yaml)`);
  };
  need(p.kidney.referral.specialty, 'kidney.referral');
  if (!conditions.has(p.kidney.condition)) throw new KnowledgeError(`pathways.yaml kidney: unknown condition ${p.kidney.condition}`);
  need(p.cancers.oncologist, 'cancers.oncologist');
  need(p.cancers.radiationOncologist, 'cancers.radiationOncologist');
  for (const [key, t] of Object.entries(p.cancers.types)) {
    if (!conditions.has(key)) throw new KnowledgeError(`pathways.yaml cancers.${key}: no condition module of that key`);
    need(t.biopsy.specialty, `cancers.${key}.biopsy`);
    if (t.surgery !== undefined) need(t.surgery.specialty, `cancers.${key}.surgery`);
  }
  return p;
}

/** The pathways, checked against the specialists and condition modules they name. */
export const loadPathways = once(() => validate(loadKnowledgeFile('pathways.yaml', PathwaysSchema)));
