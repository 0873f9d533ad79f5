import { z } from 'zod';
import { loadKnowledgeFile, once } from './load.js';
import { CodingSchema, CurveSchema, ShareSchema } from './schemas.js';

export const WellnessSchema = z.strictObject({
  source: z.string(),
  childVisitAgesDays: z.array(z.number().int().nonnegative()).min(1),
  childVisitJitterDays: z.number().int().nonnegative(),
  childAttendance: z.strictObject({ meanShare: ShareSchema, sd: z.number().nonnegative(), source: z.string().min(10) }),
  adultCadence: z.array(
    z.strictObject({ minAge: z.number(), maxAge: z.number(), meanIntervalYears: z.number().positive() }),
  ),
  visitMinutes: z.strictObject({ min: z.number().int().positive(), max: z.number().int().positive() }),
  /** Hours a visit may start, on the clinic's local wall clock (the patient's state time zone). */
  clinicHoursLocal: z.strictObject({ first: z.number().int().min(0).max(23), last: z.number().int().min(0).max(23), source: z.string().min(1) }),
  /** Days the clinic books visits (ISO weekday numbers, Monday 1 .. Sunday 7). */
  clinicDays: z.strictObject({ isoWeekdays: z.array(z.number().int().min(1).max(7)).min(1), source: z.string().min(1) }),
  /**
   * Office visits by age against the US survey (`targets`, visits per 100 persons a year, with
   * their source), and the chronic-care office visits per person-year (`perYear`) the engine adds
   * from a patient's first chronic diagnosis on, calibrated so the cohort meets the targets.
   */
  officeVisits: z.strictObject({
    targetSource: z.string().min(10),
    targets: z
      .array(
        z.strictObject({
          label: z.string().min(1),
          fromAge: z.number().nonnegative(),
          toAge: z.number().positive(),
          per100: z.number().positive(),
          /** The band's rate for each sex (`bySexSource`). */
          female: z.number().positive(),
          male: z.number().positive(),
        }),
      )
      .min(1),
    /** Where the female and male rates of `targets` come from. */
    bySexSource: z.string().min(10),
    source: z.string().min(10),
    /** No added visit this close (days) to another booked visit: the clinician sees the patient there. */
    minGapDays: z.number().int().nonnegative(),
    /** Added visits a year by age band, for each sex (women visit more in midlife, men more after 75). */
    perYear: z
      .array(z.strictObject({ fromAge: z.number().nonnegative(), toAge: z.number().positive(), female: z.number().nonnegative(), male: z.number().nonnegative() }))
      .min(1),
  }),
  encounterTypes: z.strictObject({
    wellChild: CodingSchema,
    adultCheckup: CodingSchema,
    immunization: CodingSchema,
    /** Chronic-care follow-up visits between checkups. */
    followUp: CodingSchema,
  }),
});
export type Wellness = z.infer<typeof WellnessSchema>;

export const SmokingSchema = z.strictObject({
  source: z.string(),
  everSmokerByBirthYear: z.array(z.strictObject({ year: z.number().int(), male: ShareSchema, female: ShareSchema })).min(1),
  initiationAge: z.strictObject({ mean: z.number(), sd: z.number(), min: z.number(), max: z.number() }),
  annualQuitProbability: z.array(z.strictObject({ fromAge: z.number(), probability: ShareSchema })).min(1),
  occasionalShareOfCurrent: ShareSchema,
  askedFromAge: z.number().int(),
  codes: z.strictObject({ never: CodingSchema, daily: CodingSchema, occasional: CodingSchema, former: CodingSchema }),
});
export type Smoking = z.infer<typeof SmokingSchema>;

const MeanSd = z.strictObject({ personalSd: z.number(), visitSd: z.number() });

export const PhysiologySchema = z.strictObject({
  source: z.string(),
  heartRateByAge: CurveSchema,
  heartRate: MeanSd,
  respiratoryRateByAge: CurveSchema,
  respiratoryRate: MeanSd,
  bodyTemperature: MeanSd.extend({ mean: z.number() }),
  oxygenSaturation: MeanSd.extend({ mean: z.number(), max: z.number() }),
  bloodPressure: z.strictObject({
    fromAge: z.number(),
    childSystolicAt: CurveSchema,
    childDiastolicAt: CurveSchema,
    adultSystolic: z.strictObject({ base: z.number(), perYearOver20: z.number(), perBmiOver25: z.number(), maleOffset: z.number() }),
    adultDiastolic: z.strictObject({
      base: z.number(),
      perYearOver20: z.number(),
      perYearOver60: z.number(),
      perBmiOver25: z.number(),
      maleOffset: z.number(),
    }),
    personalSd: z.strictObject({ systolic: z.number(), diastolic: z.number() }),
    visitSd: z.strictObject({ systolic: z.number(), diastolic: z.number() }),
    /** Readings a resting person shows at a visit: the model's Gaussian tails end here. */
    readingRange: z.strictObject({ systolic: z.tuple([z.number(), z.number()]), diastolic: z.tuple([z.number(), z.number()]) }),
  }),
  growth: z.strictObject({
    heightZPersonalDriftSd: z.number(),
    bmiZTrackingYears: z.number().positive(),
    bmiZInnovationSd: z.number(),
    measurementSdCm: z.number(),
    /** Calendar-year shift of children's BMI z-scores: today's children are heavier than the charts' 1963–1994 reference. */
    bmiZShiftByYear: CurveSchema,
    bmiZSd: z.number().positive(),
    /**
     * Personal growth z-scores (height, and BMI after the calendar shift) stay inside this range:
     * beyond it lie the syndromes and extremes a general cohort does not model.
     */
    zRange: z.tuple([z.number(), z.number()]),
  }),
  adultBmi: z.strictObject({
    annualGain: z.strictObject({ mean: z.number(), sd: z.number() }),
    gainUntilAge: z.number(),
    plateauUntilAge: z.number(),
    annualLossAfterPlateau: z.number(),
    visitSd: z.number(),
    floor: z.number(),
    ceiling: z.number(),
  }),
  adultHeightLossPerYearAfter50Cm: z.number(),
});
export type Physiology = z.infer<typeof PhysiologySchema>;

export const loadWellness = once(() => loadKnowledgeFile('wellness.json', WellnessSchema));
export const loadSmoking = once(() => loadKnowledgeFile('smoking.json', SmokingSchema));
export const loadPhysiology = once(() => loadKnowledgeFile('physiology.json', PhysiologySchema));
