/**
 * Pregnancy and childbirth as data (data/pregnancy.yaml): age-specific fertility, outcomes,
 * visit cadence, delivery, a cheap gestational-diabetes complication, and the codes the chart uses.
 */
import { z } from 'zod';
import { KnowledgeError } from '../errors.js';
import { LabDrawSchema, loadLabs, PanelKeySchema } from './labs.js';
import { loadKnowledgeFile, once } from './load.js';
import { loadSpecialists } from './specialists.js';
import { CodingSchema, CurveSchema, interpolate, ShareSchema } from './schemas.js';

/** A calendar date (YYYY-MM-DD) from which a practice applies, as an instant (UTC midnight). */
const SinceSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .transform((d) => Date.parse(`${d}T00:00:00Z`));

const MeanSdSchema = z.strictObject({ mean: z.number(), sd: z.number().positive() });

const RangeSchema = z
  .strictObject({ min: z.number().nonnegative(), max: z.number().nonnegative() })
  .refine((r) => r.min <= r.max, 'min must not exceed max');


export const PregnancyKnowledgeSchema = z
  .strictObject({
    source: z.string().min(1),
    menarcheAge: z.number().min(8).max(16),
    lastConceptionAge: z.number().max(55),
    birthsPer1000: z
      .array(z.strictObject({ fromAge: z.number(), toAge: z.number(), rate: z.number().nonnegative().max(400) }))
      .min(1),
    miscarriageShareByAge: CurveSchema,
    firstVisitWeek: RangeSchema,
    miscarriageWeek: RangeSchema,
    secondTrimesterFromWeek: z.number().positive(),
    /**
     * What a prenatal visit measures: the fundal height (cm, about the gestational age in weeks from
     * `fundalHeightFromWeek`, within `fundalHeightSpreadCm`) and the fetal heart rate (per minute,
     * from the week of the visit's era in `fetalHeartFrom`: fetoscope, then Doppler).
     */
    prenatalExam: z.strictObject({
      source: z.string().min(10),
      fundalHeightFromWeek: z.number().positive(),
      fundalHeightSpreadCm: z.number().nonnegative(),
      fetalHeartFrom: z
        .array(z.strictObject({ from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD'), week: z.number().positive(), by: z.string().min(1), source: z.string().min(10) }))
        .min(1)
        .refine((eras) => eras.every((e, i) => i === 0 || e.from > eras[i - 1]!.from), 'fetalHeartFrom eras in date order'),
      fetalHeartRate: z.strictObject({ mean: z.number(), sd: z.number().positive(), min: z.number(), max: z.number() }),
    }),
    /** The clinic staff roles (providers.ts `Role`) that give prenatal and postpartum care. */
    prenatalCare: z.strictObject({ roles: z.array(z.enum(['pediatrics', 'family', 'internal'])).min(1), source: z.string().min(10) }),
    visitSchedule: z.array(z.strictObject({ untilWeek: z.number().positive(), everyWeeks: z.number().positive() })).min(1),
    birth: z.strictObject({
      pretermShare: ShareSchema,
      /** Preterm births by week band, as shares of preterm births (bands contiguous, shares summing to 1). */
      pretermWeeks: z
        .array(z.strictObject({ fromWeek: z.number().min(20), toWeek: z.number().max(37), share: ShareSchema }))
        .min(1),
      termWeeks: z.strictObject({ mean: z.number(), sd: z.number().positive(), min: z.number(), max: z.number() }),
      /** Cesarean share of births by calendar year of the birth. */
      cesareanShareByYear: CurveSchema.refine((c) => c.every(([, share]) => share >= 0 && share <= 1), 'shares must lie in [0, 1]'),
      /** The specialists.yaml key of the physician who attends the delivery admission. */
      attendingSpecialty: z.string().min(1),
      stayDays: z.strictObject({ vaginal: RangeSchema, cesarean: RangeSchema }),
    }),
    spacingMonths: z.strictObject({ afterBirth: z.number().nonnegative(), afterMiscarriage: z.number().nonnegative() }),
    gestationalDiabetes: z.strictObject({
      share: ShareSchema,
      obeseMultiplier: z.number().positive(),
      glucoseChallengeWeek: RangeSchema,
    }),
    preeclampsia: z.strictObject({
      share: ShareSchema,
      obeseMultiplier: z.number().positive(),
      /** Earliest gestational week of onset (it is a disorder of the second half of pregnancy). */
      fromWeek: z.number().positive(),
      /** Cesarean share of births with pre-eclampsia. */
      cesareanShare: ShareSchema,
    }),
    codes: z.strictObject({
      pregnancy: CodingSchema,
      initialVisit: CodingSchema,
      prenatalVisit: CodingSchema,
      deliveryAdmission: CodingSchema,
      vaginalDelivery: CodingSchema,
      cesarean: CodingSchema,
      liveBirth: CodingSchema,
      miscarriageFirstTrimester: CodingSchema,
      miscarriageSecondTrimester: CodingSchema,
      gestationalDiabetes: CodingSchema,
      preeclampsia: CodingSchema,
      statusCode: CodingSchema,
      /** The prenatal exam's fundal height (LOINC 11881-0, cm) and fetal heart rate (LOINC 55283-6, /min). */
      fundalHeight: CodingSchema,
      fetalHeartRate: CodingSchema,
      pregnant: CodingSchema,
      dischargeHome: CodingSchema,
    }),
    initialTests: z.array(CodingSchema),
    /** Labs of the delivery admission: the admission CBC and the postpartum day-1 hemoglobin and hematocrit. */
    deliveryWard: z.strictObject({
      /** Hours after admission the CBC is drawn. */
      admissionDrawHours: z.strictObject({ min: z.number().nonnegative(), max: z.number().positive() }),
      postpartumPanel: CodingSchema,
      /** The postpartum draw comes at least this many hours after the birth. */
      postpartumAfterHours: z.number().positive(),
      /** Hemoglobin fall (g/dL) from admission to postpartum day 1, by delivery method. */
      hemoglobinDrop: z.strictObject({
        vaginal: z.strictObject({ mean: z.number(), sd: z.number().positive() }),
        cesarean: z.strictObject({ mean: z.number(), sd: z.number().positive() }),
      }),
      /** Noise of the postpartum hematocrit around the admission ratio, in percentage points. */
      hematocritSd: z.number().positive(),
    }),
    /** Nursing vitals of the delivery stay: the blood pressure of pre-eclampsia (her own is the floor). */
    deliveryVitals: z.strictObject({ preeclampsiaSystolic: MeanSdSchema, preeclampsiaDiastolic: MeanSdSchema }),
    /** Postpartum care after a birth (ACOG CO 736): early contact, a blood-pressure check, the comprehensive visit. */
    postpartum: z.strictObject({
      visit: CodingSchema,
      /** Days after discharge of the comprehensive postpartum visit. */
      comprehensiveDays: RangeSchema,
      /** From `from`, a visit within the first weeks (days after discharge) for every birth. */
      earlyContact: z.strictObject({ from: SinceSchema, days: RangeSchema }),
      /** From `from`, a blood-pressure check within days of discharge after a hypertensive pregnancy. */
      bloodPressureCheck: z.strictObject({ from: SinceSchema, days: RangeSchema }),
      /** Pre-eclampsia's blood pressure above her own at the early check (mmHg). */
      preeclampsiaResidual: z.strictObject({ systolic: MeanSdSchema, diastolic: MeanSdSchema }),
      /** Depression screening at the comprehensive visit, from `from`. */
      depressionScreening: z.strictObject({
        code: CodingSchema,
        from: SinceSchema,
        /** The instrument's total score (EPDS), its positive cut-off, the share who screen positive, and each group's scores. */
        score: z.strictObject({
          code: CodingSchema,
          positiveAtLeast: z.number().int().positive(),
          positiveShare: z.number().min(0).max(1),
          negative: z.strictObject({ mean: z.number(), sd: z.number().nonnegative(), min: z.number().int(), max: z.number().int() }),
          positive: z.strictObject({ mean: z.number(), sd: z.number().nonnegative(), min: z.number().int(), max: z.number().int() }),
          /** A positive screen's follow-up visit, this many days after the screening. */
          followUpDays: z.strictObject({ min: z.number().nonnegative(), max: z.number().nonnegative() }),
          followUp: CodingSchema,
        }),
      }),
    }),
    /**
     * The prenatal labs, drawn as every lab is (the lab-value model of labs.ts: each `lab` names its
     * labs.json entry, reported with its pregnancy interval where it has one).
     */
    labs: z.strictObject({
      /** The first visit's blood count: the labs.json panel it is reported as, and its results. */
      cbc: z.strictObject({ panel: PanelKeySchema, results: z.array(LabDrawSchema).min(1) }),
      /** The 50 g glucose challenge; its `diabetic` state is drawn for gestational (or hidden) diabetes. */
      glucoseChallenge: LabDrawSchema,
    }),
  })
  .superRefine((k, ctx) => {
    if (!(k.birth.attendingSpecialty in loadSpecialists().specialists)) {
      ctx.addIssue({ code: 'custom', path: ['birth', 'attendingSpecialty'], message: `${k.birth.attendingSpecialty} is no specialty of specialists.yaml` });
    }
    const bands = k.birthsPer1000;
    for (let i = 0; i < bands.length; i++) {
      const b = bands[i]!;
      if (b.toAge <= b.fromAge) ctx.addIssue({ code: 'custom', path: ['birthsPer1000', i], message: 'toAge must exceed fromAge' });
      if (i > 0 && b.fromAge !== bands[i - 1]!.toAge) {
        ctx.addIssue({ code: 'custom', path: ['birthsPer1000', i], message: 'age bands must be contiguous' });
      }
    }
    if (bands[0]!.fromAge < k.menarcheAge) {
      ctx.addIssue({ code: 'custom', path: ['birthsPer1000', 0], message: 'fertility starts before menarche' });
    }
    const preterm = k.birth.pretermWeeks;
    for (let i = 0; i < preterm.length; i++) {
      const b = preterm[i]!;
      if (b.toWeek <= b.fromWeek) ctx.addIssue({ code: 'custom', path: ['birth', 'pretermWeeks', i], message: 'toWeek must exceed fromWeek' });
      if (i > 0 && b.fromWeek !== preterm[i - 1]!.toWeek) ctx.addIssue({ code: 'custom', path: ['birth', 'pretermWeeks', i], message: 'week bands must be contiguous' });
    }
    if (Math.abs(preterm.reduce((sum, b) => sum + b.share, 0) - 1) > 1e-6) {
      ctx.addIssue({ code: 'custom', path: ['birth', 'pretermWeeks'], message: 'preterm band shares must sum to 1' });
    }
    if (preterm[preterm.length - 1]!.toWeek !== k.birth.termWeeks.min) {
      ctx.addIssue({ code: 'custom', path: ['birth', 'pretermWeeks'], message: 'preterm bands must end where term begins' });
    }
    const members: readonly string[] = loadLabs().panels[k.labs.cbc.panel].members;
    k.labs.cbc.results.forEach((r, i) => {
      if (!members.includes(r.lab)) ctx.addIssue({ code: 'custom', path: ['labs', 'cbc', 'results', i, 'lab'], message: `${r.lab} is no member of the ${k.labs.cbc.panel} panel of labs.json` });
    });
    if (k.labs.glucoseChallenge.states?.diabetic === undefined) {
      ctx.addIssue({ code: 'custom', path: ['labs', 'glucoseChallenge', 'states'], message: 'the glucose challenge needs its diabetic distribution' });
    }
    const pp = k.postpartum;
    if (pp.earlyContact.days.max >= pp.comprehensiveDays.min || pp.bloodPressureCheck.days.max >= pp.comprehensiveDays.min) {
      ctx.addIssue({ code: 'custom', path: ['postpartum'], message: 'the early visits must come before the comprehensive visit' });
    }
    if (k.firstVisitWeek.max >= k.miscarriageWeek.max) {
      ctx.addIssue({ code: 'custom', path: ['miscarriageWeek'], message: 'miscarriages must be possible after the first visit' });
    }
  });
export type PregnancyKnowledge = z.infer<typeof PregnancyKnowledgeSchema>;

/** The cesarean share of births in a calendar year (fractional years interpolate). */
export function cesareanShareIn(k: PregnancyKnowledge, year: number): number {
  return interpolate(k.birth.cesareanShareByYear, year);
}

/**
 * The preterm gestational week for a uniform draw `u` in [0, 1): the inverse of the banded
 * distribution, so one draw gives the week (as the single uniform draw it replaces did).
 */
export function pretermWeekAt(k: PregnancyKnowledge, u: number): number {
  let left = u;
  for (const b of k.birth.pretermWeeks) {
    if (left < b.share) return b.fromWeek + ((b.toWeek - b.fromWeek) * left) / b.share;
    left -= b.share;
  }
  const last = k.birth.pretermWeeks[k.birth.pretermWeeks.length - 1]!;
  return last.toWeek - 1e-6;
}

/** Births per woman-year at an age (0 outside the bands). */
export function birthRateAt(k: PregnancyKnowledge, age: number): number {
  for (const b of k.birthsPer1000) if (age >= b.fromAge && age < b.toAge) return b.rate / 1000;
  return 0;
}

export function loadPregnancyFile(name = 'pregnancy.yaml', dir?: URL): PregnancyKnowledge {
  const k = loadKnowledgeFile(name, PregnancyKnowledgeSchema, dir);
  if (k.lastConceptionAge <= k.menarcheAge) throw new KnowledgeError(`knowledge file ${name}: lastConceptionAge before menarche`);
  return k;
}

export const loadPregnancy = once(() => loadPregnancyFile());

/** Weeks to the next prenatal visit at gestational week `week`, by the visit schedule (every 4 weeks to 28, 2 to 36, then weekly). */
export function prenatalIntervalWeeks(week: number, k: PregnancyKnowledge = loadPregnancy()): number {
  return (k.visitSchedule.find((s) => week < s.untilWeek) ?? k.visitSchedule[k.visitSchedule.length - 1]!).everyWeeks;
}
